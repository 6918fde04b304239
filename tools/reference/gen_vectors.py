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
  * a max/min reduction over a (filtered) set sends its gradient to the first
    index attaining it, and is 0 over an empty set, see masked_extreme;
  * logsumexp over an empty set is 0, see masked_logsumexp;
  * softplus is exact everywhere (torch's F.softplus cuts off at 20);
  * stopgrad is .detach();
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


def softplus(x):
    """log(1 + e^x) without overflow and without torch's threshold=20 cut-off.

    Each branch sees only arguments it can take (the other gets 0), so the
    unselected branch cannot put inf * 0 = NaN into the gradient; at x = 0
    the gradient is sigmoid(0) = 1/2.
    """
    pos = x > 0
    xp = torch.where(pos, x, torch.zeros_like(x))
    xn = torch.where(pos, torch.zeros_like(x), x)
    return torch.where(pos, xp + torch.log1p(torch.exp(-xp)), torch.log1p(torch.exp(xn)))


def masked_extreme(vals, mask, largest):
    """Row-wise max (largest) or min of vals over mask, 0 for an empty row.

    lossgen routes the gradient of a max/min reduction to the *first* index
    that attains it; torch.max(dim) promises no particular index on ties, so
    the index is chosen here explicitly and the value taken with gather.
    """
    n = vals.shape[1]
    fill = -math.inf if largest else math.inf
    masked = torch.where(mask, vals, torch.full_like(vals, fill)).detach()
    best = masked.max(1).values if largest else masked.min(1).values
    hit = mask & (vals.detach() == best[:, None])
    cols = torch.arange(n).expand_as(hit)
    idx = torch.where(hit, cols, torch.full_like(cols, n)).min(1).values.clamp(max=n - 1)
    picked = vals.gather(1, idx[:, None])[:, 0]
    return torch.where(mask.any(1), picked, torch.zeros_like(picked))


def masked_logsumexp(vals, mask):
    """Row-wise logsumexp of vals over mask (torch's max-shifted one); 0 for an empty row."""
    empty = ~mask.any(1)
    keep = mask | empty[:, None]
    v = torch.where(keep, vals, torch.full_like(vals, -math.inf))
    v = torch.where(empty[:, None], torch.zeros_like(vals), v)
    return torch.where(empty, torch.zeros(vals.shape[0], dtype=F64), torch.logsumexp(v, 1))


def pdist(x):
    """Euclidean distances of the rows of x, by explicit differences (no Gram
    expansion, so the diagonal is exactly 0), with sqrt'(0) = 0."""
    return sqrt0(((x[:, None, :] - x[None, :, :]) ** 2).sum(2))


def l2_normalize(x):
    """x / max(||x||, 1e-12) per row, as torch's F.normalize."""
    return x / max_first(sqrt0((x ** 2).sum(1)), 1e-12)[:, None]


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


def batch_hard_triplet(x, labels, margin=0.3):
    # Hermans, Beyer, Leibe 2017, batch hard, written as fast-reid's masked
    # mining (any number of samples per identity): hardest positive
    # (j != i, same label; 0 if there is none, as reid-strong-baseline's
    # self-distance), hardest negative; an anchor without a negative has no
    # triplet and contributes 0 (fast-reid's 1e9 fill makes its hinge 0).
    n = x.shape[0]
    d = pdist(x)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool)
    hp = masked_extreme(d, same & ~eye, largest=True)
    hn = masked_extreme(d, ~same, largest=False)
    per = relu(hp - hn + margin)
    return torch.where((~same).any(1), per, torch.zeros_like(per)).mean()


def batch_hard_triplet_soft(x, labels):
    # The same mining, soft margin: mean softplus(hp - hn) (Hermans' margin='soft').
    n = x.shape[0]
    d = pdist(x)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool)
    hp = masked_extreme(d, same & ~eye, largest=True)
    hn = masked_extreme(d, ~same, largest=False)
    per = softplus(hp - hn)
    return torch.where((~same).any(1), per, torch.zeros_like(per)).mean()


def batch_all_triplet(x, labels, margin=0.3):
    # Hermans et al. 2017 "BA!=0" = PML's AvgNonZeroReducer: the hinge over
    # every (a, p != a same label, n other label), summed and divided by the
    # number of positive terms (a constant for autograd); 0 when there is none.
    n = x.shape[0]
    d = pdist(x)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool)
    valid = (same & ~eye)[:, :, None] & (~same)[:, None, :]  # [a, p, n]
    t = d[:, :, None] - d[:, None, :] + margin
    hinge = torch.where(valid, relu(t), torch.zeros_like(t))
    active = int(((t > 0) & valid).sum())
    return hinge.sum() / max(active, 1)


