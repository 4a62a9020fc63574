"""Reference values for tests/test_layers.c, computed once with PyTorch.

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/layers.py
and paste the printed arrays into tests/test_layers.c. `make test` never runs it.
Inputs are drawn from a fixed seed and printed too, so the C test feeds the
layers exactly the float32 values torch saw.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(2014)


def lit(x):
    """A C float literal: 9 significant digits, always with a point or exponent."""
    s = "%.9g" % x
    if "." not in s and "e" not in s and "inf" not in s and "nan" not in s:
        s += ".0"
    return s + "f"


def arr(name, t, comment):
    v = t.detach().reshape(-1).tolist()
    body = ", ".join(lit(x) for x in v)
    print("/* %s */" % comment)
    print("static const float %s[%d] = {%s};" % (name, len(v), body))


def randn(*shape):
    # rounded to 4 decimals so the arrays stay readable; still float32
    return (torch.randn(*shape) * 10000).round() / 10000


# ---- linear: batch 4, in 3, out 2
x = randn(4, 3).requires_grad_()
w = randn(2, 3).requires_grad_()
b = randn(2).requires_grad_()
dy = randn(4, 2)
y = F.linear(x, w, b)
y.backward(dy)
arr("LIN_X", x, "input (4, 3)")
arr("LIN_W", w, "weight (2, 3)")
arr("LIN_B", b, "bias (2)")
arr("LIN_DY", dy, "upstream gradient (4, 2)")
arr("LIN_Y", y, "torch.nn.functional.linear(x, w, b)")
arr("LIN_DX", x.grad, "x.grad after y.backward(dy)")
arr("LIN_DW", w.grad, "w.grad after y.backward(dy)")
arr("LIN_DB", b.grad, "b.grad after y.backward(dy)")

# ---- element-wise activations on 10 values, some large
x = torch.tensor([-25.0, -3.5, -1.2, -0.4, -0.05, 0.07, 0.6, 1.9, 4.2, 30.0])
dy = randn(10)
arr("ACT_X", x, "input (10)")
arr("ACT_DY", dy, "upstream gradient (10)")
for name, fn, call in [
    ("LRELU", lambda t: F.leaky_relu(t, 0.2), "torch.nn.functional.leaky_relu(x, 0.2)"),
    ("RELU", torch.relu, "torch.relu(x)"),
    ("SIGM", torch.sigmoid, "torch.sigmoid(x)"),
    ("TANH", torch.tanh, "torch.tanh(x)"),
]:
    xr = x.clone().requires_grad_()
    y = fn(xr)
    y.backward(dy)
    arr(name + "_Y", y, call)
    arr(name + "_DX", xr.grad, "x.grad after %s.backward(dy)" % call)

# ---- batchnorm: batch 5, features 3, momentum 0.1, eps 1e-5
bn = torch.nn.BatchNorm1d(3, eps=1e-5, momentum=0.1)
with torch.no_grad():
    bn.weight.copy_(randn(3) * 0.5 + 1.0)
    bn.bias.copy_(randn(3) * 0.5)
    bn.running_mean.copy_(torch.tensor([0.5, -0.25, 1.0]))
    bn.running_var.copy_(torch.tensor([2.0, 0.5, 1.5]))
arr("BN_GAMMA", bn.weight, "gamma (3)")
arr("BN_BETA", bn.bias, "beta (3)")
arr("BN_RM0", bn.running_mean, "running_mean before (3)")
arr("BN_RV0", bn.running_var, "running_var before (3)")
x = (randn(5, 3) * 2.0 + 1.0).requires_grad_()
dy = randn(5, 3)
bn.train()
y = bn(x)
y.backward(dy)
arr("BN_X", x, "input (5, 3)")
arr("BN_DY", dy, "upstream gradient (5, 3)")
arr("BN_Y", y, "torch.nn.BatchNorm1d(3, eps=1e-5, momentum=0.1).train()(x)")
arr("BN_RM1", bn.running_mean, "bn.running_mean after the train forward")
arr("BN_RV1", bn.running_var, "bn.running_var after the train forward (unbiased var)")
arr("BN_DX", x.grad, "x.grad after y.backward(dy), train mode")
arr("BN_DGAMMA", bn.weight.grad, "bn.weight.grad after y.backward(dy)")
arr("BN_DBETA", bn.bias.grad, "bn.bias.grad after y.backward(dy)")
bn.eval()
xe = randn(4, 3)
with torch.no_grad():
    ye = bn(xe)
arr("BNE_X", xe, "eval input (4, 3)")
arr("BNE_Y", ye, "the same BatchNorm1d after .eval(), on the eval input")

# ---- minibatch std: batch 4, in 3 (Karras et al. 2018, as in StyleGAN's code)
x = randn(4, 3).requires_grad_()
dy = randn(4, 4)
s = torch.sqrt(x.var(dim=0, unbiased=False) + 1e-8).mean()
y = torch.cat([x, s.expand(4, 1)], dim=1)
y.backward(dy)
arr("MB_X", x, "input (4, 3)")
arr("MB_DY", dy, "upstream gradient (4, 4)")
arr("MB_Y", y, "torch.cat([x, sqrt(x.var(0, unbiased=False) + 1e-8).mean().expand(4, 1)], 1)")
arr("MB_DX", x.grad, "x.grad after y.backward(dy)")
