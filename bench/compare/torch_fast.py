#!/usr/bin/python3
"""PyTorch at its best: the fastest form of every spec that its users write.

tools/reference/gen_vectors.py holds reference code written for clarity
(explicit pairwise differences, Python loops over anchors), which makes good
golden vectors and a poor peer. The functions here compute the same losses
the way the anchor libraries do when speed matters:

  * distances from the Gram matrix, x² + x² − 2·addmm, clamped before the
    sqrt (reid-strong-baseline's and fast-reid's euclidean_dist), or
    torch.cdist where a library uses it (PML's LpDistance);
  * masked, vectorised mining (fast-reid's hard_example_mining, PML's
    miners), masked logsumexp with -inf fills;
  * fused built-ins: F.cross_entropy (with label_smoothing), F.linear,
    F.normalize followed by one matrix product, F.kl_div, F.batch_norm,
    F.softplus, torch.linalg.vector_norm;
  * no Python loop over samples.

Each function takes the same arguments, in the same order, as its clarity
twin in gen_vectors.SPECS, and computes the same loss and gradients on
inputs in general position (no exact ties or zero distances, where the
clarity code applies lossgen's conventions and these follow the libraries').
`python3 torch_fast.py --check` compares every pair in float64 on small
random cases (1e-6 relative, loss and every gradient); bench/compare runs
that check before it times anything and stops if a pair disagrees.

Run with Debian's torch: /usr/bin/python3.
"""

import math
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "reference"))
import gen_vectors as gv  # noqa: E402


# ---------------------------------------------------------------------------
# Shared pieces, as the anchor libraries write them.

def normalize(x):
    """F.normalize: x / max(||x||, 1e-12), the same as the specs' guard."""
    return F.normalize(x, dim=1, eps=1e-12)


def euclidean_dist(x, y):
    """reid-strong-baseline / fast-reid euclidean_dist: the Gram expansion,
    clamped at 1e-12 before the sqrt (so a zero distance has gradient 0)."""
    xx = x.pow(2).sum(1, keepdim=True)
    yy = y.pow(2).sum(1, keepdim=True).t()
    d = torch.addmm(xx + yy, x, y.t(), beta=1, alpha=-2)
    return d.clamp(min=1e-12).sqrt()


def pair_masks(labels, other=None):
    """Positive (same label, not self) and negative masks of a batch, or of
    a batch against another set of labels."""
    if other is None:
        same = labels[:, None] == labels[None, :]
        eye = torch.eye(labels.shape[0], dtype=torch.bool)
        return same & ~eye, ~same
    same = labels[:, None] == other[None, :]
    return same, ~same


def hard_mining(d, pos, neg):
    """fast-reid's hard_example_mining with masks: the hardest positive
    (0 without one) and the hardest negative of each row."""
    hp = torch.where(pos, d, torch.zeros_like(d)).max(1).values
    hn = torch.where(neg, d, torch.full_like(d, math.inf)).min(1).values
    hn = torch.where(neg.any(1), hn, torch.zeros_like(hn))
    return hp, hn


def masked_lse(z, mask):
    """Row logsumexp over mask, 0 for an empty row (PML's convention)."""
    lse = torch.logsumexp(z.masked_fill(~mask, -math.inf), 1)
    return torch.where(mask.any(1), lse, torch.zeros_like(lse))


def soft_plus(x):
    """F.softplus without its threshold (exact everywhere, as the spec)."""
    return F.softplus(x, beta=1, threshold=1e4)


# ---------------------------------------------------------------------------
# The shipped specs.

def triplet(anchor, positive, negative, margin=0.3):
    dap = torch.linalg.vector_norm(anchor - positive, dim=1)
    dan = torch.linalg.vector_norm(anchor - negative, dim=1)
    return F.relu(dap - dan + margin).mean()


def improved_triplet(anchor, positive, negative, tau1=-1.0, tau2=0.01, beta=0.002):
    dap = (anchor - positive).pow(2).sum(1)
    dan = (anchor - negative).pow(2).sum(1)
    return ((dap - dan).clamp(min=tau1) + beta * dap.clamp(min=tau2)).mean()


