"""Reference values for tests/test_optim.c, from torch.optim.Adam and
torch.optim.SGD. Run once with /usr/bin/python3; paste the output.

The problem: params p0 (6 values) and a fixed sequence of three gradient
vectors g1, g2, g3 (not from a loss, so the C test needs no model): each step
sets p.grad = g_t and calls opt.step()."""
import torch

def cf(v):
    """A float as a C float literal: 9 significant digits, always with a point."""
    s = "%.9g" % v
    if not any(ch in s for ch in ".en"):
        s += ".0"
    return s + "f"


torch.set_printoptions(precision=10)
p0 = [0.5, -1.25, 2.0, 0.0, -0.3, 3.5]
gs = [[0.1, -0.2, 0.3, -0.4, 0.05, 1.5],
      [-0.3, 0.25, 0.0, 0.8, -0.05, 1.0],
      [0.2, 0.1, -0.6, -0.1, 0.02, -2.0]]


def run(make_opt):
    p = torch.tensor(p0, dtype=torch.float32, requires_grad=True)
    opt = make_opt([p])
    out = []
    for g in gs:
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        out.append(p.detach().clone())
    return out


def show(name, steps):
    for i, s in enumerate(steps):
        print("/* %s, after step %d */ {%s}," % (name, i + 1,
              ", ".join(cf(v) for v in s.tolist())))


show("torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)",
     run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8)))
show("torch.optim.Adam([p], lr=2e-4, betas=(0.5, 0.999), eps=1e-8)",
     run(lambda ps: torch.optim.Adam(ps, lr=2e-4, betas=(0.5, 0.999), eps=1e-8)))
show("torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)",
     run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8,
                                     weight_decay=0.1)))
# A large eps shows where eps sits (after the bias-corrected sqrt(v)).
show("torch.optim.Adam([p], lr=0.01, betas=(0.9, 0.999), eps=0.1)",
     run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=0.1)))
show("torch.optim.SGD([p], lr=0.1, momentum=0.9)",
     run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9)))
show("torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)",
     run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01)))
show("torch.optim.SGD([p], lr=0.1)",
     run(lambda ps: torch.optim.SGD(ps, lr=0.1)))
# RMSProp, the original WGAN's optimizer (alpha 0.99 is torch's default).
show("torch.optim.RMSprop([p], lr=0.01, alpha=0.99, eps=1e-8)",
     run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-8)))
show("torch.optim.RMSprop([p], lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.1)",
     run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-8, weight_decay=0.1)))
