#!/usr/bin/python3
"""PyTorch side of bench/compare: times the shipped losses, forward+backward.

Reads jobs on standard input, one JSON object per line, as bench/compare
writes them:

    {"spec": "triplet", "type": "float32", "dims": {"N": 256, "D": 2048},
     "inputs": [{"name": "anchor", "shape": ["N", "D"], "int": false,
                 "diff": true, "limits": []}, ...],
     "seed": 1, "time_s": 1.0, "threads": [1, 2]}

and answers each with one JSON line, as soon as it is done (compare
interleaves them with lossgen's runs, so both sides of a cell see the same
machine load):

    {"ns": {"1": 412345.0, "2": 300123.0}, "loss": 0.31, "torch": "1.13.0"}

(or {"error": "..."}); "blas" names the OpenBLAS kernel core that ran
(openblas_get_corename: what OPENBLAS_CORETYPE, which bench/compare sets in
this process's environment only, forced, or what OpenBLAS detected). The
losses are PyTorch at its best, bench/compare/torch_fast.py (Gram-matrix
distances, vectorised masks, fused built-ins), which compare checks against
the clarity references of tools/reference/gen_vectors.py before timing. Inputs are drawn exactly as lossgen bench draws
them (rundriver.BenchInputs: SplitMix64 over a counter), so both sides see the
same numbers. Each thread setting gets a warm-up, then batches of steps for at
least time_s; the answer is the median time per step over the batches.

Run with Debian's torch: /usr/bin/python3.
"""

import json
import math
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "reference"))
import gen_vectors as gv  # noqa: E402

sys.path.insert(0, HERE)
import torch_fast  # noqa: E402

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(z):
    """SplitMix64's finaliser on a uint64 array (wrapping arithmetic)."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def stream(seed, m, n):
    """The n uint64 draws of input number m, as rundriver.BenchInputs makes them."""
    with np.errstate(over="ignore"):
        key = mix64(np.array([seed], dtype=np.uint64) + np.uint64(m + 1) * GOLDEN)[0]
        return mix64(key + np.arange(1, n + 1, dtype=np.uint64) * GOLDEN)


def draw(job):
    """The inputs of a job, by name: float tensors and int64 label tensors."""
    dims, dtype = job["dims"], job["type"]
    out = {}
    for m, inp in enumerate(job["inputs"]):
        shape = [dims[s] for s in inp["shape"]]
        n = math.prod(shape)
        u = stream(job["seed"], m, n)
        if inp["int"]:
            if inp["limits"]:
                hi = min(dims[s] for s in inp["limits"])
            else:
                hi = max(2, (dims[inp["shape"][0]] if inp["shape"] else 0) // 4)
            out[inp["name"]] = torch.from_numpy((u % np.uint64(hi)).astype(np.int64)).reshape(shape)
        else:
            x = (u >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 * 2 - 1
            x = x.astype(np.float32 if dtype == "float32" else np.float64)
            out[inp["name"]] = torch.from_numpy(x).reshape(shape)
    return out


def make_step(job):
    """A function running one forward+backward step, and the leaf tensors."""
    spec = job["spec"]
    fn = torch_fast.FAST[spec]
    _, decl = gv.SPECS[spec]
    inputs = draw(job)
    args, leaves = [], []
    for d in decl:
        t = inputs[d[0]]
        if len(d) == 2 and d[0] not in gv.NOGRAD.get(spec, []):  # differentiable
            t = t.requires_grad_(True)
            leaves.append(t)
        args.append(t)
    kw = {s: job["dims"][s] for s in gv.SIZE_ARGS.get(spec, [])}

    def step():
        for t in leaves:
            t.grad = None
        loss = fn(*args, **kw)
        if loss.requires_grad:
            loss.backward()
        return loss

    return step


def blas_symbol(*names):
    """The first of the named functions exported by a BLAS library this
    process has loaded (found in /proc/self/maps), or None."""
    import ctypes
    import re
    for path in sorted(set(re.findall(r"/\S*/lib(?:openblas|blas)\S*\.so\S*", open("/proc/self/maps").read()))):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in names:
            fn = getattr(lib, name, None)
            if fn is not None:
                return fn
    return None


def blas_corename():
    """The OpenBLAS kernel core in use (e.g. "Cooperlake", "Prescott"), or ""."""
    import ctypes
    fn = blas_symbol("openblas_get_corename")
    if fn is None:
        return ""
    fn.restype = ctypes.c_char_p
    return fn().decode()


def blas_threads():
    """A setter for the BLAS library's own thread count, or None.

    torch.set_num_threads sets torch's intra-op pool, but OpenBLAS keeps a
    pool of its own (one thread per core by default), so without this the
    "1 thread" column would run its matrix products on every core."""
    return blas_symbol("openblas_set_num_threads", "openblas_set_num_threads64_")


def matmul_step(job):
    """C += A·Bᵀ at the job's shape, as lossrt.Gemm.NT computes it."""
    s = job["matmul"]
    dt = torch.float32 if job["type"] == "float32" else torch.float64
    g = torch.Generator().manual_seed(job["seed"])
    a = torch.rand(s["M"], s["K"], dtype=dt, generator=g) * 2 - 1
    b = torch.rand(s["N"], s["K"], dtype=dt, generator=g) * 2 - 1
    c = torch.zeros(s["M"], s["N"], dtype=dt)

    def step():
        torch.addmm(c, a, b.t(), out=c)

    return step


