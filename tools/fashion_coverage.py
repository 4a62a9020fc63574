#!/usr/bin/python3
"""Which Fashion-MNIST classes do a generator's samples show, and how often?

Labels images written by lesson 06 (--save-samples FILE, an IDX file of 28x28
bytes) with a small MLP classifier trained on Fashion-MNIST, and prints the
share of each class and the classifier's mean confidence. Reference tooling:
it needs PyTorch (Debian python3-torch), `make test` never does.

  build/default/lessons/solutions/06_training --no-pause --save-samples /tmp/s.idx
  /usr/bin/python3 tools/fashion_coverage.py /tmp/s.idx

The classifier (784-512-256-10, ReLU, dropout 0.2; Adam 1e-3, 8 epochs, batch
128) reaches about 88% test accuracy; it is
trained once and kept in build/fashion_classifier.pt. The real test set,
labelled the same way, gives every class 9-12% and a mean confidence of 0.90:
the yardstick for a generator's numbers. Exit status 1 when some class has
less than --min-share (default 3%) of the samples.
"""
import argparse, gzip, os, struct, sys

import numpy as np
import torch
import torch.nn as nn

DATA = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot"]
CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build",
                     "fashion_classifier.pt")


def read_idx(path):
    """An IDX file of bytes (gzip or not) as an array (n, rows*cols) or (n,)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        x = np.frombuffer(f.read(), dtype=np.uint8)
    return x.reshape(dims[0], -1) if len(dims) > 1 else x


def to_float(x):
    """Bytes to [-1, 1], the range of the generator's tanh."""
    return torch.from_numpy(x.astype(np.float32) / 127.5 - 1.0)


def classifier():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def trained_classifier():
    c = classifier()
    if os.path.exists(CACHE):
        c.load_state_dict(torch.load(CACHE))
        c.eval()
        return c
    torch.manual_seed(0)
    x = to_float(read_idx(f"{DATA}/train-images-idx3-ubyte.gz"))
    y = torch.from_numpy(read_idx(f"{DATA}/train-labels-idx1-ubyte.gz").astype(np.int64))
    opt = torch.optim.Adam(c.parameters(), 1e-3)
    for _ in range(8):
        c.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            loss = nn.functional.cross_entropy(c(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    c.eval()
    xt = to_float(read_idx(f"{DATA}/t10k-images-idx3-ubyte.gz"))
    yt = torch.from_numpy(read_idx(f"{DATA}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    with torch.no_grad():
        acc = (c(xt).argmax(1) == yt).float().mean().item()
    print(f"classifier trained: test accuracy {acc:.3f} -> {CACHE}", file=sys.stderr)
    os.makedirs(os.path.dirname(CACHE), exist_ok=True)
    torch.save(c.state_dict(), CACHE)
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("samples", help="IDX file of 28x28 images (lesson 06 --save-samples)")
    ap.add_argument("--min-share", type=float, default=0.03)
    a = ap.parse_args()
    torch.set_num_threads(1)
    x = read_idx(a.samples)
    if x.ndim != 2 or x.shape[1] != 784:
        sys.exit(f"{a.samples}: expected 28x28 images, got shape {x.shape}")
    with torch.no_grad():
        p = torch.softmax(trained_classifier()(to_float(x)), 1)
    share = torch.bincount(p.argmax(1), minlength=10).float() / len(x)
    print(f"{a.samples}: {len(x)} images, mean confidence {p.max(1).values.mean():.2f}")
    for name, s in zip(CLASSES, share.tolist()):
        print(f"  {name:12s} {100 * s:5.1f}%")
    low = [n for n, s in zip(CLASSES, share.tolist()) if s < a.min_share]
    print(f"smallest share {100 * share.min():.1f}%; classes under {100 * a.min_share:.0f}%: "
          f"{', '.join(low) if low else 'none'}")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
