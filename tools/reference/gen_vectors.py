#!/usr/bin/python3
"""Golden test vectors for lossgen's shipped specs, computed with PyTorch.

Every loss below is written again, independently of lossgen, from the formula
in specs/<name>.loss (and the paper it cites), in float64; the gradients come
from torch autograd, never from a hand-derived formula. Each case is written
as generated/testdata/torch/<spec>_<case>.json.gz:

    {"spec": "triplet", "case": "odd",
     "input":  {"dims": {...}, "params": {...}, "inputs": {...}},   # lossgen run's input
     "output": {"loss": x, "grads": {...}}}                          # lossgen run's output

"params" is present only where a case overrides a spec default; otherwise the
torch code uses the paper's defaults, so the vectors also check lossgen's.

lossgen conventions that torch does not share, implemented here in torch:
  * sqrt'(0) = 0 (torch: inf, and 0*inf = NaN), see sqrt0;
  * relu'(0) = 0 (torch.relu already does this);
  * binary max(x, y) sends the whole gradient to x when x >= y
    (torch.maximum splits ties in half), see max_first;
  * logsumexp is the stable one (torch.logsumexp);
  * "mean" is over the batch.

Random inputs are drawn from a seeded torch.Generator, uniform in [-1, 1)
times the case's scale, then rounded to float32, so that the float32 test
sees exactly the inputs the float64 answer was computed for.

Run with Debian's torch: /usr/bin/python3 tools/reference/gen_vectors.py
(see tools/reference/README.md).
"""

import argparse
import gzip
import json
import math
import os
import sys

import torch

F64 = torch.float64


# ---------------------------------------------------------------------------
# lossgen's conventions at non-smooth points, in plain autograd.

def sqrt0(s):
    """sqrt(s) with lossgen's gradient convention sqrt'(0) = 0.

    The masked form keeps autograd away from sqrt's infinite slope at 0:
    where s == 0 the value is 0 and the gradient flows into the constant
    branch, so it is 0 rather than 0*inf = NaN.
    """
    pos = s > 0
    safe = torch.where(pos, s, torch.ones_like(s))
    return torch.where(pos, safe.sqrt(), torch.zeros_like(s))


def max_first(x, y):
    """Binary max that routes the gradient to x on ties (x >= y), as lossgen does."""
    y = torch.as_tensor(y, dtype=F64).expand_as(x)
    return torch.where(x >= y, x, y)


def relu(x):
    """max(x, 0) with relu'(0) = 0 (torch's own convention, same as lossgen's)."""
    return torch.relu(x)


# ---------------------------------------------------------------------------
# The losses, one per shipped spec. Tensors arrive shaped (N, D), (C, D), ...

def triplet(anchor, positive, negative, margin=0.3):
    # Schroff et al. 2015, non-squared Euclidean form used in ReID
    # (Hermans et al. 2017): mean_i [ ||a_i - p_i|| - ||a_i - n_i|| + m ]_+
    dap = sqrt0(((anchor - positive) ** 2).sum(1))
    dan = sqrt0(((anchor - negative) ** 2).sum(1))
    return relu(dap - dan + margin).mean()


def improved_triplet(anchor, positive, negative, tau1=-1.0, tau2=0.01, beta=0.002):
    # Cheng et al., CVPR 2016, squared distances:
    # mean_i ( max(dap_i - dan_i, tau1) + beta * max(dap_i, tau2) )
    dap = ((anchor - positive) ** 2).sum(1)
    dan = ((anchor - negative) ** 2).sum(1)
    return (max_first(dap - dan, tau1) + beta * max_first(dap, tau2)).mean()


def contrastive(x1, x2, y, margin=1.0):
    # Hadsell, Chopra & LeCun 2006, y = 1 for a similar pair:
    # mean_i ( 1/2 y d^2 + 1/2 (1 - y) max(0, m - d)^2 ),  d = ||x1_i - x2_i||
    d2 = ((x1 - x2) ** 2).sum(1)
    d = sqrt0(d2)
    return (0.5 * torch.where(y == 1, d2, relu(margin - d) ** 2)).mean()


