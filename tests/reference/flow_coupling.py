"""Reference values for lesson 17's flow (lib/flow/flow.h):
  tests/exercise_27_coupling.c  one affine coupling layer, y and log |det J|,
                                where s and t are functions of the kept
                                coordinate and the log-determinant comes from
                                torch.autograd.functional.jacobian of the
                                whole map x -> y (not from the formula sum s)
  tests/test_flow.c             a whole 3-layer RealNVP whose weights follow a
                                formula both sides compute: log p(x) and the
                                gradients of the mean negative log-likelihood
                                with respect to x and to the biases
Run once with /usr/bin/python3 (python3-torch) and paste the printed C arrays
into the tests; `make test` never runs it."""
import math

import torch
from c_arrays import carray, lit

torch.set_default_dtype(torch.float64)


# ---- exercise 27: one coupling layer on 5 points, keep = 0 and keep = 1.
# s and t are smooth functions of the kept coordinate, as a network's are.
def s_of(k):
    return 1.5 * torch.tanh(0.7 * k + 0.3)


def t_of(k):
    return k * k - 0.5


def coupling(p, keep):
    other = 1 - keep
    k = p[keep]
    y = torch.empty(2)
    y[keep] = k
    y[other] = p[other] * torch.exp(s_of(k)) + t_of(k)
    return y


X = [[0.5, -1.0], [-1.25, 2.0], [2.0, 0.25], [0.0, -0.75], [-0.3, 1.6]]
for keep in (0, 1):
    ys, ss, ts, lds = [], [], [], []
    for row in X:
        p = torch.tensor(row)
        y = coupling(p, keep)
        J = torch.autograd.functional.jacobian(lambda q: coupling(q, keep), p)
        lds.append(torch.linalg.slogdet(J)[1].item())
        ys += y.tolist()
        ss.append(s_of(p[keep]).item())
        ts.append(t_of(p[keep]).item())
    print("/* exercise 27, keep = %d */" % keep)
    carray("cp_s%d" % keep, ss)
    carray("cp_t%d" % keep, ts)
    carray("cp_y%d" % keep, ys)
    carray("cp_logdet%d" % keep, lds)


# ---- test_flow.c: 3 layers, networks 1 -> 4 -> 4 -> 2, leaky ReLU 0.2,
# s = s_max tanh(a / s_max) with s_max 2, scale 1.5. Weight j of a layer's
# matrix (torch's (out, in) layout, row-major) is 0.4 sin(0.37 j + 1.3 l + 0.9 k)
# and bias j is 0.1 cos(0.51 j + 0.7 l + 0.2 k), for network k, linear layer l.
K, H, SMAX, SCALE = 3, 4, 2.0, 1.5


def weights():
    nets = []
    for k in range(K):
        layers = []
        for l, (fi, fo) in enumerate([(1, H), (H, H), (H, 2)]):
            W = torch.tensor([[0.4 * math.sin(0.37 * (o * fi + i) + 1.3 * l + 0.9 * k)
                               for i in range(fi)] for o in range(fo)], requires_grad=True)
            b = torch.tensor([0.1 * math.cos(0.51 * j + 0.7 * l + 0.2 * k) for j in range(fo)],
                             requires_grad=True)
            layers.append((W, b))
        nets.append(layers)
    return nets


def net(layers, u):
    h = u
    for l, (W, b) in enumerate(layers):
        h = h @ W.T + b
        if l < 2:
            h = torch.nn.functional.leaky_relu(h, 0.2)
    return h


def log_prob(nets, x):
    h = x / SCALE
    logdet = torch.full((x.shape[0],), -2.0 * math.log(SCALE))
    for k in range(K):
        keep, other = k % 2, 1 - k % 2
        o = net(nets[k], h[:, keep:keep + 1])
        s = SMAX * torch.tanh(o[:, 0] / SMAX)
        t = o[:, 1]
        new = h.clone()
        new[:, other] = h[:, other] * torch.exp(s) + t
        h = new
        logdet = logdet + s
    return -0.5 * (h * h).sum(1) - math.log(2 * math.pi) + logdet


nets = weights()
x = torch.tensor([[0.3, -0.8], [1.7, 0.4], [-2.1, -1.2], [0.05, 2.4]], requires_grad=True)
lp = log_prob(nets, x)
nll = -lp.mean()
nll.backward()
print("/* test_flow.c: log p(x) of the 3-layer flow; mean NLL = %s */" % lit(nll.item()))
carray("flow_logp", lp.tolist())
carray("flow_dx", x.grad.flatten().tolist())
for k in range(K):
    carray("flow_db%d" % k, [g for (W, b) in nets[k] for g in b.grad.tolist()])
