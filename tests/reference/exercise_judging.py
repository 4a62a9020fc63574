"""Reference values for the judging exercises and the Frechet distance at
the lesson's scale:
  tests/exercise_22_mse_loss.c      torch.nn.functional.mse_loss and its backward
  tests/exercise_23_knn_precision.c NumPy: k-NN precision (Kynkaanniemi et al. 2019)
  tests/exercise_24_fgsm_step.c     torch: (x + eps * grad.sign()).clamp(lo, hi)
  tests/test_metrics.c              NumPy: the Frechet distance of two sets of
                                    128-dimensional ReLU-like features drawn from
                                    PCG32 (the library's generator), as the lesson
                                    classifier's hidden layer gives them
Run once with /usr/bin/python3 (python3-torch, python3-numpy) and paste the
printed C arrays into the tests; `make test` never runs it."""
import numpy as np
import torch
import torch.nn.functional as F

import rng_pcg32
from c_arrays import carray, lit


class Pcg32(rng_pcg32.Pcg32):
    """lib/base/rng.c's generator (rng_pcg32.py), its uniforms as numpy float32."""

    def uniform(self):  # nn_rng_uniform: 24 bits, exact in float
        return np.float32(super().uniform())


# ---- exercise 22: MSE, n = 7
y = torch.tensor([0.5, -1.25, 2.0, 0.0, 3.5, -0.75, 1.0], dtype=torch.float64, requires_grad=True)
t = torch.tensor([1.0, -1.0, -0.5, 0.25, 3.5, 0.5, -2.0], dtype=torch.float64)
L = F.mse_loss(y, t)
L.backward()
print("/* exercise 22: F.mse_loss(y, t) = %s */" % lit(L.item()))
carray("mse_dy", y.grad.tolist())

# ---- exercise 24: FGSM on 8 values in [-1, 1], eps 0.25
x = torch.tensor([0.0, 0.9, -0.9, 0.5, -1.0, 1.0, 0.2, -0.3])
g = torch.tensor([0.3, 2.0, -1e-6, 0.0, -4.0, 1.5, -0.7, 1e-8])
adv = (x + 0.25 * g.sign()).clamp(-1.0, 1.0)
print("/* exercise 24: (x + 0.25 * g.sign()).clamp(-1, 1) */")
carray("fgsm_ref", adv.tolist())


# ---- exercise 23: k-NN precision
def knn_precision(ref, x, k):
    d_rr = np.sqrt(((ref[:, None, :] - ref[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d_rr, np.inf)
    radius = np.sort(d_rr, axis=1)[:, k - 1]
    d_xr = np.sqrt(((x[:, None, :] - ref[None, :, :]) ** 2).sum(-1))
    return float((d_xr <= radius[None, :]).any(axis=1).mean())


rng = Pcg32(23, 0)
ref = np.array([[rng.uniform() * 4 - 2 for _ in range(3)] for _ in range(12)], dtype=np.float64)
xs = np.array([[rng.uniform() * 6 - 3 for _ in range(3)] for _ in range(10)], dtype=np.float64)
print("/* exercise 23: ref (12, 3) = 4 u - 2, x (10, 3) = 6 u - 3, u from PCG32 seed 23 "
      "stream 0, ref first, row by row */")
for k in (1, 2, 3, 5):
    print("/* k = %d: precision(ref, x) = %.6f, precision(x, ref) = %.6f */"
          % (k, knn_precision(ref, xs, k), knn_precision(xs, ref, k)))


# ---- the Frechet distance at the lesson's scale (dim 128)
def feats(seed, n, dim, shift):
    r = Pcg32(seed, 0)
    out = np.zeros((n, dim), dtype=np.float32)
    for i in range(n):
        for j in range(dim):
            u = r.uniform()
            # relu(2u - 1 + shift_j): sparse and non-negative like ReLU features
            out[i, j] = max(np.float32(0), np.float32(2) * u - np.float32(1) + np.float32(shift * (j % 3)))
    return out.astype(np.float64)


def sqrtm(a):
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet(a, b):
    ma, mb = a.mean(0), b.mean(0)
    sa, sb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    r = sqrtm(sa)
    return float(((ma - mb) ** 2).sum() + np.trace(sa + sb - 2 * sqrtm(r @ sb @ r)))


fa = feats(101, 300, 128, 0.0)
fb = feats(202, 250, 128, 0.125)
print("/* Frechet distance, features relu(2u - 1 + 0.125 (j mod 3) s): a = seed 101, "
      "300 rows, s = 0; b = seed 202, 250 rows, s = 1: %.9g */" % frechet(fa, fb))
