"""Reference values for the steering exercises:
tests/exercise_19_condition.c (nn_gan_condition), tests/exercise_20_slerp.c
(nn_slerp) and tests/exercise_21_info_loss.c (nn_info_cat_loss).

Run once with Debian's python3-torch:
    /usr/bin/python3 tests/reference/exercise_steer.py
and paste the printed C arrays into the tests; `make test` never runs it.
In PyTorch form, float64:
  19: torch.cat([x, F.one_hot(y, k)], dim=1)
  20: slerp by its formula on torch tensors (torch has no slerp):
      omega = acos(a.b / |a||b|), sin((1-t) omega)/sin(omega) a + sin(t omega)/sin(omega) b
  21: F.cross_entropy(q, c) (mean over rows), gradient by backward()
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def lit(v):
    s = "%.9g" % v
    if "." not in s and "e" not in s and "inf" not in s and "nan" not in s:
        s += ".0"
    return s + "f"


def carray(name, t):
    vals = ", ".join(lit(v) for v in t.detach().reshape(-1).tolist())
    print("static const float %s[%d] = {%s};" % (name, t.numel(), vals))


# 19: three rows of dim 2, k = 4
x = torch.tensor([[0.5, -1.25], [2.0, 0.75], [-0.3, 1.1]])
y = torch.tensor([2, 0, 3])
carray("cond_ref", torch.cat([x, F.one_hot(y, 4).double()], dim=1))

# 20: two 5-d vectors at an angle, t = 0.3; two Gaussian draws of dim 8, t = 0.5
def slerp(a, b, t):
    omega = torch.acos(torch.dot(a, b) / (a.norm() * b.norm()))
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)

a5 = torch.tensor([1.0, 2.0, -0.5, 0.0, 3.0])
b5 = torch.tensor([-2.0, 0.5, 1.0, 1.5, 0.25])
carray("slerp5_ref", slerp(a5, b5, 0.3))
g = torch.Generator().manual_seed(12)
a8 = torch.randn(8, generator=g)
b8 = torch.randn(8, generator=g)
carray("slerp_a8", a8)
carray("slerp_b8", b8)
carray("slerp8_ref", slerp(a8, b8, 0.5))
print("/* |a8| = %.9g, |b8| = %.9g, |slerp(0.5)| = %.9g, |lerp(0.5)| = %.9g */" %
      (a8.norm(), b8.norm(), slerp(a8, b8, 0.5).norm(), (0.5 * a8 + 0.5 * b8).norm()))

# 21: Q's 4 logits at stride 6 (a D row: logit, 4 Q logits, 1 continuous)
q = torch.tensor([[1.0, -0.5, 2.25, 0.0],
                  [-3.0, 0.5, 0.5, 1.75],
                  [40.0, -40.0, 0.0, 10.0]], requires_grad=True)
c = torch.tensor([2, 0, 1])
loss = F.cross_entropy(q, c)
loss.backward()
print("static const double info_loss_ref = %.9g;" % loss.item())
carray("info_grad_ref", q.grad)
