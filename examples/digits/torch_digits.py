#!/usr/bin/env python3
"""The digits example in PyTorch: the same data, split, model, losses,
optimiser and evaluation as `go run ./examples/digits`, written the way
PyTorch users write them, for comparing the numbers and the time.

    python3 examples/digits/torch_digits.py                  # 40 epochs, seed 1
    python3 examples/digits/torch_digits.py --seeds 5 --quiet
    python3 examples/digits/torch_digits.py --split classes

Needs torch and numpy (Debian: python3-torch). Not part of CI.

What is the same as the Go program:
  - data/digits.csv.gz, pixels / 16; the split rule (data.go), checked by
    printing the same fingerprint (CRC-32 of the index lists);
  - 64 -> 128 -> 32 (ReLU), bias-free classifier 32 -> C; He-normal weights,
    zero biases, N(0, 0.001^2) classifier; float64 throughout (as the Go
    program), unless --float32;
  - Adam, lr 1e-3, weight decay 5e-4 (torch's coupled form, as the Go
    Adam), warm-up and decays of train.go's lrAt, per epoch;
  - PK batches of 8 digits x 8 images (4 x 16 for the classes split), drawn
    by the same algorithm as pkBatches (RandomIdentitySampler);
  - the losses: F.cross_entropy with label_smoothing=0.1; batch-hard
    triplet with a Gram-matrix distance and masks, as reid-strong-baseline's
    TripletLoss (margin 0.3, MarginRankingLoss); center loss
    (1/2N) sum ||x - c_y||^2 with Wen et al.'s centre update (alpha 0.5) under
    no_grad, as generated/center's Update; the baseline is
    CE-LS + triplet + 0.0005 * center;
  - evaluation after every epoch: L2-normalised embeddings, the gallery
    ranked by distance (stable on ties), Recall@1 and mAP.
What differs: the random numbers (torch's and numpy's generators, not Go's
PCG), so the initial weights and the batches differ; compare means over
seeds, not single runs.
"""

import argparse
import gzip
import os
import time
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LOSSES = ["CE-LS", "batch-hard", "baseline"]


def load_digits(path):
    with gzip.open(path, "rt") as f:
        d = np.loadtxt(f, delimiter=",", dtype=np.int64)
    return d[:, :64] / 16.0, d[:, 64]


def make_split(labels, kind):
    """The rule of data.go's MakeSplit, on each image's rank k among the
    images of its digit, in file order."""
    train, query, gallery = [], [], []
    rank = [0] * 10
    for i, y in enumerate(labels):
        k = rank[y]
        rank[y] += 1
        if kind == "samples":
            part = train if k % 2 == 0 else query if (k - 1) // 2 % 4 == 0 else gallery
        else:  # classes
            part = train if y < 5 else query if k % 5 == 0 else gallery
        part.append(i)
    return train, query, gallery


def fingerprint(train, query, gallery):
    text = "".join(f"{name} {','.join(map(str, idx))}\n"
                   for name, idx in (("train", train), ("query", query), ("gallery", gallery)))
    return zlib.crc32(text.encode())


class Net(nn.Module):
    def __init__(self, classes, hidden=128, emb=32):
        super().__init__()
        self.fc1 = nn.Linear(64, hidden)
        self.fc2 = nn.Linear(hidden, emb)
        self.classifier = nn.Linear(emb, classes, bias=False)
        for fc in (self.fc1, self.fc2):
            nn.init.kaiming_normal_(fc.weight, nonlinearity="relu")
            nn.init.zeros_(fc.bias)
        nn.init.normal_(self.classifier.weight, std=0.001)

    def forward(self, x):
        feat = self.fc2(F.relu(self.fc1(x)))
        return feat, self.classifier(feat)


def euclidean_dist(x, y):
    """Pairwise distances through the Gram matrix, as reid-strong-baseline."""
    xx = x.pow(2).sum(1, keepdim=True)
    yy = y.pow(2).sum(1, keepdim=True).t()
    dist = xx + yy - 2 * x @ y.t()
    return dist.clamp(min=1e-12).sqrt()  # for numerical stability


class TripletLoss(nn.Module):
    """Batch-hard triplet loss (Hermans et al. 2017) with masks."""

    def __init__(self, margin=0.3):
        super().__init__()
        self.ranking_loss = nn.MarginRankingLoss(margin=margin)

    def forward(self, feat, labels):
        dist = euclidean_dist(feat, feat)
        is_pos = labels[:, None] == labels[None, :]
        dist_ap = (dist * is_pos).max(1).values  # hardest positive
        dist_an = dist.masked_fill(is_pos, float("inf")).min(1).values  # hardest negative
        return self.ranking_loss(dist_an, dist_ap, torch.ones_like(dist_an))


class CenterLoss(nn.Module):
    """Center loss (Wen et al. 2016), (1/2N) sum ||x_i - c_{y_i}||^2, with the
    paper's centre update instead of a gradient step on the centres."""

    def __init__(self, classes, dim, alpha=0.5):
        super().__init__()
        self.register_buffer("centers", torch.randn(classes, dim))
        self.alpha = alpha

    def forward(self, feat, labels):
        return (feat - self.centers[labels]).pow(2).sum() / (2 * feat.shape[0])

    @torch.no_grad()
    def update(self, feat, labels):
        for c in labels.unique():
            mask = labels == c
            delta = (self.centers[c] - feat[mask]).sum(0) / (1 + mask.sum())
            self.centers[c] -= self.alpha * delta


