"""Reference values for adaptive instance normalisation (lib/nn/style_layers.h):
  tests/exercise_26_adain.c  F.instance_norm(x) * s[..., None, None] + b, and
                             the invstd it divides by, float64
  tests/test_style.c         the same layer's backward: the gradients of
                             sum(y * r) in x, s and b, for the library's
                             nn_adain_backward
Run once with /usr/bin/python3 (python3-torch) and paste the printed C arrays
into the tests; `make test` never runs it."""
import torch
import torch.nn.functional as F
from c_arrays import carray


# n = 2 images, c = 3 channels, 2 x 3 pixels (hw = 6); simple fractions so
# the float inputs are exact.
n, c, h, w = 2, 3, 2, 3
x = torch.tensor([((i * 7 + j * 5) % 11) / 4.0 - 1.0 + 0.125 * ((i * j) % 3)
                  for i in range(n * c) for j in range(h * w)],
                 dtype=torch.float64).reshape(n, c, h, w)
# one channel constant, to show eps at work: var 0 gives xhat 0
x[1, 2] = 0.75
x.requires_grad_(True)
s = torch.tensor([[1.5, -0.5, 2.0], [0.25, 1.0, -1.25]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([[0.5, 0.0, -1.0], [2.0, -0.75, 0.125]], dtype=torch.float64, requires_grad=True)
eps = 1e-5
y = F.instance_norm(x, eps=eps) * s[..., None, None] + b[..., None, None]
var = x.detach().var(dim=(2, 3), unbiased=False)
invstd = 1.0 / torch.sqrt(var + eps)
r = torch.tensor([((k * 3) % 7) / 3.0 - 1.0 for k in range(n * c * h * w)],
                 dtype=torch.float64).reshape(n, c, h, w)
(y * r).sum().backward()

carray("ref_x", x.detach().flatten())
carray("ref_scale", s.detach().flatten())
carray("ref_bias", b.detach().flatten())
carray("ref_y", y.detach().flatten())
carray("ref_invstd", invstd.flatten())
print("/* test_style.c: r, and the gradients of sum(y r) */")
carray("ref_r", r.flatten())
carray("ref_dx", x.grad.flatten())
carray("ref_dscale", s.grad.flatten())
carray("ref_dbias", b.grad.flatten())
