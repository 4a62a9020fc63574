"""Reference values for tests/exercise_09_train_step.c: one GAN training step
of a tiny G and D, in PyTorch, from the same weights, real batches and latent
vectors as the C test.

Run once with /usr/bin/python3 (Debian's python3-torch); the printed C arrays
are pasted into the test. The latent vectors are lib/base/rng.c's normals
(rng_pcg32.py's Pcg32 and Box-Muller, in this folder), drawn in row order from
the stream the test seeds; WGAN-GP's interpolation weights are its uniforms.

The step, as in PyTorch's DCGAN example (one D update shown; d_steps repeat it):
    z = normals; fake = G(z)
    optD.zero_grad(); lossD = crit_d(D(real), D(fake.detach())) [+ penalty]
    lossD.backward(); optD.step()
    optG.zero_grad(); lossG = crit_g(D(fake)); lossG.backward(); optG.step()
Unrolling (first order): a copy of D and of its Adam state takes k more
updates, and G's loss is taken on the copy.
"""
import copy
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):   # the module prints its own table
    from rng_pcg32 import Pcg32, cf

LAT, DIM, HID_G, HID_D, B = 3, 4, 5, 6, 4


def det(n, a, b):
    """n deterministic weights with few digits: a*((i*b) % 7 - 3)/10."""
    return [a * (((i * b) % 7) - 3) / 10.0 for i in range(n)]


class Stream:
    """lib/base/rng.c's nn_rng: normals with a spare, uniforms."""
    def __init__(self, seed, stream):
        self.r = Pcg32(seed, stream)
        self.spare = None

    def normal(self):
        if self.spare is not None:
            v, self.spare = self.spare, None
            return v
        u1 = 1.0 - self.r.uniform()
        u2 = self.r.uniform()
        rad = math.sqrt(-2.0 * math.log(u1))
        th = 6.283185307179586 * u2
        self.spare = rad * math.sin(th)
        return rad * math.cos(th)

    def uniform(self):
        return self.r.uniform()


def nets():
    G = nn.Sequential(nn.Linear(LAT, HID_G), nn.LeakyReLU(0.2), nn.Linear(HID_G, DIM), nn.Tanh())
    D = nn.Sequential(nn.Linear(DIM, HID_D), nn.LeakyReLU(0.2), nn.Linear(HID_D, 1))
    with torch.no_grad():
        for k, (m, shape) in enumerate([(G[0], (HID_G, LAT)), (G[2], (DIM, HID_G)),
                                        (D[0], (HID_D, DIM)), (D[2], (1, HID_D))]):
            n = shape[0] * shape[1]
            m.weight.copy_(torch.tensor(det(n, 1.0 + 0.5 * k, 3 + k), dtype=torch.float64).view(shape))
            m.bias.copy_(torch.tensor(det(shape[0], 0.5, 5 + k), dtype=torch.float64))
    return G.double(), D.double()


REAL = torch.tensor(det(3 * B * DIM, 2.0, 4), dtype=torch.float64).view(3, B, DIM) + 0.05


def d_crit(obj, sr, sf, label):
    if obj == "wasserstein":
        return sf.mean() - sr.mean()
    return (F.binary_cross_entropy_with_logits(sr, torch.full_like(sr, label))
            + F.binary_cross_entropy_with_logits(sf, torch.zeros_like(sf)))


def g_crit(obj, s):
    if obj == "minimax":
        return -F.binary_cross_entropy_with_logits(s, torch.zeros_like(s))
    if obj == "wasserstein":
        return -s.mean()
    return F.binary_cross_entropy_with_logits(s, torch.ones_like(s))


def grad_norm(m):
    return math.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in m.parameters()))


def flat(m, attr):
    out = []
    for layer in m:
        if isinstance(layer, nn.Linear):
            w, b = layer.weight, layer.bias
            if attr == "grad":
                w, b = w.grad, b.grad
            out += w.detach().reshape(-1).tolist() + b.detach().reshape(-1).tolist()
    return out


def step(name, obj, d_steps, label, gp, unroll, lr_g=0.01, lr_d=0.02):
    G, D = nets()
    optG = torch.optim.Adam(G.parameters(), lr=lr_g, betas=(0.5, 0.999), eps=1e-5)
    optD = torch.optim.Adam(D.parameters(), lr=lr_d, betas=(0.5, 0.999), eps=1e-5)
    rng = Stream(5, 3)
    stats = {}

    def d_update(Dm, opt, real):
        z = torch.tensor([rng.normal() for _ in range(B * LAT)], dtype=torch.float64).view(B, LAT)
        fake = G(z)
        opt.zero_grad()
        sr, sf = Dm(real).view(-1), Dm(fake.detach()).view(-1)
        loss = d_crit(obj, sr, sf, label)
        if gp > 0:
            eps = torch.tensor([rng.uniform() for _ in range(B)], dtype=torch.float64).view(B, 1)
            xh = (eps * real + (1 - eps) * fake.detach()).requires_grad_(True)
            g, = torch.autograd.grad(Dm(xh).sum(), xh, create_graph=True)
            loss = loss + gp * ((g.norm(dim=1) - 1) ** 2).mean()
        loss.backward()
        st = dict(d_loss=float(loss), d_real=float(torch.sigmoid(sr).mean()),
                  d_fake=float(torch.sigmoid(sf).mean()), d_grad_norm=grad_norm(Dm))
        opt.step()
        return fake, st

    for k in range(d_steps):
        fake, stats = d_update(D, optD, REAL[k])
    d_grads = flat(D, "grad")
    judge = D
    if unroll:
        judge = copy.deepcopy(D)
        optU = torch.optim.Adam(judge.parameters(), lr=lr_d, betas=(0.5, 0.999), eps=1e-5)
        optU.load_state_dict(optD.state_dict())
        for k in range(unroll):
            fake, _ = d_update(judge, optU, REAL[d_steps + k])
    optG.zero_grad()
    lg = g_crit(obj, judge(fake).view(-1))
    lg.backward()
    stats["g_loss"] = float(lg)
    stats["g_grad_norm"] = grad_norm(G)
    g_grads = flat(G, "grad")
    optG.step()

    print("/* %s: objective %s, d_steps %d, real label %g, penalty %g, unroll %d */"
          % (name, obj, d_steps, label, gp, unroll))
    print("static const step_ref %s = {" % name)
    print("    %s," % ", ".join(cf(stats[k]) for k in
                                ["d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm"]))
    for arr in [d_grads, g_grads, flat(D, "data"), flat(G, "data")]:
        print("    {%s}," % ", ".join(cf(v) for v in arr))
    print("};")


# float64 throughout, and Adam's eps 1e-5 (the C test sets it too): some
# gradients are 0 in exact arithmetic (a bias moves no kink's slope, so the
# penalty does not reach it; a unit with the same slope on every row gets
# equal and opposite pushes from the real and fake halves), and their
# round-off, which differs between float32 and float64, would be turned by
# Adam's first step, g / (|g| + eps), into a sizeable move with eps 1e-8.
torch.manual_seed(0)
print("/* the real batches: 3 of (4, 4) */")
print("static const float real_ref[%d] = {%s};" % (REAL.numel(), ", ".join(cf(v) for v in REAL.reshape(-1).tolist())))
step("ref_nonsat", "nonsat", 1, 1.0, 0.0, 0)
step("ref_minimax_smooth", "minimax", 2, 0.9, 0.0, 0)
step("ref_wgan_gp", "wasserstein", 1, 1.0, 1.0, 0)
step("ref_unroll", "nonsat", 1, 1.0, 0.0, 2)