def circle(x, labels, gamma=128.0, m=0.25):
    # Sun et al. 2020, pairwise form, as fast-reid's pairwise_circleloss:
    # s = cosine similarities; alpha_p = [1 + m - s_p]_+, alpha_n = [s_n + m]_+,
    # both detached; softplus(LSE_p(-gamma alpha_p (s_p - (1 - m)))
    # + LSE_n(gamma alpha_n (s_n - m))), mean over anchors; an anchor with no
    # positive or no negative gives 0 (fast-reid's -99999999 fill does too).
    n = x.shape[0]
    f = l2_normalize(x)
    s = f @ f.T
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool)
    is_pos, is_neg = same & ~eye, ~same
    alpha_p = relu(1 + m - s.detach())
    alpha_n = relu(s.detach() + m)
    lp = masked_logsumexp(-gamma * alpha_p * (s - (1 - m)), is_pos)
    ln = masked_logsumexp(gamma * alpha_n * (s - m), is_neg)
    per = softplus(lp + ln)
    ok = is_pos.any(1) & is_neg.any(1)
    return torch.where(ok, per, torch.zeros_like(per)).mean()


def margin_cosines(x, w):
    """cos(theta_ic) of normalised features and normalised class weights."""
    return l2_normalize(x) @ l2_normalize(w).T


def arcface(x, w, labels, s=64.0, m=0.5):
    # Deng et al. 2019, insightface's ArcFace (and arcface-pytorch's
    # ArcMarginProduct with easy_margin=False): target logit cos(theta + m)
    # = cos*cos(m) - sin*sin(m), sin = sqrt(1 - cos^2); where cos <= th =
    # cos(pi - m) the monotone fallback cos - mm, mm = sin(pi - m)*m; all
    # logits times s; cross-entropy, mean over the batch.
    cos = margin_cosines(x, w)
    onehot = torch.zeros_like(cos, dtype=torch.bool).scatter_(1, labels[:, None], True)
    ct = cos.gather(1, labels[:, None])[:, 0]
    st = sqrt0(max_first(1 - ct ** 2, 0.0))
    th, mm = math.cos(math.pi - m), math.sin(math.pi - m) * m
    psi = torch.where(ct > th, ct * math.cos(m) - st * math.sin(m), ct - mm)
    logits = s * torch.where(onehot, psi[:, None].expand_as(cos), cos)
    return cross_entropy(logits, labels)


def cosface(x, w, labels, s=30.0, m=0.35):
    # CosFace / AM-Softmax (Wang et al. 2018): s * (cos - m * onehot), then
    # cross-entropy, mean over the batch.
    cos = margin_cosines(x, w)
    onehot = torch.zeros_like(cos).scatter_(1, labels[:, None], 1.0)
    return cross_entropy(s * (cos - m * onehot), labels)


def focal(logits, labels, gamma=2.0, alpha=0.25):
    # Lin et al. 2017, softmax form of fast-reid's focal_loss:
    # mean_i -alpha (1 - p_i)^gamma log p_i, p_i = softmax(z_i)[y_i]
    # (from log_softmax, where fast-reid takes log(softmax)).
    logp = torch.log_softmax(logits, 1).gather(1, labels[:, None])[:, 0]
    return (-alpha * (1 - logp.exp()) ** gamma * logp).mean()


def supcon(x, labels, tau=0.07):
    # Khosla et al. 2020, HobbitLong/SupContrast SupConLoss (temperature =
    # base_temperature = 0.07, one view, features normalised here):
    # log_prob = logits - log sum_{a != i} exp(logits), logits shifted by the
    # detached row max; mean of log_prob over the positives (count 1 where
    # there are none, so those anchors give 0); minus, mean over anchors.
    n = x.shape[0]
    f = l2_normalize(x)
    adc = f @ f.T / tau
    logits = adc - adc.max(1, keepdim=True).values.detach()
    same = (labels[:, None] == labels[None, :]).double()
    logits_mask = 1 - torch.eye(n, dtype=F64)
    mask = same * logits_mask
    exp_logits = torch.exp(logits) * logits_mask
    log_prob = logits - torch.log(exp_logits.sum(1, keepdim=True))
    npos = mask.sum(1)
    npos = torch.where(npos < 1e-6, torch.ones_like(npos), npos)
    mean_log_prob_pos = (mask * log_prob).sum(1) / npos
    return (-(tau / 0.07) * mean_log_prob_pos).mean()


