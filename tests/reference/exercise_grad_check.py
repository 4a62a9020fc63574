"""Reference values for tests/exercise_13_grad_check.c.

Run once with /usr/bin/python3 (Debian's python3-torch); the printed C arrays
are pasted into the test. The function is a tiny layer read out by fixed
weights, f(x) = sum_i r_i * tanh((W x)_i), and its gradient is what
torch.autograd computes, in float64:
  f = (r * torch.tanh(W @ x)).sum(); f.backward(); x.grad
"""
import torch

W = torch.tensor([[0.5, -1.0, 0.25, 0.75],
                  [1.5, 0.5, -0.5, 0.0],
                  [-0.25, 0.8, 1.0, -1.2]], dtype=torch.float64)
r = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
x = torch.tensor([0.3, -0.7, 1.1, 0.2], dtype=torch.float64, requires_grad=True)

f = (r * torch.tanh(W @ x)).sum()
f.backward()
print("/* f(x) = (r * torch.tanh(W @ x)).sum(), float64 */")
print("static const double f_ref = %.12g;" % f.item())
print("static const float grad_ref[4] = {%s};"
      % ", ".join("%.9gf" % v for v in x.grad.tolist()))