def center(x, centers, labels):
    # Wen et al. 2016: (1/2N) sum_i ||x_i - c_{y_i}||^2
    n = x.shape[0]
    return ((x - centers[labels]) ** 2).sum() / (2 * n)


def cross_entropy(logits, labels):
    # softmax cross-entropy: mean_i ( logsumexp_j z_ij - z_i,y_i )
    z_y = logits.gather(1, labels[:, None])[:, 0]
    return (torch.logsumexp(logits, 1) - z_y).mean()


def cross_entropy_ls(logits, labels, eps=0.1):
    # label smoothing, Szegedy et al. 2016 (target (1-eps) on y plus eps/C on every class):
    # mean_i ( logsumexp_j z_ij - (1-eps) z_i,y_i - eps/C sum_j z_ij )
    c = logits.shape[1]
    z_y = logits.gather(1, labels[:, None])[:, 0]
    return (torch.logsumexp(logits, 1) - (1 - eps) * z_y - eps / c * logits.sum(1)).mean()


def softmax(x, w, b, labels):
    # fully connected layer then cross-entropy: z = x w^T + b,
    # mean_i ( logsumexp_c z_ic - z_i,y_i )
    return cross_entropy(x @ w.T + b, labels)


# For each spec: the torch function, its inputs in the spec's order with their
# shapes (size symbols), and for integer inputs the exclusive bound of values.
SPECS = {
    "center": (center, [("x", "ND"), ("centers", "CD"), ("labels", "N", "C")]),
    "contrastive": (contrastive, [("x1", "ND"), ("x2", "ND"), ("y", "N", 2)]),
    "cross_entropy": (cross_entropy, [("logits", "NC"), ("labels", "N", "C")]),
    "cross_entropy_ls": (cross_entropy_ls, [("logits", "NC"), ("labels", "N", "C")]),
    "improved_triplet": (improved_triplet, [("anchor", "ND"), ("positive", "ND"), ("negative", "ND")]),
    "softmax": (softmax, [("x", "ND"), ("w", "CD"), ("b", "C"), ("labels", "N", "C")]),
    "triplet": (triplet, [("anchor", "ND"), ("positive", "ND"), ("negative", "ND")]),
}


def sizes_of(spec):
    """The size symbols a spec uses, in first-use order."""
    out = []
    for inp in SPECS[spec][1]:
        for s in inp[1]:
            if s not in out:
                out.append(s)
    return out


# ---------------------------------------------------------------------------
# Evaluation: plain Python data in, lossgen run's output format out.

def evaluate(spec, dims, inputs, params):
    """Loss and autograd gradients of every real input, as flat lists."""
    fn, decl = SPECS[spec]
    args, reals = [], {}
    for inp in decl:
        name, shape = inp[0], [dims[s] for s in inp[1]]
        if len(inp) == 3:  # integer input
            args.append(torch.tensor(inputs[name], dtype=torch.int64).reshape(shape))
            continue
        t = torch.tensor(inputs[name], dtype=F64).reshape(shape).requires_grad_(True)
        reals[name] = t
        args.append(t)
    loss = fn(*args, **params)
    loss.backward()
    out = {"loss": loss.item(), "grads": {k: t.grad.reshape(-1).tolist() for k, t in reals.items()}}
    values = [out["loss"]] + [g for gs in out["grads"].values() for g in gs]
    if not all(math.isfinite(v) for v in values):
        raise SystemExit(f"{spec}: non-finite loss or gradient")
    return out


