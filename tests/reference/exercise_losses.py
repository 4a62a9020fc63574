"""Reference values for tests/exercise_07_d_loss.c (nn_gan_d_loss) and
tests/exercise_08_g_loss.c (nn_gan_g_loss_nonsat).

Run once with Debian's python3-torch:
    /usr/bin/python3 tests/reference/exercise_losses.py
and paste the printed C arrays into the tests; `make test` never runs it.
The GAN losses in PyTorch form, in float64, gradients by backward():
  D: F.binary_cross_entropy_with_logits(s_real, label) + (s_fake, 0)
     (label 1, or 0.9: one-sided label smoothing)
  G (non-saturating): F.binary_cross_entropy_with_logits(s_fake, 1)
Values marked "slip" are not answers: they are what a known mistake gives,
so the test can name the mistake.
"""
import torch
import torch.nn.functional as F

bce = F.binary_cross_entropy_with_logits


def lit(v):
    s = "%.9g" % v
    if "." not in s and "e" not in s:
        s += ".0"
    return s + "f"


def carray(name, t):
    vals = ", ".join(lit(v) for v in t.detach().tolist())
    print("static const float %s[%d] = {%s};" % (name, t.numel(), vals))


def scalar(name, v):
    print("static const double %s = %.9g;" % (name, v))


def leaf(vals):
    return torch.tensor(vals, dtype=torch.float64, requires_grad=True)


def d_loss(s_real, s_fake, label, fake_target=0.0):
    s_real.grad = s_fake.grad = None
    lr = bce(s_real, torch.full_like(s_real, label))
    lf = bce(s_fake, torch.full_like(s_fake, fake_target))
    (lr + lf).backward()
    return lr.item(), lf.item()


R7 = [2.0, -1.0, 0.5, 30.0, -30.0, 0.0, 7.25]
F7 = [-2.0, 1.5, 0.0, -40.0, 25.0, -0.75, 3.0]

# ---- D, n_real = n_fake = 7, label 1
s_real, s_fake = leaf(R7), leaf(F7)
lr, lf = d_loss(s_real, s_fake, 1.0)
print("/* D: bce(s_real, 1) + bce(s_fake, 0), n_real = n_fake = 7 */")
scalar("d_loss_ref", lr + lf)
carray("d_ds_real_ref", s_real.grad)
carray("d_ds_fake_ref", s_fake.grad)

# ---- D, label 0.9 (one-sided smoothing), same logits
lr, lf = d_loss(s_real, s_fake, 0.9)
print("/* D: bce(s_real, 0.9) + bce(s_fake, 0), n_real = n_fake = 7 */")
scalar("d09_loss_ref", lr + lf)
carray("d09_ds_real_ref", s_real.grad)
carray("d09_ds_fake_ref", s_fake.grad)
lr, lf = d_loss(s_real, s_fake, 0.9, fake_target=0.1)
print("/* slip: two-sided smoothing, bce(s_fake, 0.1) */")
carray("d09_ds_fake_twosided_slip", s_fake.grad)

# ---- D, n_real = 5, n_fake = 3, label 1
s_real = leaf([1.25, -0.5, 3.0, -2.75, 0.1])
s_fake = leaf([-1.5, 0.8, 2.2])
lr, lf = d_loss(s_real, s_fake, 1.0)
print("/* D: bce(s_real, 1) + bce(s_fake, 0), n_real = 5, n_fake = 3 */")
scalar("du_loss_real_ref", lr)
scalar("du_loss_fake_ref", lf)
scalar("du_loss_ref", lr + lf)
carray("du_ds_real_ref", s_real.grad)
carray("du_ds_fake_ref", s_fake.grad)

# ---- D confident and right: s_real = 20, 30; s_fake = -20, -30
s_real, s_fake = leaf([20.0, 30.0]), leaf([-20.0, -30.0])
lr, lf = d_loss(s_real, s_fake, 1.0)
print("/* D confident and right: bce([20, 30], 1) + bce([-20, -30], 0) */")
scalar("dc_loss_ref", lr + lf)

# ---- G (non-saturating), n = 7
s_fake = leaf(F7)
g = bce(s_fake, torch.ones_like(s_fake))
g.backward()
print("/* G non-saturating: bce(s_fake, 1), n = 7 */")
scalar("g_loss_ref", g.item())
carray("g_ds_ref", s_fake.grad)
s_fake.grad = None
m = -bce(s_fake, torch.zeros_like(s_fake))
m.backward()
print("/* slip: the minimax loss, -bce(s_fake, 0) = mean log(1 - sigmoid(s)) */")
scalar("g_minimax_loss_slip", m.item())
carray("g_minimax_ds_slip", s_fake.grad)

# ---- G when D is fooled with confidence: s = 20, 30
s_fake = leaf([20.0, 30.0])
g = bce(s_fake, torch.ones_like(s_fake))
print("/* G, D fooled: bce([20, 30], 1) */")
scalar("gc_loss_ref", g.item())
