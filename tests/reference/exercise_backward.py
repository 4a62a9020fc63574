"""Reference values for tests/exercise_11_linear_backward.c and
tests/exercise_12_leaky_relu_backward.c.

Run once with /usr/bin/python3 (Debian's python3-torch); the printed C arrays
are pasted into the tests. Backward passes by autograd of
  torch.nn.functional.linear(x, w, b)        with upstream gradient dy
  torch.nn.functional.leaky_relu(x, 0.1)     with upstream gradient dy
"""
import torch
import torch.nn.functional as F


def cfloat(v):
    s = "%.9g" % v
    return (s if ("." in s or "e" in s) else s + ".0") + "f"


def carray(name, t):
    vals = ", ".join(cfloat(v) for v in t.detach().reshape(-1).tolist())
    print("static const float %s[%d] = {%s};" % (name, t.numel(), vals))


# Linear: batch 3, in 5, out 4; values with few digits so the C file can
# state them exactly.
x = torch.tensor([[0.5, -1.0, 2.0, 0.25, -0.75],
                  [1.5, 0.0, -2.5, 1.0, 0.5],
                  [-0.5, 2.0, 1.0, -1.5, 0.125]], dtype=torch.float64, requires_grad=True)
w = torch.tensor([[0.1, -0.2, 0.3, 0.4, -0.5],
                  [0.6, 0.7, -0.8, 0.9, 1.0],
                  [-1.1, 1.2, 1.3, -1.4, 1.5],
                  [0.25, -0.5, 0.75, -1.0, 1.25]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([0.5, -0.25, 1.0, 0.0], dtype=torch.float64, requires_grad=True)
dy = torch.tensor([[1.0, -2.0, 0.5, 0.25],
                   [-1.5, 0.75, 2.0, -0.5],
                   [0.125, 1.0, -1.0, 3.0]], dtype=torch.float64)
y = F.linear(x, w, b)
y.backward(dy)
print("/* F.linear(x, w, b).backward(dy) */")
carray("lin_dx_ref", x.grad)
carray("lin_dw_ref", w.grad)
carray("lin_db_ref", b.grad)

# Leaky ReLU, slope 0.1, 0 included (torch takes the slope side there).
xl = torch.tensor([-2.0, -0.5, 0.0, 0.25, 1.0, 3.0, -1e-3, 7.5], dtype=torch.float64,
                  requires_grad=True)
dyl = torch.tensor([1.0, -2.0, 0.5, 4.0, -0.25, 1.5, 3.0, -1.0], dtype=torch.float64)
F.leaky_relu(xl, 0.1).backward(dyl)
print("/* F.leaky_relu(x, 0.1).backward(dy) */")
carray("leaky_dx_ref", xl.grad)
