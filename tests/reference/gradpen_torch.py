"""Reference values for tests/test_gradpen.c: the WGAN-GP gradient penalty
(Gulrajani et al. 2017) of a small critic, and its gradient with respect to
every parameter, by torch's double backprop:
    g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
    P = lam * ((g.norm(dim=1) - 1) ** 2).mean();  P.backward()
Run once with /usr/bin/python3 (Debian's python3-torch); paste the output
into the C test. Biases get 0: they move only where the kinks are. The
flat parameter block is gansteps' layout: per linear layer, the weight
(out, in) row-major, then the bias (out)."""
import torch
import torch.nn as nn


def cf(v):
    """A float as a C float literal: 9 significant digits, always with a point."""
    s = "%.9g" % v
    if not any(ch in s for ch in ".en"):
        s += ".0"
    return s + "f"


def carray(name, t):
    vals = [cf(v) for v in t.reshape(-1).tolist()]
    print(f"static const float {name}[{len(vals)}] = {{")
    for i in range(0, len(vals), 6):
        print("    " + ", ".join(vals[i:i + 6]) + ",")
    print("};")


torch.manual_seed(0)
D = nn.Sequential(nn.Linear(3, 5), nn.LeakyReLU(0.2), nn.Linear(5, 4), nn.ReLU(),
                  nn.Linear(4, 1))
# torch's default init gives gradients of norm ~0.03 here; scaled by 2.5 the
# norms come near 1, where the penalty's two sides both matter.
with torch.no_grad():
    for p in D.parameters():
        p.mul_(2.5)
x = torch.randn(6, 3, requires_grad=True)
lam = 10.0
g = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
norm = g.norm(dim=1)
P = lam * ((norm - 1) ** 2).mean()
P.backward()
carray("REF_PARAMS", torch.cat([p.detach().reshape(-1) for p in D.parameters()]))
carray("REF_X", x.detach())
# The last bias never reaches the gradient: torch leaves its .grad None.
carray("REF_DPARAMS", torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p))
                                 .reshape(-1) for p in D.parameters()]))
print(f"#define REF_P {cf(P.item())}")
print(f"#define REF_MEAN_NORM {cf(norm.mean().item())}")