def random_inputs(spec, dims, seed, scale):
    """Seeded inputs: reals uniform in [-scale, scale), rounded to float32; labels uniform."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for inp in SPECS[spec][1]:
        n = math.prod(dims[s] for s in inp[1])
        if len(inp) == 3:
            hi = inp[2] if isinstance(inp[2], int) else dims[inp[2]]
            out[inp[0]] = torch.randint(0, hi, (n,), generator=g).tolist()
        else:
            u = torch.rand(n, generator=g, dtype=F64) * 2 - 1
            s = scale[inp[0]] if isinstance(scale, dict) else scale
            out[inp[0]] = (u * s).float().double().tolist()
    return out


def pick(spec, **sizes):
    """The sizes a spec uses, from the given ones."""
    return {s: sizes[s] for s in sizes_of(spec)}


# ---------------------------------------------------------------------------
# Cases.

TINY = dict(N=3, D=5, C=7)
ODD = dict(N=33, D=131, C=751)
# A C x D input at 751 x 131 would be 98k numbers per file; these specs use
# smaller odd sizes (still not multiples of 4) to keep the vectors small.
ODD_OVERRIDE = {"softmax": dict(N=33, D=67, C=151), "center": dict(N=33, D=131, C=151)}
SCALED = dict(N=9, D=37, C=53)
# Scale of the "scaled" case: inputs x1000, logits x1e4 (the issue's
# "logits of +-1e4": exp would overflow without the max shift).
SCALE = {"cross_entropy": 1e4, "cross_entropy_ls": 1e4}


def random_cases(spec, seed):
    yield "tiny", pick(spec, **TINY), 1.0
    yield "odd", pick(spec, **ODD_OVERRIDE.get(spec, ODD)), 1.0
    yield "scaled", pick(spec, **SCALED), SCALE.get(spec, 1e3)


def rows(*rs):
    """Flatten a list of rows into a row-major list of floats."""
    return [float(v) for r in rs for v in r]


def zero_cases(spec):
    """Hand-built zero-distance and tie cases: (case, dims, inputs, params).

    Every value is exact in float32 too (dyadic, or a value whose rounding
    keeps the tie, see the triplet hinge), so both types meet the same kink.
    """
    D = 5
    z = [0.0] * D

    def e(k, v=1.0, base=z):
        r = list(base)
        r[k] += v
        return r

    a = [0.5, -0.25, 1.0, 0.125, -0.75]
    if spec == "triplet":
        # rows: a == p with an active hinge (dap = 0); a == n (dan = 0);
        # a == p == n; hinge exactly at 0 (dap = 0, dan = 0.3 = margin, since
        # sqrt(fl(x*x)) == |x| in binary floating point, in float32 as well
        # because the kernel rounds the margin to float32 too); a generic row.
        anchor = rows(a, a, a, z, a)
        positive = rows(a, e(0, 0.5, a), a, z, e(1, -0.5, a))
        negative = rows(e(2, 0.125, a), a, a, e(3, -0.3), e(4, 0.25, a))
        yield "zero", dict(N=5, D=D), dict(anchor=anchor, positive=positive, negative=negative), {}
    elif spec == "improved_triplet":
        # rows: dap - dan == tau1 = -1 exactly (dap = 1, dan = 2); a == p
        # (dap = 0 < tau2); a == p == n; a generic row.
        anchor = rows(a, a, a, a)
        positive = rows(e(0, 1.0, a), a, a, e(2, 0.5, a))
        negative = rows(e(1, 1.0, e(0, -1.0, a)), e(1, 0.5, a), a, e(3, -0.75, a))
        yield "tie", dict(N=4, D=D), dict(anchor=anchor, positive=positive, negative=negative), {}
        # dap == tau2 exactly needs a tau2 that is a square in binary: tau2 = 0.25, dap = 0.5^2;
        # the same row also has dap - dan == tau1 (dan = 1.25 = 1 + 0.25).
        positive = rows(e(0, 0.5, a), a, a, e(2, 0.5, a))
        negative = rows(e(1, 0.5, e(0, 1.0, a)), e(1, 0.5, a), a, e(3, -0.75, a))
        yield "tie_tau2", dict(N=4, D=D), dict(anchor=anchor, positive=positive, negative=negative), {"tau2": 0.25}
    elif spec == "contrastive":
        # rows: identical similar pair; identical dissimilar pair (d = 0 inside
        # the hinge, the NaN case of naive autograd); dissimilar at d == margin
        # exactly (hinge at 0); generic similar and dissimilar pairs.
        x1 = rows(a, a, a, a, a)
        x2 = rows(a, a, e(3, 1.0, a), e(1, 0.5, a), e(0, -0.25, a))
        yield "zero", dict(N=5, D=D), dict(x1=x1, x2=x2, y=[1, 0, 0, 1, 0]), {}
    elif spec == "center":
        # samples 0, 2 and 4 sit exactly on their centre; 0, 1 and 2 share class 1.
        centers = rows(e(0, 0.5), a, e(4, -1.0))
        x = rows(a, e(2, 0.25, a), a, z, e(4, -1.0))
        yield "zero", dict(N=5, D=D, C=3), dict(x=x, centers=centers, labels=[1, 1, 1, 0, 2]), {}
    elif spec in ("cross_entropy", "cross_entropy_ls"):
        # rows: two equal maximal logits, label on one of them; the same with the
        # label elsewhere; all logits equal; two equal non-maximal logits.
        logits = rows([2, 2, 0.5, -1], [2, 2, 0.5, -1], [0.25] * 4, [-3, 1, -3, 0.5])
        yield "tie", dict(N=4, C=4), dict(logits=logits, labels=[0, 2, 3, 2]), {}
        # a single class: the loss is constant (0 without smoothing) and the gradient 0.
        yield "single_class", dict(N=3, C=1), dict(logits=[1e4, -2.5, 0.0], labels=[0, 0, 0]), {}
    elif spec == "softmax":
        # w has two equal rows and equal biases, so classes 0 and 2 tie for every
        # sample; sample 1 is the zero vector, so its logits are exactly b.
        w = rows([0.5, -0.25, 1.0], [1.0, 0.0, -0.5], [0.5, -0.25, 1.0], [-1.0, 0.75, 0.25])
        b = [0.25, 0.0, 0.25, 0.25]
        x = rows([1.0, 0.5, -0.25], [0, 0, 0], [-0.5, 1.0, 0.75])
        yield "tie", dict(N=3, D=3, C=4), dict(x=x, w=w, b=b, labels=[0, 3, 2]), {}


def all_cases():
    for k, spec in enumerate(sorted(SPECS)):
        for j, (case, dims, scale) in enumerate(random_cases(spec, 0)):
            seed = 1000 * (k + 1) + j
            yield spec, case, dims, random_inputs(spec, dims, seed, scale), {}
        for case, dims, inputs, params in zero_cases(spec):
            yield spec, case, dims, inputs, params


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("-o", default=os.path.join(here, "..", "..", "generated", "testdata", "torch"),
                    help="output folder (default: generated/testdata/torch)")
    args = ap.parse_args()
    torch.set_grad_enabled(True)
    os.makedirs(args.o, exist_ok=True)
    for old in os.listdir(args.o):
        if old.endswith(".json.gz"):
            os.remove(os.path.join(args.o, old))
    total = 0
    for spec, case, dims, inputs, params in all_cases():
        out = evaluate(spec, dims, inputs, params)
        inp = {"dims": dims}
        if params:
            inp["params"] = params
        inp["inputs"] = inputs
        doc = {"spec": spec, "case": case, "input": inp, "output": out}
        path = os.path.join(args.o, f"{spec}_{case}.json.gz")
        data = json.dumps(doc, separators=(",", ":")).encode()
        # mtime=0: the same vectors give byte-identical files.
        with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, compresslevel=9) as gz:
            gz.write(data)
        size = os.path.getsize(path)
        total += size
        print(f"{os.path.relpath(path)}: {size} bytes, loss {out['loss']!r}")
    print(f"total {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