def cdist_step(job):
    """torch.cdist of an N×D matrix with itself (forward only)."""
    s = job["cdist"]
    dt = torch.float32 if job["type"] == "float32" else torch.float64
    g = torch.Generator().manual_seed(job["seed"])
    x = torch.rand(s["N"], s["D"], dtype=dt, generator=g) * 2 - 1

    def step():
        torch.cdist(x, x)

    return step


def median_ns(step, time_s):
    """Warm up, then time batches of about 10ms for at least time_s."""
    t0 = time.perf_counter()
    calls = 0
    while calls < 2 or time.perf_counter() - t0 < max(time_s / 10, 0.02):
        step()
        calls += 1
    per = (time.perf_counter() - t0) / calls
    batch = max(1, int(0.01 / max(per, 1e-9)))
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < time_s:
        t = time.perf_counter_ns()
        for _ in range(batch):
            step()
        times.append((time.perf_counter_ns() - t) / batch)
    times.sort()
    k = len(times)
    return times[k // 2] if k % 2 else (times[k // 2 - 1] + times[k // 2]) / 2


def main():
    torch.set_grad_enabled(True)
    set_blas_threads = blas_threads()
    core = blas_corename()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        ans = {"torch": torch.__version__, "blas": core}
        if job.get("ping"):
            print(json.dumps(ans), flush=True)
            continue
        try:
            if job.get("matmul") or job.get("cdist"):
                make = matmul_step if job.get("matmul") else cdist_step
                ans["ns"] = {}
                for threads in job["threads"]:
                    torch.set_num_threads(threads)
                    if set_blas_threads is not None:
                        set_blas_threads(threads)
                    ans["ns"][str(threads)] = median_ns(make(job), job["time_s"])
                print(json.dumps(ans), flush=True)
                continue
            step = make_step(job)
            loss = step().item()
            ans["loss"] = loss if math.isfinite(loss) else None
            ans["ns"] = {}
            for threads in job["threads"]:
                torch.set_num_threads(threads)
                if set_blas_threads is not None:
                    set_blas_threads(threads)
                ans["ns"][str(threads)] = median_ns(step, job["time_s"])
        except Exception as e:  # report, and go on with the next cell
            ans["error"] = f"{type(e).__name__}: {e}"
        print(json.dumps(ans), flush=True)


if __name__ == "__main__":
    main()
