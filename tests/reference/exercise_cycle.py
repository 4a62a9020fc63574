"""Reference values for exercise 25, CycleGAN's cycle-consistency loss:
  tests/exercise_25_cycle_loss.c    lambda * torch.nn.functional.l1_loss(rec, x)
                                    and rec.grad, with lambda 10 (the paper's)
                                    and one element reconstructed exactly
                                    (torch's gradient of |0| is 0)
Run once with /usr/bin/python3 (python3-torch) and paste the printed C arrays
into the test; `make test` never runs it."""
import torch
import torch.nn.functional as F
from c_arrays import carray, lit


rec = torch.tensor([0.5, -0.75, 0.9, -1.0, 0.25, 0.0, -0.3, 1.0],
                   dtype=torch.float64, requires_grad=True)
x = torch.tensor([0.25, -0.75, -0.6, -0.2, 0.75, 0.0, 0.4, -1.0], dtype=torch.float64)
lam = 10.0
L = lam * F.l1_loss(rec, x)
L.backward()
print("/* exercise 25: 10 * F.l1_loss(rec, x) = %s */" % lit(L.item()))
carray("cyc_drec", rec.grad.tolist())
