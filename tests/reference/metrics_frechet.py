# Reference values for tests/test_metrics.c: the Frechet distance between two
# small fixed sample sets, computed in float64 with torch.linalg.eigh (matrix
# square root) and torch.cov (unbiased covariance). Run once:
#   /usr/bin/python3 tests/reference/metrics_frechet.py
import torch

torch.set_default_dtype(torch.float64)

x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-0.75, 1.0, 0.0],
                  [2.0, -0.5, 1.0], [0.0, 0.75, -1.25], [1.0, 1.5, 0.5]])
y = torch.tensor([[1.0, 0.0, 0.5], [-1.0, 2.0, 1.5], [0.25, -0.25, -2.0],
                  [3.0, 1.0, 0.0], [0.5, -1.5, 1.0]])


def sqrtm(a):
    w, v = torch.linalg.eigh(a)
    return v @ torch.diag(w.clamp(min=0).sqrt()) @ v.T


mx, my = x.mean(0), y.mean(0)
sx, sy = torch.cov(x.T), torch.cov(y.T)
r = sqrtm(sx)
fd = ((mx - my) ** 2).sum() + torch.trace(sx + sy - 2 * sqrtm(r @ sy @ r))
print("sqrtm(cov(x)) =", [f"{v:.12f}" for v in r.flatten().tolist()])
print("frechet(x, y) = %.12f" % fd.item())