def contrastive(x1, x2, y, margin=1.0):
    d = torch.linalg.vector_norm(x1 - x2, dim=1)
    return (0.5 * torch.where(y == 1, d.pow(2), F.relu(margin - d).pow(2))).mean()


def center(x, centers, labels):
    return (x - centers.index_select(0, labels)).pow(2).sum() / (2 * x.shape[0])


def cross_entropy(logits, labels):
    return F.cross_entropy(logits, labels)


def cross_entropy_ls(logits, labels, eps=0.1):
    return F.cross_entropy(logits, labels, label_smoothing=eps)


def softmax(x, w, b, labels):
    return F.cross_entropy(F.linear(x, w, b), labels)


def batch_hard_triplet(x, labels, margin=0.3):
    pos, neg = pair_masks(labels)
    hp, hn = hard_mining(euclidean_dist(x, x), pos, neg)
    per = F.relu(hp - hn + margin)
    return torch.where(neg.any(1), per, torch.zeros_like(per)).mean()


def batch_hard_triplet_soft(x, labels):
    pos, neg = pair_masks(labels)
    hp, hn = hard_mining(euclidean_dist(x, x), pos, neg)
    per = soft_plus(hp - hn)
    return torch.where(neg.any(1), per, torch.zeros_like(per)).mean()


def batch_all_triplet(x, labels, margin=0.3):
    # PML's all-triplets with AvgNonZero, as one dense N×N×N mask.
    d = euclidean_dist(x, x)
    pos, neg = pair_masks(labels)
    valid = pos[:, :, None] & neg[:, None, :]
    t = (d[:, :, None] - d[:, None, :] + margin) * valid
    hinge = F.relu(t)
    active = (hinge > 0).sum().clamp(min=1)
    return hinge.sum() / active


def circle(x, labels, gamma=128.0, m=0.25):
    # fast-reid's pairwise_circleloss with -inf fills instead of -99999999.
    f = normalize(x)
    s = f @ f.t()
    pos, neg = pair_masks(labels)
    sd = s.detach()
    lp = masked_lse(-gamma * F.relu(1 + m - sd) * (s - (1 - m)), pos)
    ln = masked_lse(gamma * F.relu(sd + m) * (s - m), neg)
    per = soft_plus(lp + ln)
    return torch.where(pos.any(1) & neg.any(1), per, torch.zeros_like(per)).mean()


def arcface(x, w, labels, s=64.0, m=0.5):
    # insightface / arcface-pytorch ArcMarginProduct, easy_margin=False.
    cos = F.linear(normalize(x), normalize(w))
    ct = cos.gather(1, labels[:, None])
    st = (1 - ct.pow(2)).clamp(min=0).sqrt()
    th, mm = math.cos(math.pi - m), math.sin(math.pi - m) * m
    psi = torch.where(ct > th, ct * math.cos(m) - st * math.sin(m), ct - mm)
    return F.cross_entropy(s * cos.scatter(1, labels[:, None], psi), labels)


def cosface(x, w, labels, s=30.0, m=0.35):
    cos = F.linear(normalize(x), normalize(w))
    return F.cross_entropy(s * (cos - F.one_hot(labels, cos.shape[1]).to(cos.dtype) * m), labels)


def focal(logits, labels, gamma=2.0, alpha=0.25):
    logp = F.log_softmax(logits, 1).gather(1, labels[:, None])[:, 0]
    return (-alpha * (1 - logp.exp()).pow(gamma) * logp).mean()


def supcon(x, labels, tau=0.07):
    # HobbitLong/SupContrast, vectorised as written there, one view.
    n = x.shape[0]
    f = normalize(x)
    adc = f @ f.t() / tau
    logits = adc - adc.max(1, keepdim=True).values.detach()
    pos, _ = pair_masks(labels)
    not_self = ~torch.eye(n, dtype=torch.bool)
    log_prob = logits - torch.logsumexp(logits.masked_fill(~not_self, -math.inf), 1, keepdim=True)
    npos = pos.sum(1).clamp(min=1)
    return (-(log_prob * pos).sum(1) / npos).mean()