def multi_similarity(x, labels, alpha=2.0, beta=50.0, lamb=0.5, eps=0.1):
    # Wang et al. 2019, the per-anchor loop of msight-tech/research-ms-loss
    # (with PML's defaults and log1p for log(1 + .)): cosine similarities;
    # positives j != i of the same label, negatives of other labels; keep a
    # negative if s + eps > min positive, a positive if s - eps < max
    # negative (the mining takes no gradient); skip anchors without positives
    # or negatives; sum / batch size.
    n = x.shape[0]
    f = l2_normalize(x)
    sim = f @ f.T
    total = torch.zeros((), dtype=F64)
    for i in range(n):
        pos_mask = (labels == labels[i]) & (torch.arange(n) != i)
        neg_mask = labels != labels[i]
        if not pos_mask.any() or not neg_mask.any():
            continue
        sp, sn = sim[i][pos_mask], sim[i][neg_mask]
        neg = sn[sn + eps > sp.detach().min()]
        pos = sp[sp - eps < sn.detach().max()]
        pos_loss = torch.log1p(torch.exp(-alpha * (pos - lamb)).sum()) / alpha
        neg_loss = torch.log1p(torch.exp(beta * (neg - lamb)).sum()) / beta
        total = total + pos_loss + neg_loss
    return total / n


def reid_baseline(logits, feat, centers, labels, center_weight=0.0005):
    """Bag of Tricks (Luo et al. 2019): label-smoothed CE on the logits +
    batch-hard triplet on the features + 0.0005 x center loss."""
    return (cross_entropy_ls(logits, labels) + batch_hard_triplet(feat, labels)
            + center_weight * center(feat, centers, labels))


def hetero_center(v, t, vl, tl, U):
    # Zhu et al., Neurocomputing 2020: per identity u in [0, U), the centre of
    # each modality is the mean of its features, c1_u = mean(v_j : vl_j = u),
    # c2_u = mean(t_j : tl_j = u); the loss is sum_u ||c1_u - c2_u||^2 over
    # the identities present in both modalities (one absent from either
    # contributes nothing). Any counts, any order: the official hetero_loss
    # assumes equal contiguous chunks (and adds a margin; not here).
    total = torch.zeros((), dtype=F64)
    for u in range(U):
        mv, mt = vl == u, tl == u
        if mv.any() and mt.any():
            total = total + ((v[mv].mean(0) - t[mt].mean(0)) ** 2).sum()
    return total


# ---------------------------------------------------------------------------
# The new-variant suite: losses written from their papers after the shipped
# ones, by someone who had not tuned the compiler for them.

def onehot_mask(labels, c):
    return torch.zeros(labels.shape[0], c, dtype=torch.bool).scatter_(1, labels[:, None], True)


def proxy_nca(x, proxies, labels):
    # Movshovitz-Attias et al. 2017: normalised features and proxies, squared
    # Euclidean distances; -log(exp(-d_y) / sum_{z != y} exp(-d_z)).
    d = ((l2_normalize(x)[:, None, :] - l2_normalize(proxies)[None, :, :]) ** 2).sum(2)
    target = onehot_mask(labels, proxies.shape[0])
    d_y = d.gather(1, labels[:, None])[:, 0]
    return (d_y + masked_logsumexp(-d, ~target)).mean()


def ntxent(z1, z2, tau=0.5):
    # SimCLR (Chen et al. 2020): 2N embeddings, each with its other view as
    # the positive and every other embedding in the denominator.
    n = z1.shape[0]
    f = torch.cat([l2_normalize(z1), l2_normalize(z2)])
    sim = f @ f.T / tau
    total = torch.zeros((), dtype=F64)
    for a in range(2 * n):
        p = (a + n) % (2 * n)
        others = torch.tensor([k for k in range(2 * n) if k != a])
        total = total + torch.log(torch.exp(sim[a, others]).sum()) - sim[a, p]
    return total / (2 * n)


def moco(q, keys, queue, tau=0.07):
    # MoCo (He et al. 2020): InfoNCE of q against its key (positive) and a
    # queue of negatives; keys and queue take no gradient.
    qn, kn = l2_normalize(q), l2_normalize(keys.detach())
    lpos = (qn * kn).sum(1) / tau
    lneg = qn @ queue.detach().T / tau
    return (torch.log(torch.exp(lpos) + torch.exp(lneg).sum(1)) - lpos).mean()


def angular(anchor, positive, negative, alpha=40.0):
    # Wang et al. 2017, triplet form: [||a - p||^2 - 4 tan^2(alpha) ||n - c||^2]_+,
    # c the midpoint of a and p.
    tan2 = math.tan(alpha * math.pi / 180) ** 2
    c = (anchor + positive) / 2
    return relu(((anchor - positive) ** 2).sum(1) - 4 * tan2 * ((negative - c) ** 2).sum(1)).mean()


