"""The Frechet distance of a lesson 14 run, recomputed with NumPy from the
features the run wrote, to compare with its summary.tsv (fd_real_vs_train):

    /usr/bin/python3 tests/reference/frechet_features.py plots/14_judging

features_test_train.f32 holds n test rows, then n training rows, of 128
float32 each (the lesson classifier's hidden layer). The same formula as
nn_frechet_distance, in float64: np.cov (unbiased), square roots by
np.linalg.eigh. tests/test_metrics.c stores this script's sibling value
(tests/reference/exercise_judging.py) on features make test can rebuild."""
import os
import sys

import numpy as np

DIM = 128


def sqrtm(a):
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet(a, b):
    ma, mb = a.mean(0), b.mean(0)
    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    r = sqrtm(sa)
    return float(((ma - mb) ** 2).sum() + np.trace(sa + sb - 2 * sqrtm(r @ sb @ r)))


folder = sys.argv[1] if len(sys.argv) > 1 else "plots/14_judging"
f = np.fromfile(os.path.join(folder, "features_test_train.f32"), dtype=np.float32)
f = f.reshape(-1, DIM).astype(np.float64)
n = f.shape[0] // 2
fd = frechet(f[:n], f[n:])
keys = dict(line.rstrip("\n").split("\t") for line in open(os.path.join(folder, "summary.tsv")))
c = float(keys["fd_real_vs_train"])
print("NumPy %.6f, the lesson's C %.6f, relative difference %.2e" % (fd, c, abs(fd - c) / fd))