def multi_similarity(x, labels, alpha=2.0, beta=50.0, lamb=0.5, eps=0.1):
    # PML's MultiSimilarityMiner + MultiSimilarityLoss, vectorised with masks
    # (logsumexp with add_one for log(1 + Σ e^z)).
    f = normalize(x)
    s = f @ f.t()
    pos, neg = pair_masks(labels)
    sd = s.detach()
    min_pos = sd.masked_fill(~pos, math.inf).min(1, keepdim=True).values
    max_neg = sd.masked_fill(~neg, -math.inf).max(1, keepdim=True).values
    keep_pos = pos & (sd - eps < max_neg)
    keep_neg = neg & (sd + eps > min_pos)
    zero = torch.zeros(x.shape[0], 1, dtype=x.dtype)
    lp = torch.logsumexp(torch.cat([zero, (-alpha * (s - lamb)).masked_fill(~keep_pos, -math.inf)], 1), 1) / alpha
    ln = torch.logsumexp(torch.cat([zero, (beta * (s - lamb)).masked_fill(~keep_neg, -math.inf)], 1), 1) / beta
    ok = pos.any(1) & neg.any(1)
    return torch.where(ok, lp + ln, torch.zeros_like(lp)).sum() / x.shape[0]


def reid_baseline(logits, feat, centers, labels, center_weight=0.0005):
    return (cross_entropy_ls(logits, labels) + batch_hard_triplet(feat, labels)
            + center_weight * center(feat, centers, labels))


def hetero_center(v, t, vl, tl, U):
    # Centres of both modalities by one-hot products (index_add), all identities at once.
    ov = F.one_hot(vl, U).to(v.dtype)
    ot = F.one_hot(tl, U).to(t.dtype)
    nv, nt = ov.sum(0), ot.sum(0)
    c1 = ov.t() @ v / nv.clamp(min=1)[:, None]
    c2 = ot.t() @ t / nt.clamp(min=1)[:, None]
    both = (nv > 0) & (nt > 0)
    return ((c1 - c2).pow(2).sum(1) * both).sum()


# ---------------------------------------------------------------------------
# The new-variant suite.

def proxy_nca(x, proxies, labels):
    # PML's ProxyNCALoss shape: squared distances of unit vectors as 2 − 2·cos.
    d = 2 - 2 * F.linear(normalize(x), normalize(proxies))
    target = F.one_hot(labels, proxies.shape[0]).bool()
    d_y = d.gather(1, labels[:, None])[:, 0]
    return (d_y + masked_lse(-d, ~target)).mean()


def ntxent(z1, z2, tau=0.5):
    # SimCLR's own: one 2N×2N similarity matrix, the diagonal masked, cross-entropy.
    n = z1.shape[0]
    f = normalize(torch.cat([z1, z2]))
    sim = (f @ f.t() / tau).fill_diagonal_(-math.inf)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return F.cross_entropy(sim, target)


def moco(q, keys, queue, tau=0.07):
    # MoCo's own: l_pos by einsum, l_neg by one product with the queue,
    # cross-entropy with the positive as class 0.
    qn, kn = normalize(q), normalize(keys)
    lpos = torch.einsum("nc,nc->n", qn, kn)[:, None]
    lneg = qn @ queue.t()
    logits = torch.cat([lpos, lneg], 1) / tau
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))


def angular(anchor, positive, negative, alpha=40.0):
    tan2 = math.tan(alpha * math.pi / 180) ** 2
    c = (anchor + positive) / 2
    return F.relu((anchor - positive).pow(2).sum(1) - 4 * tan2 * (negative - c).pow(2).sum(1)).mean()


