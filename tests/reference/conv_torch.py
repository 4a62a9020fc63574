"""Reference values for the convolution layers: tests/test_conv.c,
tests/test_model.c (the small DCGAN-like model), tests/exercise_14_conv2d_forward.c
and tests/exercise_15_convt_out_size.c.

Run once with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 tests/reference/conv_torch.py
and paste each section's arrays into the file its header names; `make test`
never runs it. Every value is computed in float64 from float32 inputs, then
printed as a float32 C literal; each array's comment names the torch call.

Inputs of the layer cases follow a formula the C tests repeat, so they are
not printed (all multiples of 1/16 or 1/32, exact in float32):
    pat(n, a, b, m, div)[i] = ((i*a + b) % m - m//2) / div
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def lit(v):
    s = "%.9g" % v
    if "." not in s and "e" not in s and "inf" not in s and "nan" not in s:
        s += ".0"
    return s + "f"


def arr(name, t, comment):
    v = t.detach().reshape(-1).tolist()
    print("/* %s */" % comment)
    print("static const float %s[%d] = {" % (name, len(v)))
    for i in range(0, len(v), 6):
        print("    " + ", ".join(lit(x) for x in v[i:i + 6]) + ",")
    print("};")


def pat(n, a, b, m, div):
    return torch.tensor([((i * a + b) % m - m // 2) / div for i in range(n)],
                        dtype=torch.float32)


def section(name):
    print()
    print("/* ======== %s ======== */" % name)


def conv_case(tag, transposed, N, CI, H, W, CO, K, S, P, seeds):
    """One convolution, forward and backward, float64 on float32 inputs."""
    x = pat(N * CI * H * W, *seeds[0]).reshape(N, CI, H, W)
    wshape = (CI, CO, K, K) if transposed else (CO, CI, K, K)
    n_w = CI * CO * K * K
    w = pat(n_w, *seeds[1]).reshape(wshape)
    b = pat(CO, *seeds[2])
    xd = x.double().requires_grad_()
    wd = w.double().requires_grad_()
    bd = b.double().requires_grad_()
    if transposed:
        y = F.conv_transpose2d(xd, wd, bd, stride=S, padding=P)
        call = "F.conv_transpose2d(x, w, b, stride=%d, padding=%d)" % (S, P)
    else:
        y = F.conv2d(xd, wd, bd, stride=S, padding=P)
        call = "F.conv2d(x, w, b, stride=%d, padding=%d)" % (S, P)
    dy = pat(y.numel(), *seeds[3]).reshape(y.shape)
    y.backward(dy.double())
    shape = "x (%d, %d, %d, %d), w %s, y %s" % (N, CI, H, W, tuple(wshape), tuple(y.shape))
    arr(tag + "_Y", y, "%s: %s" % (call, shape))
    arr(tag + "_DX", xd.grad, "x.grad after y.backward(dy)")
    arr(tag + "_DW", wd.grad, "w.grad after y.backward(dy)")
    arr(tag + "_DB", bd.grad, "b.grad after y.backward(dy)")


# ---------------------------------------------------------------- test_conv.c
section("tests/test_conv.c")
# Conv2d A: a non-square odd image, kernel 3, stride 2, padding 1.
conv_case("CA", False, 2, 2, 5, 4, 3, 3, 2, 1,
          [(37, 11, 29, 16), (53, 7, 31, 32), (7, 3, 9, 8), (29, 5, 23, 16)])
# Conv2d B: one input channel, stride 3 larger than kernel 2, padding 2.
conv_case("CB", False, 3, 1, 7, 6, 2, 2, 3, 2,
          [(41, 13, 27, 16), (17, 5, 13, 32), (5, 1, 7, 8), (31, 9, 25, 16)])
# ConvTranspose2d A: DCGAN's kernel 4, stride 2, padding 1 on a 3x2 input.
conv_case("TA", True, 2, 3, 3, 2, 2, 4, 2, 1,
          [(37, 11, 29, 16), (53, 7, 31, 32), (7, 3, 9, 8), (29, 5, 23, 16)])
# ConvTranspose2d B: one input channel, kernel 3, stride 1, padding 0 (out 7x5).
conv_case("TB", True, 2, 1, 5, 3, 3, 3, 1, 0,
          [(41, 13, 27, 16), (17, 5, 13, 32), (5, 1, 7, 8), (31, 9, 25, 16)])

# BatchNorm2d: batch 3, 2 channels of 2x3 pixels; then eval on another x.
bn = nn.BatchNorm2d(2, eps=1e-5, momentum=0.1).double()
with torch.no_grad():
    bn.weight.copy_(torch.tensor([1.5, -0.75]))
    bn.bias.copy_(torch.tensor([0.25, -0.5]))
    bn.running_mean.copy_(torch.tensor([0.5, -0.25]))
    bn.running_var.copy_(torch.tensor([2.0, 0.5]))
x = pat(36, 37, 11, 29, 16).reshape(3, 2, 2, 3).double().requires_grad_()
dy = pat(36, 29, 5, 23, 16).reshape(3, 2, 2, 3).double()
bn.train()
y = bn(x)
y.backward(dy)
arr("BN2_Y", y, "torch.nn.BatchNorm2d(2, eps=1e-5, momentum=0.1).train()(x), x (3, 2, 2, 3)")
arr("BN2_RM", bn.running_mean, "bn.running_mean after the train forward (from 0.5, -0.25)")
arr("BN2_RV", bn.running_var, "bn.running_var after the train forward (from 2, 0.5; unbiased)")
arr("BN2_DX", x.grad, "x.grad after y.backward(dy)")
arr("BN2_DGAMMA", bn.weight.grad, "bn.weight.grad")
arr("BN2_DBETA", bn.bias.grad, "bn.bias.grad")
bn.eval()
with torch.no_grad():
    xe = pat(24, 53, 7, 31, 32).reshape(2, 2, 2, 3).double()
    arr("BN2_YEVAL", bn(xe), "the same BatchNorm2d after .eval() on x2 (2, 2, 2, 3)")

# ---------------------------------------------------------------- test_model.c
section("tests/test_model.c")
torch.manual_seed(0)
net = nn.Sequential(
    nn.Linear(4, 18), nn.BatchNorm1d(18), nn.ReLU(), nn.Unflatten(1, (2, 3, 3)),
    nn.ConvTranspose2d(2, 3, 4, 2, 1), nn.BatchNorm2d(3), nn.ReLU(),
    nn.ConvTranspose2d(3, 1, 4, 2, 1), nn.Tanh(),
    nn.Conv2d(1, 2, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(2, 4, 4, 2, 1), nn.BatchNorm2d(4), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(36, 1), nn.Sigmoid())
with torch.no_grad():
    # gamma and beta away from 1 and 0 so that their gradients are tested fully
    for i, bnl in ((1, net[1]), (5, net[5]), (12, net[12])):
        n = bnl.weight.numel()
        bnl.weight.copy_(1.0 + pat(n, 7 + i, 3, 11, 16))
        bnl.bias.copy_(pat(n, 5 + i, 1, 9, 16))
x = torch.randn(3, 4)
r = torch.randn(3, 1)
params32 = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
print("/* sum(p.numel() for p in net.parameters()) = %d */" % params32.numel())
net = net.double()
xd = x.double().requires_grad_()
net.train()
y = net(xd)
(y * r.double()).sum().backward()
arr("CREF_PARAMS", params32, "torch.cat of every p.reshape(-1) in net.parameters() order")
arr("CREF_X", x, "input (3, 4)")
arr("CREF_R", r, "loss weights r (3, 1): loss = sum(y * r)")
arr("CREF_Y", y, "net.train()(x)")
arr("CREF_DX", xd.grad, "x.grad after loss.backward()")
arr("CREF_DPARAMS", torch.cat([p.grad.reshape(-1) for p in net.parameters()]),
    "torch.cat of every p.grad.reshape(-1)")
arr("CREF_RUNNING", torch.cat([torch.cat([m.running_mean, m.running_var])
                               for m in (net[1], net[5], net[12])]),
    "each batchnorm's running_mean then running_var after the train forward")
net.eval()
with torch.no_grad():
    arr("CREF_Y_EVAL", net(xd), "net.eval()(x) afterwards")

# ---------------------------------------------------------------- exercise 14
section("tests/exercise_14_conv2d_forward.c")
# x (2, 3, 5, 6), w (4, 3, 3, 3), b (4): stride 2, padding 1 -> (2, 4, 3, 3)
x = pat(180, 37, 11, 29, 16).reshape(2, 3, 5, 6)
w = pat(108, 53, 7, 31, 32).reshape(4, 3, 3, 3)
b = pat(4, 7, 3, 9, 8)
arr("t_y", F.conv2d(x.double(), w.double(), b.double(), stride=2, padding=1),
    "F.conv2d(x, w, b, stride=2, padding=1): x (2, 3, 5, 6), w (4, 3, 3, 3), y (2, 4, 3, 3)")
arr("t_y_nobias", F.conv2d(x.double(), w.double(), None, stride=2, padding=1),
    "F.conv2d(x, w, None, stride=2, padding=1)")
# stride 3 larger than the kernel 2, padding 2: x (3, 1, 7, 6), w (2, 1, 2, 2) -> (3, 2, 4, 3)
x = pat(126, 41, 13, 27, 16).reshape(3, 1, 7, 6)
w = pat(8, 17, 5, 13, 32).reshape(2, 1, 2, 2)
b = pat(2, 5, 1, 7, 8)
arr("t_y3", F.conv2d(x.double(), w.double(), b.double(), stride=3, padding=2),
    "F.conv2d(x, w, b, stride=3, padding=2): x (3, 1, 7, 6), w (2, 1, 2, 2), y (3, 2, 4, 3)")

# ---------------------------------------------------------------- exercise 15
section("tests/exercise_15_convt_out_size.c")
print("/* {in, k, stride, pad, out}: out = torch.nn.ConvTranspose2d(1, 1, k, stride, pad)"
      "(torch.zeros(1, 1, in, in)).shape[-1] */")
cases = [(7, 4, 2, 1), (14, 4, 2, 1), (1, 4, 1, 0), (4, 4, 2, 1), (5, 3, 1, 0), (5, 3, 1, 1),
         (3, 2, 3, 0), (6, 5, 3, 2), (10, 1, 1, 0), (2, 7, 4, 3), (8, 3, 2, 1), (1, 1, 5, 0)]
rows = []
for (i, k, s, p) in cases:
    out = nn.ConvTranspose2d(1, 1, k, s, p)(torch.zeros(1, 1, i, i)).shape[-1]
    rows.append("{%d, %d, %d, %d, %d}" % (i, k, s, p, out))
print("static const int torch_cases[%d][5] = {%s};" % (len(rows), ", ".join(rows)))
