"""Reference values for tests/exercise_07_d_loss.c and exercise_08_g_loss.c.

Run once with /usr/bin/python3 (Debian's python3-torch); the printed C arrays
are pasted into the tests. The GAN losses in PyTorch form:
  D: BCEWithLogits(s_real, 1) + BCEWithLogits(s_fake, 0)
  G (non-saturating): BCEWithLogits(s_fake, 1)
"""
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=9)
s_real = torch.tensor([2.0, -1.0, 0.5, 30.0, -30.0, 0.0, 7.25], dtype=torch.float64,
                      requires_grad=True)
s_fake = torch.tensor([-2.0, 1.5, 0.0, -40.0, 25.0, -0.75, 3.0], dtype=torch.float64,
                      requires_grad=True)


def carray(name, t):
    vals = ", ".join("%.9gf" % v for v in t.detach().tolist())
    print("static const float %s[%d] = {%s};" % (name, t.numel(), vals))


d = (F.binary_cross_entropy_with_logits(s_real, torch.ones_like(s_real))
     + F.binary_cross_entropy_with_logits(s_fake, torch.zeros_like(s_fake)))
d.backward()
print("/* D loss: BCEWithLogits(s_real, 1) + BCEWithLogits(s_fake, 0) */")
print("static const double d_loss_ref = %.9g;" % d.item())
carray("d_ds_real_ref", s_real.grad)
carray("d_ds_fake_ref", s_fake.grad)

s_fake.grad = None
g = F.binary_cross_entropy_with_logits(s_fake, torch.ones_like(s_fake))
g.backward()
print("/* G loss (non-saturating): BCEWithLogits(s_fake, 1) */")
print("static const double g_loss_ref = %.9g;" % g.item())
carray("g_ds_ref", s_fake.grad)
