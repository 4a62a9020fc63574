"""Reference values for lesson 18's generative family (lib/gen/):
  tests/exercise_28_reparam_kl.c     z = mu + exp(lv / 2) eps and the mean KL of
                                     N(mu, exp(lv)) from N(0, I), with their
                                     gradients by torch.autograd (the KL
                                     checked against torch.distributions'
                                     kl_divergence of two Normals)
  tests/exercise_29_ddpm_noise_loss.c  x_t = sqrt(abar) x_0 + sqrt(1 - abar) eps
                                     and the simple loss mean_i ||pred_i - eps_i||^2
                                     (torch.nn.functional.mse_loss with
                                     reduction='sum' / n), gradient by autograd
  tests/exercise_30_ddpm_step.c      one ancestral step of Ho et al.'s
                                     Algorithm 2, sigma^2 the true posterior's
                                     variance, beside the posterior mean of
                                     q(x_{t-1} | x_t, x_0) from their eq. 7 at
                                     x_0 = the x_0 the predicted noise implies
Run once with /usr/bin/python3 (python3-torch) and paste the printed C arrays
into the tests; `make test` never runs it."""
import math

import torch
from c_arrays import carray, lit

torch.set_default_dtype(torch.float64)

# ---- exercise 28: 2 rows of 3 numbers.
mu = torch.tensor([[0.5, -1.0, 0.25], [1.5, 0.0, -0.75]], requires_grad=True)
lv = torch.tensor([[0.0, -0.5, 1.0], [-2.0, 0.3, 0.7]], requires_grad=True)
eps = torch.tensor([[1.0, 0.5, -1.5], [-0.2, 2.0, 0.8]])
dz = torch.tensor([[0.3, -1.0, 0.5], [2.0, 0.1, -0.4]])
z = mu + torch.exp(0.5 * lv) * eps
z.backward(dz)
print("/* exercise 28 */")
carray("rp_mu", mu.detach().flatten())
carray("rp_lv", lv.detach().flatten())
carray("rp_eps", eps.flatten())
carray("rp_dz", dz.flatten())
carray("rp_z", z.detach().flatten())
carray("rp_dmu", mu.grad.flatten())
carray("rp_dlv", lv.grad.flatten())
mu.grad = None
lv.grad = None
q = torch.distributions.Normal(mu, torch.exp(0.5 * lv))
p = torch.distributions.Normal(torch.zeros_like(mu), torch.ones_like(mu))
kl = torch.distributions.kl_divergence(q, p).sum(dim=1).mean()
kl.backward()
print("static const float kl_value = %s;" % lit(kl.item()))
carray("kl_dmu", mu.grad.flatten())
carray("kl_dlv", lv.grad.flatten())

# ---- exercise 29: 3 points of 2, each at its own abar.
x0 = torch.tensor([[2.0, 0.0], [-1.0, 1.5], [0.3, -0.7]])
e = torch.tensor([[0.5, -1.0], [1.2, 0.4], [-0.3, 2.0]])
abar = torch.tensor([0.9, 0.25, 0.01])
xt = abar.sqrt()[:, None] * x0 + (1 - abar).sqrt()[:, None] * e
print("/* exercise 29 */")
carray("dn_x0", x0.flatten())
carray("dn_eps", e.flatten())
carray("dn_abar", abar)
carray("dn_xt", xt.flatten())
pred = torch.tensor([[0.4, -0.5], [1.0, 1.0], [0.0, 1.5]], requires_grad=True)
loss = torch.nn.functional.mse_loss(pred, e, reduction="sum") / pred.shape[0]
loss.backward()
carray("dl_pred", pred.detach().flatten())
print("static const float dl_value = %s;" % lit(loss.item()))
carray("dl_dpred", pred.grad.flatten())

# ---- exercise 30: the schedule of lib/gen/ddpm.h at T = 100 (beta 1e-4..0.1),
# step t = 40, 2 points of 2.
T, b1, bT = 100, 1e-4, 0.1
betas = torch.tensor([b1 + (bT - b1) * i / (T - 1) for i in range(T)])
abars = torch.cumprod(1 - betas, 0)
t = 40
beta, ab, abp = betas[t - 1], abars[t - 1], abars[t - 2]
xt = torch.tensor([[1.0, -0.5], [0.2, 0.8]])
eh = torch.tensor([[0.3, 0.6], [-1.1, 0.05]])
zz = torch.tensor([[0.7, -0.2], [1.5, -0.9]])
x0_hat = (xt - (1 - ab).sqrt() * eh) / ab.sqrt()
# Ho et al. eq. 7: the posterior mean at that x_0, and its variance.
mean = abp.sqrt() * beta / (1 - ab) * x0_hat + (1 - beta).sqrt() * (1 - abp) / (1 - ab) * xt
var = (1 - abp) / (1 - ab) * beta
print("/* exercise 30, t = %d */" % t)
print("static const float st_beta = %s, st_abar = %s, st_abar_prev = %s;"
      % (lit(beta), lit(ab), lit(abp)))
carray("st_xt", xt.flatten())
carray("st_eps_hat", eh.flatten())
carray("st_z", zz.flatten())
carray("st_mean", mean.flatten())
carray("st_x_prev", (mean + var.sqrt() * zz).flatten())
# t = 1: abar_prev = 1, no noise: x_0 = the predicted x_0 itself.
b1t, ab1 = betas[0], abars[0]
x0_1 = (xt - (1 - ab1).sqrt() * eh) / ab1.sqrt()
print("static const float st1_beta = %s, st1_abar = %s;" % (lit(b1t), lit(ab1)))
carray("st1_x_prev", x0_1.flatten())