def ranked_list(x, labels, alpha=1.2, m=0.4, t=10.0, lambda_=1.0):
    # Wang et al. 2019, per anchor: positives beyond alpha - m, averaged;
    # negatives inside alpha, weighted by exp(T (alpha - d)) held constant.
    n = x.shape[0]
    d = pdist(l2_normalize(x))
    total = torch.zeros((), dtype=F64)
    for i in range(n):
        lp = torch.zeros((), dtype=F64)
        pos = [j for j in range(n) if j != i and labels[j] == labels[i] and d[i, j] > alpha - m]
        if pos:
            lp = torch.stack([d[i, j] - (alpha - m) for j in pos]).mean()
        neg = [j for j in range(n) if labels[j] != labels[i] and d[i, j] < alpha]
        ln = torch.zeros((), dtype=F64)
        if neg:
            w = torch.stack([torch.exp(t * (alpha - d[i, j])).detach() for j in neg])
            ln = (w * torch.stack([alpha - d[i, j] for j in neg])).sum() / max_first(w.sum(), 1e-12)
        total = total + lp + lambda_ * ln
    return total / n


def hap2s(x, labels, sigma=0.5, margin=0.3):
    # Yu et al. 2018, HAP2S_E: softmax-weighted point-to-set distances,
    # exp(d/sigma) over the positives, exp(-d/sigma) over the negatives.
    n = x.shape[0]
    d = pdist(x)
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool)
    pos, neg = same & ~eye, ~same
    # softmax weights over each set; exp only sees its set's entries (outside
    # them, -inf), so the other entries cannot put inf * 0 into the gradient
    ninf = torch.full_like(d, -math.inf)
    wp = torch.exp(torch.where(pos, d / sigma - masked_logsumexp(d / sigma, pos)[:, None], ninf))
    wn = torch.exp(torch.where(neg, -d / sigma - masked_logsumexp(-d / sigma, neg)[:, None], ninf))
    dp = (wp * d).sum(1)
    dn = (wn * d).sum(1)
    per = relu(dp - dn + margin)
    return torch.where(neg.any(1), per, torch.zeros_like(per)).mean()


def align_uniform(x, y, alpha=2.0, t=2.0, lambda_=1.0):
    # Wang & Isola 2020 on normalised features: align + lambda (uniform(x) + uniform(y)) / 2.
    fx, fy = l2_normalize(x), l2_normalize(y)
    n = x.shape[0]
    align = (((fx - fy) ** 2).sum(1) ** (alpha / 2)).mean()

    def uniform(f):
        if n < 2:
            return torch.zeros((), dtype=F64)
        sq = ((f[:, None, :] - f[None, :, :]) ** 2).sum(2)
        upper = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        return torch.log(torch.exp(-t * sq[upper]).mean())

    return align + lambda_ * (uniform(fx) + uniform(fy)) / 2


def barlow_twins(z1, z2, lambda_=0.0051):
    # Zbontar et al. 2021: cross-correlation of the batch-standardised views
    # (biased variance, eps 1e-5), on-diagonal to 1, off-diagonal to 0.
    n = z1.shape[0]

    def standardise(z):
        m = z.mean(0)
        return (z - m) / torch.sqrt(((z - m) ** 2).mean(0) + 1e-5)

    c = standardise(z1).T @ standardise(z2) / n
    diag = torch.eye(c.shape[0], dtype=torch.bool)
    return ((1 - c[diag]) ** 2).sum() + lambda_ * (c[~diag] ** 2).sum()


def vicreg(x, y, sim_coeff=25.0, std_coeff=25.0, cov_coeff=1.0):
    # Bardes et al. 2022, as the official code: invariance, variance hinge on
    # the unbiased std (eps 1e-4), off-diagonal covariance over D (N - 1 taken
    # as 1 for a batch of one).
    n, d = x.shape
    inv = ((x - y) ** 2).mean()
    xc, yc = x - x.mean(0), y - y.mean(0)
    den = max(n - 1, 1)
    std_x = torch.sqrt((xc ** 2).sum(0) / den + 0.0001)
    std_y = torch.sqrt((yc ** 2).sum(0) / den + 0.0001)
    var = relu(1 - std_x).mean() / 2 + relu(1 - std_y).mean() / 2
    off = ~torch.eye(d, dtype=torch.bool)
    cov = ((xc.T @ xc / den)[off] ** 2).sum() / d + ((yc.T @ yc / den)[off] ** 2).sum() / d
    return sim_coeff * inv + std_coeff * var + cov_coeff * cov


def cos_triplet(x, labels, margin=0.3):
    # Batch-hard triplet (Hermans et al. 2017) on cosine distances 1 - cos.
    n = x.shape[0]
    f = l2_normalize(x)
    d = 1 - f @ f.T
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool)
    hp = masked_extreme(d, same & ~eye, largest=True)
    hn = masked_extreme(d, ~same, largest=False)
    per = relu(hp - hn + margin)
    return torch.where((~same).any(1), per, torch.zeros_like(per)).mean()


