#!/usr/bin/env bash
# Regenerates the PyTorch golden vectors in generated/testdata/torch.
# Needs Debian's python3-torch (installed here with apt-get if missing);
# CI and `go test` never run this, they only read the committed vectors.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "python3-torch is missing: installing it with apt-get" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update
  $SUDO apt-get install -y python3-torch
fi

"$PY" tools/reference/gen_vectors.py "$@"
go test ./generated/ -run Torch
