"""Reference values for lesson 19's Pix2Pix holes (exercises 31 and 32):
  tests/exercise_31_unet_skip.c   the U-Net's skip, torch.cat([a, b], dim=1) of
                                  two NCHW batches with different channel
                                  counts, and autograd's split of the gradient
                                  of sum(out * dout), ADDED by torch into the
                                  .grad a and b already hold
  tests/exercise_32_mask_l1.c     the inpainting input,
                                  torch.cat([x * (1 - m), m], dim=1), and the
                                  masked L1 loss
                                  lambda * (m * (p - t).abs()).sum() / m.sum()
                                  (and with m all ones: every pixel), with
                                  autograd's gradient added into a p.grad that
                                  already holds values; torch's gradient of
                                  |0| is 0
Run once with /usr/bin/python3 (python3-torch) and paste the printed C arrays
into the tests; `make test` never runs it."""
import torch
from c_arrays import carray, lit

torch.set_default_dtype(torch.float64)

# ---- exercise 31: n = 2 images, a with 2 channels, b with 1, of 3 pixels
# (1 x 3), so an image of out is 9 numbers.
n, ca, cb, hw = 2, 2, 1, 3
a = torch.tensor([0.5, -1.25, 2.0, 0.75, -0.5, 1.5,
                  -2.5, 0.25, 1.0, -0.75, 3.0, -1.5]).reshape(n, ca, 1, hw).requires_grad_()
b = torch.tensor([4.0, -3.5, 0.125,
                  -0.625, 2.25, -4.5]).reshape(n, cb, 1, hw).requires_grad_()
out = torch.cat([a, b], dim=1)
dout = torch.tensor([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9,
                     1.1, -1.2, 1.3, -1.4, 1.5, -1.6, 1.7, -1.8, 1.9]).reshape(out.shape)
# What the gradients held before: the path through the encoder's next level.
a.grad = torch.tensor([0.25] * 12).reshape(a.shape)
b.grad = torch.tensor([-1.0, 0.5, 2.0, 0.0, -0.25, 1.0]).reshape(b.shape)
da0, db0 = a.grad.clone(), b.grad.clone()
(out * dout).sum().backward()
print("/* exercise 31: n %d, ca %d, cb %d, hw %d */" % (n, ca, cb, hw))
carray("cc_a", a.detach().flatten())
carray("cc_b", b.detach().flatten())
carray("cc_out", out.detach().flatten())
carray("cc_dout", dout.flatten())
carray("cc_da0", da0.flatten())
carray("cc_db0", db0.flatten())
carray("cc_da", a.grad.flatten())
carray("cc_db", b.grad.flatten())

# ---- exercise 32, the input: 2 images of 4 pixels, mask 1 on the hidden ones.
x = torch.tensor([[0.5, -1.0, 0.25, 0.75], [-0.5, 1.0, -0.25, 0.0]])
m = torch.tensor([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]])
inp = torch.cat([x * (1 - m), m], dim=1)
print("/* exercise 32, nn_mask_input: n 2, hw 4 */")
carray("mi_x", x.flatten())
carray("mi_mask", m.flatten())
carray("mi_out", inp.flatten())

# ---- exercise 32, the loss: 10 numbers, lambda 100 (the paper's); element 3
# is exact (p == t) and counted, element 8 exact and not counted.
lam = 100.0
p = torch.tensor([0.5, -0.75, 0.9, 0.3, 0.25, -0.1, -0.3, 1.0, -0.6, 0.05], requires_grad=True)
t = torch.tensor([0.25, -0.5, -0.6, 0.3, 0.75, 0.4, 0.4, -1.0, -0.6, -0.45])
mk = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
dp0 = torch.tensor([0.5, -0.5, 1.0, 0.0, 2.0, -1.0, 0.25, 0.0, 3.0, -0.125])
p.grad = dp0.clone()
L = lam * (mk * (p - t).abs()).sum() / mk.sum()
L.backward()
print("/* exercise 32, nn_l1_loss: lambda %g */" % lam)
carray("l1_p", p.detach())
carray("l1_t", t)
carray("l1_mask", mk)
carray("l1_dp0", dp0)
print("static const float l1_masked = %s;" % lit(L.item()))
carray("l1_dp_masked", p.grad)
p.grad = dp0.clone()
ones = torch.ones_like(p)
L = lam * (ones * (p - t).abs()).sum() / ones.sum()
L.backward()
print("static const float l1_all = %s;" % lit(L.item()))
carray("l1_dp_all", p.grad)