def softtriple(x, w, labels, la=20.0, gamma=0.1, delta=0.01):
    # Qian et al. 2019: per class the softmax(1/gamma)-weighted similarity to
    # its K normalised centres; cross-entropy of la (s - delta [c = y]).
    f = l2_normalize(x)
    c, k, d = w.shape
    wn = l2_normalize(w.reshape(c * k, d)).reshape(c, k, d)
    sk = torch.einsum("id,ckd->ick", f, wn)
    s = (torch.softmax(sk / gamma, 2) * sk).sum(2)
    logits = la * (s - delta * onehot_mask(labels, c).double())
    return cross_entropy(logits, labels)


def xbm(x, labels, mem, mem_labels, margin=0.3):
    # Cross-batch memory (Wang et al. 2020), batch-hard against the memory.
    d = sqrt0(((x[:, None, :] - mem.detach()[None, :, :]) ** 2).sum(2))
    same = labels[:, None] == mem_labels[None, :]
    hp = masked_extreme(d, same, largest=True)
    hn = masked_extreme(d, ~same, largest=False)
    per = relu(hp - hn + margin)
    return torch.where(same.any(1) & (~same).any(1), per, torch.zeros_like(per)).mean()


def clip(img, txt, t):
    # Radford et al. 2021: symmetric cross-entropy of exp(t) cos over the
    # image-text pairs, matching pairs on the diagonal.
    logits = torch.exp(t.reshape(())) * l2_normalize(img) @ l2_normalize(txt).T
    diag = torch.diagonal(logits)
    li = torch.logsumexp(logits, 1) - diag
    lt = torch.logsumexp(logits, 0) - diag
    return (li.mean() + lt.mean()) / 2


def kd(student, teacher, temp=4.0):
    # Hinton et al. 2015: T^2 KL(softmax(t/T) || softmax(s/T)), batch mean.
    lt = torch.log_softmax(teacher.detach() / temp, 1)
    ls = torch.log_softmax(student / temp, 1)
    return temp ** 2 * (lt.exp() * (lt - ls)).sum(1).mean()


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
    "arcface": (arcface, [("x", "ND"), ("w", "CD"), ("labels", "N", "C")]),
    "batch_all_triplet": (batch_all_triplet, [("x", "ND"), ("labels", "N", "P")]),
    "batch_hard_triplet": (batch_hard_triplet, [("x", "ND"), ("labels", "N", "P")]),
    "batch_hard_triplet_soft": (batch_hard_triplet_soft, [("x", "ND"), ("labels", "N", "P")]),
    "circle": (circle, [("x", "ND"), ("labels", "N", "P")]),
    "cosface": (cosface, [("x", "ND"), ("w", "CD"), ("labels", "N", "C")]),
    "focal": (focal, [("logits", "NC"), ("labels", "N", "C")]),
    "multi_similarity": (multi_similarity, [("x", "ND"), ("labels", "N", "P")]),
    "supcon": (supcon, [("x", "ND"), ("labels", "N", "P")]),
    "reid_baseline": (reid_baseline, [("logits", "NC"), ("feat", "ND"), ("centers", "CD"), ("labels", "N", "C")]),
    "hetero_center": (hetero_center, [("v", "ND"), ("t", "MD"), ("vl", "N", "U"), ("tl", "M", "U")]),
    "proxy_nca": (proxy_nca, [("x", "ND"), ("proxies", "CD"), ("labels", "N", "C")]),
    "ntxent": (ntxent, [("z1", "ND"), ("z2", "ND")]),
    "moco": (moco, [("q", "ND"), ("keys", "ND"), ("queue", "QD")]),
    "angular": (angular, [("anchor", "ND"), ("positive", "ND"), ("negative", "ND")]),
    "ranked_list": (ranked_list, [("x", "ND"), ("labels", "N", "P")]),
    "hap2s": (hap2s, [("x", "ND"), ("labels", "N", "P")]),
    "align_uniform": (align_uniform, [("x", "ND"), ("y", "ND")]),
    "barlow_twins": (barlow_twins, [("z1", "ND"), ("z2", "ND")]),
    "vicreg": (vicreg, [("x", "ND"), ("y", "ND")]),
    "cos_triplet": (cos_triplet, [("x", "ND"), ("labels", "N", "P")]),
    "softtriple": (softtriple, [("x", "ND"), ("w", "CKD"), ("labels", "N", "C")]),
    "xbm": (xbm, [("x", "ND"), ("labels", "N", "P"), ("mem", "QD"), ("mem_labels", "Q", "P")]),
    "clip": (clip, [("img", "ND"), ("txt", "ND"), ("t", "")]),
    "kd": (kd, [("student", "NC"), ("teacher", "NC")]),
}

# Which real inputs take no gradient (nograd in the spec): their gradient is
# not part of lossgen run's answer.
NOGRAD = {"moco": ["keys", "queue"], "xbm": ["mem"], "kd": ["teacher"]}

# Spec params whose names are Python keywords: the torch function takes them
# with a trailing underscore.
PARAM_ALIASES = {"lambda": "lambda_"}