def ranked_list(x, labels, alpha=1.2, m=0.4, t=10.0, lambda_=1.0):
    d = euclidean_dist(normalize(x), normalize(x))
    pos, neg = pair_masks(labels)
    hard_pos = pos & (d > alpha - m)
    hard_neg = neg & (d < alpha)
    lp = ((d - (alpha - m)) * hard_pos).sum(1) / hard_pos.sum(1).clamp(min=1)
    w = torch.exp(t * (alpha - d.detach())) * hard_neg
    ln = (w * (alpha - d)).sum(1) / w.sum(1).clamp(min=1e-12)
    return (lp + lambda_ * ln).mean()


def hap2s(x, labels, sigma=0.5, margin=0.3):
    d = euclidean_dist(x, x)
    pos, neg = pair_masks(labels)
    wp = torch.softmax((d / sigma).masked_fill(~pos, -math.inf), 1).nan_to_num(0.0)
    wn = torch.softmax((-d / sigma).masked_fill(~neg, -math.inf), 1).nan_to_num(0.0)
    per = F.relu((wp * d).sum(1) - (wn * d).sum(1) + margin)
    return torch.where(neg.any(1), per, torch.zeros_like(per)).mean()


def align_uniform(x, y, alpha=2.0, t=2.0, lambda_=1.0):
    # Wang & Isola's own code: norm().pow(alpha).mean() and
    # pdist().pow(2).mul(-t).exp().mean().log(), on normalised features.
    fx, fy = normalize(x), normalize(y)
    align = (fx - fy).norm(p=2, dim=1).pow(alpha).mean()
    if x.shape[0] < 2:
        return align

    def uniform(f):
        return torch.pdist(f, p=2).pow(2).mul(-t).exp().mean().log()

    return align + lambda_ * (uniform(fx) + uniform(fy)) / 2


def barlow_twins(z1, z2, lambda_=0.0051):
    # The official code: affine-free BatchNorm, c = bn(z1)ᵀ bn(z2) / N.
    n, d = z1.shape
    c = F.batch_norm(z1, None, None, training=True, eps=1e-5).t() @ F.batch_norm(z2, None, None, training=True, eps=1e-5) / n
    on_diag = (torch.diagonal(c) - 1).pow(2).sum()
    off_diag = c.pow(2).sum() - torch.diagonal(c).pow(2).sum()
    return on_diag + lambda_ * off_diag


def vicreg(x, y, sim_coeff=25.0, std_coeff=25.0, cov_coeff=1.0):
    # The official code (facebookresearch/vicreg), N − 1 taken as 1 at N = 1.
    n, d = x.shape
    inv = F.mse_loss(x, y)
    x = x - x.mean(0)
    y = y - y.mean(0)
    den = max(n - 1, 1)
    std_x = torch.sqrt(x.pow(2).sum(0) / den + 0.0001)
    std_y = torch.sqrt(y.pow(2).sum(0) / den + 0.0001)
    std = F.relu(1 - std_x).mean() / 2 + F.relu(1 - std_y).mean() / 2
    cov_x = x.t() @ x / den
    cov_y = y.t() @ y / den
    off = (cov_x.pow(2).sum() - torch.diagonal(cov_x).pow(2).sum()) / d + \
          (cov_y.pow(2).sum() - torch.diagonal(cov_y).pow(2).sum()) / d
    return sim_coeff * inv + std_coeff * std + cov_coeff * off


def cos_triplet(x, labels, margin=0.3):
    f = normalize(x)
    d = 1 - f @ f.t()
    pos, neg = pair_masks(labels)
    hp = torch.where(pos, d, torch.full_like(d, -math.inf)).max(1).values
    hp = torch.where(pos.any(1), hp, torch.zeros_like(hp))
    hn = torch.where(neg, d, torch.full_like(d, math.inf)).min(1).values
    per = F.relu(hp - hn + margin)
    return torch.where(neg.any(1), per, torch.zeros_like(per)).mean()