def pk_batches(by_class, p, k, rng):
    """One epoch of PK batches, the algorithm of train.go's pkBatches."""
    chunks, avail = [], []
    for c, idx in enumerate(by_class):
        s = list(rng.choice(idx, k)) if len(idx) < k else list(rng.permutation(idx))
        chunks.append([s[i:i + k] for i in range(0, len(s) - k + 1, k)])
        avail.append(c)
    batches = []
    while len(avail) >= p:
        picked = [avail[a] for a in rng.permutation(len(avail))[:p]]
        batches.append([i for c in picked for i in chunks[c].pop(0)])
        avail = [c for c in avail if chunks[c]]
    return batches


def lr_factor(epoch, epochs):
    f = epoch / epochs
    return 0.1 + 0.9 * f / 0.1 if f < 0.1 else 1.0 if f < 0.6 else 0.1 if f < 0.85 else 0.01


@torch.no_grad()
def evaluate(model, xq, yq, xg, yg):
    fq = F.normalize(model(xq)[0])
    fg = F.normalize(model(xg)[0])
    dist = torch.cdist(fq, fg).pow(2).cpu().numpy()
    order = np.argsort(dist, axis=1, kind="stable")
    match = yg[order] == yq[:, None]
    recall1 = match[:, 0].mean()
    precision = np.cumsum(match, axis=1) / np.arange(1, match.shape[1] + 1)
    mAP = ((precision * match).sum(1) / match.sum(1)).mean()
    return recall1, mAP


def train(loss_name, seed, args, data):
    x_train, y_train, by_class, xq, yq, xg, yg, classes = data
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Net(classes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda e: lr_factor(e, args.epochs))
    triplet = TripletLoss(margin=0.3)
    center = CenterLoss(classes, 32)
    p, k = (8, 8) if args.split == "samples" else (4, 16)

    r1, mAP = evaluate(model, xq, yq, xg, yg)
    if not args.quiet:
        print(f"  {loss_name:<10} epoch {0:2d}/{args.epochs}                 Recall@1 {r1:.4f}  mAP {mAP:.4f}")
    for epoch in range(args.epochs):
        total, batches = 0.0, pk_batches(by_class, p, k, rng)
        for batch in batches:
            x, y = x_train[batch], y_train[batch]
            feat, logits = model(x)
            if loss_name == "CE-LS":
                loss = F.cross_entropy(logits, y, label_smoothing=0.1)
            elif loss_name == "batch-hard":
                loss = triplet(feat, y)
            else:
                loss = (F.cross_entropy(logits, y, label_smoothing=0.1) + triplet(feat, y)
                        + 0.0005 * center(feat, y))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if loss_name == "baseline":
                center.update(feat.detach(), y)
            total += loss.item()
        scheduler.step()
        r1, mAP = evaluate(model, xq, yq, xg, yg)
        if not args.quiet:
            print(f"  {loss_name:<10} epoch {epoch + 1:2d}/{args.epochs}  loss {total / len(batches):8.4f}"
                  f"  Recall@1 {r1:.4f}  mAP {mAP:.4f}")
    return r1, mAP


def mean_sd(v):
    return f"{v[0]:.4f}" if len(v) == 1 else f"{np.mean(v):.4f} ± {np.std(v, ddof=1):.4f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["samples", "classes"], default="samples")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--float32", action="store_true", help="train in float32 (default float64, as the Go program)")
    ap.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    args = ap.parse_args()
    torch.set_default_dtype(torch.float32 if args.float32 else torch.float64)
    dtype = torch.get_default_dtype()

    here = os.path.dirname(os.path.abspath(__file__))
    X, labels = load_digits(os.path.join(here, "data", "digits.csv.gz"))
    train_idx, query, gallery = make_split(labels, args.split)
    train_classes = sorted(set(labels[train_idx].tolist()))
    class_of = {d: c for c, d in enumerate(train_classes)}
    y_train = torch.tensor([class_of[d] for d in labels[train_idx]])
    by_class = [np.flatnonzero(y_train.numpy() == c) for c in range(len(train_classes))]
    data = (torch.tensor(X[train_idx], dtype=dtype), y_train, by_class,
            torch.tensor(X[query], dtype=dtype), labels[query],
            torch.tensor(X[gallery], dtype=dtype), labels[gallery], len(train_classes))

    print(f"data:  {len(labels)} handwritten digits; split \"{args.split}\": {len(train_idx)} train images "
          f"(digits {','.join(map(str, train_classes))}), {len(query)} queries, {len(gallery)} gallery images "
          f"(fingerprint {fingerprint(train_idx, query, gallery):08x})")
    print(f"torch {torch.__version__}, {dtype}, {torch.get_num_threads()} thread(s); {args.epochs} epochs; "
          f"seeds {args.seed}..{args.seed + args.seeds - 1}")

    results = {name: [] for name in LOSSES}
    times = {name: 0.0 for name in LOSSES}
    start = time.perf_counter()
    for seed in range(args.seed, args.seed + args.seeds):
        for name in LOSSES:
            if not args.quiet:
                print(f"\n{name}, seed {seed}")
            t0 = time.perf_counter()
            results[name].append(train(name, seed, args, data))
            times[name] += time.perf_counter() - t0
            print(f"torch_digits: {name}, seed {seed}: {time.perf_counter() - t0:.2f} s")

    print(f"\nresults after {args.epochs} epochs, split \"{args.split}\", seeds {args.seed}..{args.seed + args.seeds - 1}:\n")
    print("| loss | Recall@1 | mAP | time |")
    print("|---|---:|---:|---:|")
    for name in LOSSES:
        r1, mAP = zip(*results[name])
        print(f"| {name} | {mean_sd(r1)} | {mean_sd(mAP)} | {times[name]:.1f} s |")
    print(f"\ntorch_digits: done in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
