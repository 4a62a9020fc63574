"""Reference values for tests/exercise_16_wgan_loss.c (nn_wgan_critic_loss,
nn_wgan_g_loss), tests/exercise_17_clip_weights.c (nn_clip_weights) and
tests/exercise_18_gradient_penalty.c (nn_gradpen_interpolate,
nn_gradpen_value).

Run once with Debian's python3-torch:
    /usr/bin/python3 tests/reference/exercise_wasserstein.py
and paste the printed C arrays into the tests; `make test` never runs it.
  16: (s_fake.mean() - s_real.mean()).backward() and (-s_fake.mean()).backward(),
      float64
  17: p.clamp_(-c, c), what WGAN's training loop does to every critic parameter
  18: x_hat = eps * real + (1 - eps) * fake (eps one per row, torch.rand),
      g = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)[0],
      P = lam * ((g.norm(dim=1) - 1) ** 2).mean(), dP/dg by autograd on g
      (a leaf copy), and dP/d(weights) by double backprop for the whole penalty.
"""
import torch
import torch.nn as nn


def lit(v):
    s = "%.9g" % v
    if not any(ch in s for ch in ".en"):
        s += ".0"
    return s + "f"


def carray(name, t):
    vals = [lit(v) for v in t.reshape(-1).tolist()]
    print("static const float %s[%d] = {" % (name, len(vals)))
    for i in range(0, len(vals), 6):
        print("    " + ", ".join(vals[i:i + 6]) + ",")
    print("};")


def scalar(name, v):
    print("static const double %s = %.9g;" % (name, v))


def leaf(vals):
    return torch.tensor(vals, dtype=torch.float64, requires_grad=True)


# ---- 16: n_real = 5, n_fake = 3
R = [1.25, -0.5, 3.0, -2.75, 0.1]
F = [-1.5, 0.8, 2.2]
s_real, s_fake = leaf(R), leaf(F)
L = s_fake.mean() - s_real.mean()
L.backward()
print("/* 16: critic, n_real = 5, n_fake = 3 */")
scalar("w_critic_ref", L.item())
carray("w_ds_real_ref", s_real.grad)
carray("w_ds_fake_ref", s_fake.grad)
s_fake = leaf(F)
Lg = -s_fake.mean()
Lg.backward()
scalar("w_g_ref", Lg.item())
carray("w_g_ds_ref", s_fake.grad)

# ---- 17
torch.manual_seed(17)
p = torch.randn(12) * 0.02
print("/* 17: p = torch.randn(12) * 0.02 (seed 17), then p.clamp(-0.01, 0.01) */")
carray("clip_in", p)
carray("clip_out", p.clamp(-0.01, 0.01))
print("static const int clip_moved = %d;" % int((p.abs() > 0.01).sum()))

# ---- 18: a 3 -> 4 -> 1 critic, leaky ReLU 0.2, on 4 rows
torch.manual_seed(18)
D = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1)).double()
with torch.no_grad():
    for q in D.parameters():
        q.mul_(2.0)
real = torch.randn(4, 3, dtype=torch.float64)
fake = torch.randn(4, 3, dtype=torch.float64)
eps = torch.rand(4, 1, dtype=torch.float64)
x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
lam = 10.0
g = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)[0]
P = lam * ((g.norm(dim=1) - 1) ** 2).mean()
P.backward()
print("/* 18: D = Linear(3, 4), LeakyReLU(0.2), Linear(4, 1), weights x 2 (seed 18) */")
carray("gp_params", torch.cat([q.detach().reshape(-1) for q in D.parameters()]))
carray("gp_real", real)
carray("gp_fake", fake)
carray("gp_eps", eps)
carray("gp_x_hat", x_hat.detach())
carray("gp_g", g.detach())
scalar("gp_P_ref", P.item())
scalar("gp_mean_norm_ref", g.norm(dim=1).mean().item())
carray("gp_dparams", torch.cat([(q.grad if q.grad is not None else torch.zeros_like(q))
                                .reshape(-1) for q in D.parameters()]))
gl = g.detach().clone().requires_grad_(True)
P2 = lam * ((gl.norm(dim=1) - 1) ** 2).mean()
P2.backward()
carray("gp_r_ref", gl.grad)