def softtriple(x, w, labels, la=20.0, gamma=0.1, delta=0.01):
    # PML's SoftTripleLoss: one product against all C·K centres, reshaped.
    c, k, d = w.shape
    sk = F.linear(normalize(x), normalize(w.reshape(c * k, d))).reshape(-1, c, k)
    s = (torch.softmax(sk / gamma, 2) * sk).sum(2)
    margin = F.one_hot(labels, c).to(s.dtype) * delta
    return F.cross_entropy(la * (s - margin), labels)


def xbm(x, labels, mem, mem_labels, margin=0.3):
    d = euclidean_dist(x, mem)
    pos, neg = pair_masks(labels, mem_labels)
    hp, hn = hard_mining(d, pos, neg)
    per = F.relu(hp - hn + margin)
    return torch.where(pos.any(1) & neg.any(1), per, torch.zeros_like(per)).mean()


def clip(img, txt, t):
    # CLIP's own: logit_scale.exp() * img @ txtᵀ, two cross-entropies.
    logits = t.reshape(()).exp() * (normalize(img) @ normalize(txt).t())
    target = torch.arange(img.shape[0])
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2


def kd(student, teacher, temp=4.0):
    return F.kl_div(F.log_softmax(student / temp, 1), F.log_softmax(teacher / temp, 1),
                    reduction="batchmean", log_target=True) * temp ** 2


FAST = {name: globals()[name] for name in gv.SPECS}


# ---------------------------------------------------------------------------
# The check: every fast reference against its clarity twin.

def check(cases_per_spec=3, tol=1e-6):
    """Compare loss and gradients of FAST and gv.SPECS in float64 on small
    random cases; returns the list of failures (empty when all agree)."""
    gv.F64 = torch.float64
    failures = []
    sizes = [dict(N=6, D=5, C=7, M=5, U=3, Q=9, K=2), dict(N=11, D=17, C=13, M=8, U=4, Q=14, K=3),
             dict(N=16, D=9, C=5, M=16, U=4, Q=20, K=2)]
    for spec in sorted(gv.SPECS):
        for c in range(cases_per_spec):
            dims = gv.pick(spec, **sizes[c % len(sizes)])
            inputs = gv.random_inputs(spec, dims, 7 + 100 * c + len(spec), 1.0)
            if spec in gv.BATCH or spec == "xbm":
                n = dims["N"]
                inputs["labels"] = [i % max(2, n // 3) for i in range(n)]
            want = gv.evaluate(spec, dims, inputs, {})
            got = gv.evaluate(spec, dims, inputs, {}, fn=FAST[spec])
            worst, what = rel_err(want, got)
            status = "ok" if worst <= tol else "MISMATCH"
            print(f"{spec:24s} case {c}: worst relative error {worst:.2e} ({what}) {status}", file=sys.stderr)
            if worst > tol:
                failures.append(f"{spec} case {c}: {what} off by {worst:.2e} relative")
    return failures


def rel_err(want, got):
    """The largest error of got against want: relative to max(1, |loss|) for
    the loss and to the largest magnitude of each gradient (1 if it is 0)."""
    worst, what = abs(got["loss"] - want["loss"]) / max(1.0, abs(want["loss"])), "loss"
    if not math.isfinite(got["loss"]):
        return math.inf, "loss is not finite"
    def flat(g):
        return g if isinstance(g, list) else [g]  # a scalar's gradient is a bare number

    for name, g in want["grads"].items():
        g = flat(g)
        scale = max((abs(v) for v in g), default=0.0) or 1.0
        for k, (a, b) in enumerate(zip(g, flat(got["grads"][name]))):
            e = abs(a - b) / scale if math.isfinite(b) else math.inf
            if e > worst:
                worst, what = e, f"d/d {name}[{k}]"
    return worst, what


if __name__ == "__main__":
    if sys.argv[1:] != ["--check"]:
        raise SystemExit("usage: torch_fast.py --check")
    torch.set_grad_enabled(True)
    bad = check()
    if bad:
        print("\n".join(bad))
        raise SystemExit(1)
    print(f"all {len(FAST)} fast references agree with their clarity twins")