# Sizes a spec declares with `size` (in no input's shape): they are passed to
# the torch function as keyword arguments.
SIZE_ARGS = {"hetero_center": ["U"]}

# The batch losses: labels are identities compared with each other, drawn
# from P = max(2, N // 4) identities in the random cases (P is not a size of
# the spec); they also get the hand-built label layouts of batch_cases.
BATCH = ("batch_all_triplet", "batch_hard_triplet", "batch_hard_triplet_soft",
         "circle", "multi_similarity", "supcon", "ranked_list", "hap2s", "cos_triplet")

# Seeds are 1000 * (position here + 1) + case number: the first seven are the
# original specs in their original order, so their vectors do not change
# when specs are added. New specs go at the end.
SEED_ORDER = ["center", "contrastive", "cross_entropy", "cross_entropy_ls",
              "improved_triplet", "softmax", "triplet",
              "arcface", "batch_all_triplet", "batch_hard_triplet", "batch_hard_triplet_soft",
              "circle", "cosface", "focal", "multi_similarity", "supcon", "reid_baseline",
              "hetero_center",
              "proxy_nca", "ntxent", "moco", "angular", "ranked_list", "hap2s", "align_uniform",
              "barlow_twins", "vicreg", "cos_triplet", "softtriple", "xbm", "clip", "kd"]


def sizes_of(spec):
    """The size symbols a spec uses, in first-use order."""
    out = []
    for inp in SPECS[spec][1]:
        for s in inp[1]:
            if s not in out:
                out.append(s)
    return out + [s for s in SIZE_ARGS.get(spec, []) if s not in out]


# ---------------------------------------------------------------------------
# Evaluation: plain Python data in, lossgen run's output format out.

