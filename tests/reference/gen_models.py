"""Reference values for lib/gen/ (tests/test_gen.c):
  nn_mix1d_nll   -log p(x) of 1-D Gaussian mixtures, each row its own logits,
                 means and raw log-standard deviations (ls = 7 tanh(raw / 7)),
                 by torch.distributions.MixtureSameFamily, and the gradient of
                 the sum with respect to the parameters by torch.autograd
Run once with /usr/bin/python3 (python3-torch) and paste the printed C arrays
into the test; `make test` never runs it."""
import torch
from c_arrays import carray

torch.set_default_dtype(torch.float64)

B = 7.0
# 3 points, k = 3: rows of (a0 a1 a2, m0 m1 m2, raw0 raw1 raw2).
params = torch.tensor([
    [0.0, 1.0, -1.0, -1.0, 0.5, 2.0, 0.0, -1.0, 0.5],
    [2.0, 0.0, 0.0, 0.3, 0.0, -0.3, -2.0, -2.0, 1.0],
    [0.5, -0.5, 0.1, 1.5, -1.5, 0.0, 0.2, -0.4, -3.0],
], requires_grad=True)
x = torch.tensor([0.4, -0.1, 1.2])
a, m, raw = params[:, :3], params[:, 3:6], params[:, 6:]
ls = B * torch.tanh(raw / B)
mix = torch.distributions.MixtureSameFamily(
    torch.distributions.Categorical(logits=a),
    torch.distributions.Normal(m, torch.exp(ls)))
nll = -mix.log_prob(x)
nll.sum().backward()
carray("mix_params", params.detach().flatten())
carray("mix_x", x)
carray("mix_nll", nll.detach())
carray("mix_dparams", params.grad.flatten())
