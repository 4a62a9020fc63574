"""Reference values for tests/test_loss.c, computed once with PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/loss.py
and paste the printed arrays into tests/test_loss.c. `make test` never runs it.
The GAN objectives are written here straight from their papers' formulas
(log of a sigmoid, in float64, where the logits are moderate) and
differentiated by autograd, so they check the C code's stable rewriting.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(2017)


def lit(x):
    """A C float literal: 9 significant digits, always with a point or exponent."""
    s = "%.9g" % x
    if "." not in s and "e" not in s and "inf" not in s and "nan" not in s:
        s += ".0"
    return s + "f"


def arr(name, t, comment):
    v = t.detach().reshape(-1).tolist()
    print("/* %s */" % comment)
    print("static const float %s[%d] = {%s};" % (name, len(v), ", ".join(lit(x) for x in v)))


def scalar(name, t, comment):
    print("/* %s */" % comment)
    print("static const float %s = %s;" % (name, lit(float(t))))


def leaf(values):
    # float32 values as the C test stores them, promoted to float64 for the maths
    return torch.tensor(values, dtype=torch.float32).double().requires_grad_()


S_REAL = [2.5, -0.75, 0.3, 4.1, -1.6]
S_FAKE = [-3.2, 0.45, -0.2, 1.7]
T_SOFT = [1.0, 0.0, 0.9, 0.25, 0.6]
arr("S_REAL", torch.tensor(S_REAL), "real logits (5)")
arr("S_FAKE", torch.tensor(S_FAKE), "fake logits (4)")
arr("T_SOFT", torch.tensor(T_SOFT), "soft targets for s_real (5)")

# bce_with_logits on s_real with soft targets
s = leaf(S_REAL)
L = F.binary_cross_entropy_with_logits(s, torch.tensor(T_SOFT, dtype=torch.float64))
L.backward()
scalar("BCE_L", L, "F.binary_cross_entropy_with_logits(s_real, t_soft)")
arr("BCE_DS", s.grad, "s_real.grad after that .backward()")

# discriminator loss, plain (label 1) and one-sided smoothing (label 0.9)
for name, label in [("DL", 1.0), ("DL9", 0.9)]:
    sr, sf = leaf(S_REAL), leaf(S_FAKE)
    d_real, d_fake = torch.sigmoid(sr), torch.sigmoid(sf)
    L = -(label * torch.log(d_real) + (1 - label) * torch.log(1 - d_real)).mean() \
        - torch.log(1 - d_fake).mean()
    L.backward()
    call = ("-(%g*log(sigmoid(s_real)) + %g*log(1-sigmoid(s_real))).mean()"
            " - log(1-sigmoid(s_fake)).mean(), float64" % (label, 1 - label))
    scalar(name + "_L", L, call)
    arr(name + "_DSR", sr.grad, "s_real.grad after that .backward()")
    arr(name + "_DSF", sf.grad, "s_fake.grad after that .backward()")

# generator losses on s_fake
for name, fn, call in [
    ("GMM", lambda t: torch.log(1 - torch.sigmoid(t)).mean(),
     "torch.log(1 - torch.sigmoid(s_fake)).mean(), float64"),
    ("GNS", lambda t: -torch.log(torch.sigmoid(t)).mean(),
     "-torch.log(torch.sigmoid(s_fake)).mean(), float64"),
    ("LSG", lambda t: 0.5 * ((t - 1) ** 2).mean(), "0.5 * ((s_fake - 1) ** 2).mean()"),
    ("WG", lambda t: -t.mean(), "-s_fake.mean()"),
]:
    sf = leaf(S_FAKE)
    L = fn(sf)
    L.backward()
    scalar(name + "_L", L, call)
    arr(name + "_DS", sf.grad, "s_fake.grad after that .backward()")

# two-sided critic losses
for name, fn, call in [
    ("LSD", lambda a, b: 0.5 * ((a - 1) ** 2).mean() + 0.5 * (b ** 2).mean(),
     "0.5 * ((s_real - 1) ** 2).mean() + 0.5 * (s_fake ** 2).mean()"),
    ("WD", lambda a, b: b.mean() - a.mean(), "s_fake.mean() - s_real.mean()"),
    ("HD", lambda a, b: torch.relu(1 - a).mean() + torch.relu(1 + b).mean(),
     "torch.relu(1 - s_real).mean() + torch.relu(1 + s_fake).mean()"),
]:
    sr, sf = leaf(S_REAL), leaf(S_FAKE)
    L = fn(sr, sf)
    L.backward()
    scalar(name + "_L", L, call)
    arr(name + "_DSR", sr.grad, "s_real.grad after that .backward()")
    arr(name + "_DSF", sf.grad, "s_fake.grad after that .backward()")

# extreme logits through torch's own stable BCE (float32, as the C code runs)
s = torch.tensor([-1e4, -100.0, 100.0, 1e4], requires_grad=True)
t = torch.tensor([1.0, 0.0, 1.0, 0.0])
L = F.binary_cross_entropy_with_logits(s, t)
L.backward()
arr("BCEX_S", s, "extreme logits (4)")
arr("BCEX_T", t, "their targets (4)")
scalar("BCEX_L", L, "F.binary_cross_entropy_with_logits(s, t), float32")
arr("BCEX_DS", s.grad, "s.grad after that .backward()")