def evaluate(spec, dims, inputs, params, fn=None):
    """Loss and autograd gradients of every real input, as flat lists, of
    the spec's reference function, or of fn (same arguments) if given."""
    ref, decl = SPECS[spec]
    fn = fn or ref
    args, reals = [], {}
    for inp in decl:
        name, shape = inp[0], [dims[s] for s in inp[1]]
        if len(inp) == 3:  # integer input
            args.append(torch.tensor(inputs[name], dtype=torch.int64).reshape(shape))
            continue
        t = torch.tensor(inputs[name], dtype=F64).reshape(shape)  # a bare number for a scalar
        if name not in NOGRAD.get(spec, []):
            reals[name] = t.requires_grad_(True)
        args.append(t)
    kw = {PARAM_ALIASES.get(k, k): v for k, v in params.items()}
    loss = fn(*args, **kw, **{s: dims[s] for s in SIZE_ARGS.get(spec, [])})
    if loss.requires_grad:  # a loss with no term at all is a constant 0
        loss.backward()
    grads = {k: (t.grad if t.grad is not None else torch.zeros_like(t)).reshape(-1).tolist()
             for k, t in reals.items()}
    values = [loss.item()] + [g for gs in grads.values() for g in gs]
    # lossgen run writes a scalar input's gradient as a bare number
    grads = {k: (g[0] if reals[k].dim() == 0 else g) for k, g in grads.items()}
    out = {"loss": loss.item(), "grads": grads}
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
            hi = inp[2] if isinstance(inp[2], int) else dims.get(inp[2], max(2, dims["N"] // 4))
            out[inp[0]] = torch.randint(0, hi, (n,), generator=g).tolist()
        else:
            u = torch.rand(n, generator=g, dtype=F64) * 2 - 1
            s = scale.get(inp[0], 1.0) if isinstance(scale, dict) else scale
            u = u * s
            if inp[0] in UNIT_ROWS.get(spec, []):
                # an input the spec's contract says holds unit rows
                u = l2_normalize(u.reshape(-1, dims["D"])).reshape(-1)
            out[inp[0]] = u.float().double().tolist()
            if inp[1] == "":  # a scalar input is a bare number in lossgen run's JSON
                out[inp[0]] = out[inp[0]][0]
    return out


# Inputs whose rows the spec expects L2-normalised (moco's queue of keys).
UNIT_ROWS = {"moco": ["queue"]}


def pick(spec, **sizes):
    """The sizes a spec uses, from the given ones."""
    return {s: sizes[s] for s in sizes_of(spec)}


# ---------------------------------------------------------------------------
# Cases.

# M (a second batch) and U (identities) are hetero_center's; pick() leaves
# them out of every other spec's dims.
TINY = dict(N=3, D=5, C=7, M=4, U=2, Q=4, K=2)
ODD = dict(N=33, D=131, C=751, M=29, U=7, Q=37, K=3)
# A C x D input at 751 x 131 would be 98k numbers per file; these specs use
# smaller odd sizes (still not multiples of 4) to keep the vectors small.
ODD_OVERRIDE = {"softmax": dict(N=33, D=67, C=151), "center": dict(N=33, D=131, C=151),
                "arcface": dict(N=33, D=67, C=151), "cosface": dict(N=33, D=67, C=151),
                "focal": dict(N=33, C=151), "reid_baseline": dict(N=33, D=131, C=151),
                "proxy_nca": dict(N=33, D=67, C=151), "softtriple": dict(N=33, D=67, C=31, K=3),
                "kd": dict(N=33, C=151)}
SCALED = dict(N=9, D=37, C=53, M=11, U=3, Q=13, K=3)
# Scale of the "scaled" case: inputs x1000, logits x1e4 (the issue's
# "logits of +-1e4": exp would overflow without the max shift).
SCALE = {"cross_entropy": 1e4, "cross_entropy_ls": 1e4,
         # clip's temperature is a log scale: exp(1000) is no input anyone trains with
         "clip": {"img": 1e3, "txt": 1e3, "t": 1.0},
         # moco's queue holds unit keys whatever the scale of the queries
         "moco": {"q": 1e3, "keys": 1e3, "queue": 1.0},
         # kd's logits as cross_entropy's: the max shift must hold at 1e4
         "kd": 1e4}


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
    elif spec in ("batch_hard_triplet", "batch_hard_triplet_soft", "batch_all_triplet"):
        # Exact ties in the mining and exact zero distances (all values dyadic):
        # anchor 0 (identity 0, at the origin) has two positives at distance 1
        # (+-e0: hp ties, the gradient goes to the first, j = 1) and its
        # nearest negative is sample 6, a duplicate of it (hn = 0, so
        # sqrt'(0) = 0 matters); samples 3 and 5 (identity 1) coincide
        # (d = 0 between positives); anchor 1's three negatives 3, 4, 5 are all
        # at sqrt(1.25) (hn ties: to j = 3); sample 6 is identity 2's only
        # sample (no positive: hp = 0).
        x = rows(z, e(0), e(0, -1.0), e(1, 0.5), e(1, -0.5), e(1, 0.5), z)
        yield "tie", dict(N=7, D=D), dict(x=x, labels=[0, 0, 0, 1, 1, 1, 2]), {}
    elif spec == "arcface":
        # The branches of the target logit: sample 0 points exactly away from
        # its class weight (cos = -1 < cos(pi - m): the fallback cos - m sin m,
        # where sin theta = 0); sample 1 at cos = -0.96 (fallback, 1 - cos^2 > 0);
        # sample 2 exactly along its class weight (cos = 1: sin theta = 0, the
        # cos(theta + m) branch with sqrt'(0) = 0); sample 3 generic.
        w = rows([0.5, -0.25, 1.0, 0.125, -0.75], [1.0, 0.0, 0.0, 0.0, 0.0],
                 [0.0, 1.0, 0.0, 0.0, 0.0], [-0.5, 0.5, 0.25, 1.0, 0.0])
        x = rows([-1.0, 0.5, -2.0, -0.25, 1.5], [-0.96875, 0.25, 0.0, 0.0, 0.0],
                 [0.0, 2.0, 0.0, 0.0, 0.0], [0.25, 1.0, -0.5, 0.75, -1.0])
        yield "fallback", dict(N=4, D=5, C=4), dict(x=x, w=w, labels=[0, 1, 2, 3]), {}
    elif spec == "softmax":
        # w has two equal rows and equal biases, so classes 0 and 2 tie for every
        # sample; sample 1 is the zero vector, so its logits are exactly b.
        w = rows([0.5, -0.25, 1.0], [1.0, 0.0, -0.5], [0.5, -0.25, 1.0], [-1.0, 0.75, 0.25])
        b = [0.25, 0.0, 0.25, 0.25]
        x = rows([1.0, 0.5, -0.25], [0, 0, 0], [-0.5, 1.0, 0.75])
        yield "tie", dict(N=3, D=3, C=4), dict(x=x, w=w, b=b, labels=[0, 3, 2]), {}


def batch_cases(spec, seed):
    """Label layouts for the batch losses, with seeded random features
    (N x D, D = 16): (case, dims, inputs, params)."""
    if spec not in BATCH:
        return
    g = torch.Generator().manual_seed(seed)
    D = 16

    def feats(n):
        return ((torch.rand(n * D, generator=g, dtype=F64) * 2 - 1).float().double()).tolist()

    # PK sampling, P = 4 identities x K = 4, in shuffled order.
    pk = [i // 4 for i in range(16)]
    pk = [pk[j] for j in torch.randperm(16, generator=g).tolist()]
    yield "pk", dict(N=16, D=D), dict(x=feats(16), labels=pk), {}
    # An identity with a single sample (K = 1: no positive for that anchor).
    single = [0, 1, 2, 0, 1, 2, 3, 0, 1, 2]
    yield "single", dict(N=10, D=D), dict(x=feats(10), labels=single), {}
    # Unequal K per identity (5, 1, 2, 4, 1): reid-strong-baseline's
    # hard_example_mining cannot reshape this batch.
    unequal = [0, 3, 0, 2, 0, 3, 3, 1, 0, 4, 3, 0, 2]
    yield "unequal", dict(N=13, D=D), dict(x=feats(13), labels=unequal), {}
    # A single identity: no negative anywhere, so no valid triplet
    # (batch_all: 0; batch-hard, circle, multi-similarity: 0 too).
    yield "one_identity", dict(N=6, D=D), dict(x=feats(6), labels=[5] * 6), {}


def reid_cases(spec, seed):
    """A PK batch for the composite loss: 4 identities x 4 samples, so the
    triplet term has positives (random labels over C classes rarely do)."""
    if spec != "reid_baseline":
        return
    g = torch.Generator().manual_seed(seed)
    N, D, C = 16, 16, 6
    pk = [i // 4 for i in range(N)]
    pk = [pk[j] for j in torch.randperm(N, generator=g).tolist()]

    def u(n):
        return ((torch.rand(n, generator=g, dtype=F64) * 2 - 1).float().double()).tolist()

    yield "pk", dict(N=N, C=C, D=D), dict(logits=u(N * C), feat=u(N * D), centers=u(C * D), labels=pk), {}


def hetero_cases(spec, seed):
    """Hand-built identity layouts for hetero_center, with seeded random
    features (D = 8): (case, dims, inputs, params)."""
    if spec != "hetero_center":
        return
    g = torch.Generator().manual_seed(seed)
    D = 8

    def feats(n):
        return ((torch.rand(n * D, generator=g, dtype=F64) * 2 - 1).float().double()).tolist()

    # Identities 0 and 1 in both modalities, 2 only visible, 3 only infrared:
    # 2 and 3 contribute nothing, and their features get a zero gradient.
    vl, tl = [0, 1, 2, 0, 1, 2], [1, 0, 3, 1, 0]
    yield "one_modality", dict(N=6, D=D, M=5, U=4), dict(v=feats(6), t=feats(5), vl=vl, tl=tl), {}
    # Unequal counts, interleaved: visible 5, 2, 2 and infrared 1, 1, 3 samples
    # of identities 0, 1, 2 (the official code's equal chunks cannot hold this).
    vl, tl = [2, 0, 0, 1, 0, 2, 0, 1, 0], [1, 0, 2, 2, 2]
    yield "unequal", dict(N=9, D=D, M=5, U=3), dict(v=feats(9), t=feats(5), vl=vl, tl=tl), {}


def xbm_cases(spec, seed):
    """Memory layouts for xbm (D = 8): an anchor whose identity the memory
    does not hold (no positive: it contributes 0), and a memory of a single
    identity (no negative for the anchors of that identity)."""
    if spec != "xbm":
        return
    g = torch.Generator().manual_seed(seed)
    D = 8

    def feats(n):
        return ((torch.rand(n * D, generator=g, dtype=F64) * 2 - 1).float().double()).tolist()

    # anchors of identities 0, 1, 2, 5; the memory holds 0, 1, 2 (5 has no positive)
    yield "absent", dict(N=4, D=D, Q=9), dict(x=feats(4), labels=[0, 1, 2, 5], mem=feats(9),
                                             mem_labels=[2, 0, 1, 1, 0, 2, 2, 0, 1]), {}
    # the memory holds identity 3 only: every anchor of 3 lacks a negative
    yield "one_identity", dict(N=3, D=D, Q=5), dict(x=feats(3), labels=[3, 3, 1], mem=feats(5),
                                                   mem_labels=[3] * 5), {}


def all_cases():
    for spec in sorted(SPECS):
        k = SEED_ORDER.index(spec)
        for j, (case, dims, scale) in enumerate(random_cases(spec, 0)):
            seed = 1000 * (k + 1) + j
            inputs = random_inputs(spec, dims, seed, scale)
            if spec in BATCH and case == "tiny":
                inputs["labels"] = [0, 1, 0]  # one positive pair and negatives for everyone
            yield spec, case, dims, inputs, {}
        for case, dims, inputs, params in batch_cases(spec, 1000 * (k + 1) + 500):
            yield spec, case, dims, inputs, params
        for case, dims, inputs, params in reid_cases(spec, 1000 * (k + 1) + 700):
            yield spec, case, dims, inputs, params
        for case, dims, inputs, params in hetero_cases(spec, 1000 * (k + 1) + 500):
            yield spec, case, dims, inputs, params
        for case, dims, inputs, params in xbm_cases(spec, 1000 * (k + 1) + 500):
            yield spec, case, dims, inputs, params
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
