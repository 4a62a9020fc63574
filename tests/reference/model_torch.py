"""Reference values for tests/test_model.c: a small torch nn.Sequential with
every layer kind nn_model has, its forward output, the gradients of
loss = sum(y * r) with respect to the input and every parameter
(loss.backward()), the batchnorm running statistics after that train-mode
forward, and the eval-mode output afterwards.
Run once with /usr/bin/python3; paste the output into the C test.

gansteps layout of the flat parameter block: per layer, linear weight
(out, in) row-major then bias (out); batchnorm weight (gamma) then bias."""
import torch
import torch.nn as nn

def cf(v):
    """A float as a C float literal: 9 significant digits, always with a point."""
    s = "%.9g" % v
    if not any(ch in s for ch in ".en"):
        s += ".0"
    return s + "f"



class MinibatchStd(nn.Module):
    """Karras et al. 2018: append mean over features of the batch std
    (biased, 1e-8 inside the sqrt), the same value for every row."""
    def forward(self, x):
        s = torch.sqrt(x.var(dim=0, unbiased=False) + 1e-8).mean()
        return torch.cat([x, s.expand(x.shape[0], 1)], dim=1)


torch.manual_seed(0)
net = nn.Sequential(
    nn.Linear(4, 6), nn.BatchNorm1d(6, momentum=0.1, eps=1e-5), nn.LeakyReLU(0.2),
    nn.Linear(6, 5), nn.ReLU(), MinibatchStd(),
    nn.Linear(6, 3), nn.Tanh(), nn.Dropout(p=0.0),
    nn.Linear(3, 2), nn.Sigmoid())
with torch.no_grad():
    # gamma and beta away from 1 and 0 so their gradients are tested fully
    net[1].weight.copy_(torch.tensor([1.2, 0.8, -0.5, 1.5, 0.9, 1.1]))
    net[1].bias.copy_(torch.tensor([0.1, -0.2, 0.3, 0.0, 0.05, -0.1]))
x = torch.randn(5, 4, requires_grad=True)
r = torch.randn(5, 2)
net.train()
y = net(x)
(y * r).sum().backward()

params = [p for p in net.parameters()]


def arr(name, t):
    vals = t.detach().reshape(-1).tolist()
    print("static const float %s[%d] = {" % (name, len(vals)))
    for i in range(0, len(vals), 6):
        print("    " + ", ".join(cf(v) for v in vals[i:i + 6]) + ",")
    print("};")


arr("REF_PARAMS", torch.cat([p.detach().reshape(-1) for p in params]))
arr("REF_X", x)
arr("REF_R", r)
arr("REF_Y", y)
arr("REF_DX", x.grad)
arr("REF_DPARAMS", torch.cat([p.grad.reshape(-1) for p in params]))
arr("REF_RUNNING", torch.cat([net[1].running_mean, net[1].running_var]))
net.eval()
with torch.no_grad():
    arr("REF_Y_EVAL", net(x))
