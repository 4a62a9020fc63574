"""Reference values for tests/exercise_03_linear_forward.c (nn_linear_forward).

Run once with Debian's python3-torch:
    /usr/bin/python3 tests/reference/exercise_linear_forward.py
and paste the printed arrays into the test; `make test` never runs it.
Every output comes from torch.nn.functional.linear(x, w, b), computed in
float64 from the float32 inputs, then rounded to float32.

Case A, batch 3, in 5, out 4: the inputs are printed too (C literals).
Case B, batch 7, in 13, out 9: the inputs follow a formula the C test
repeats (all multiples of 1/16 or 1/32, exact in float32):
    x[r][i] = ((r*13 + i)*37 % 29 - 14) / 16
    w[o][i] = ((o*13 + i)*53 % 31 - 15) / 32
    b[o]    = (o*7 % 9 - 4) / 8
"""
import torch
import torch.nn.functional as F


def lit(v):
    s = "%.9g" % v
    if "." not in s and "e" not in s:
        s += ".0"
    return s + "f"


def arr(name, t, comment):
    v = t.detach().reshape(-1).tolist()
    print("/* %s */" % comment)
    print("static const float %s[%d] = {%s};" % (name, len(v), ", ".join(lit(a) for a in v)))


def linear64(x, w, b=None):
    return F.linear(x.double(), w.double(), None if b is None else b.double()).float()


# ---- case A
xa = torch.tensor([[0.3, -1.2, 0.75, 2.0, -0.1],
                   [1.5, 0.0, -0.6, 0.25, 0.9],
                   [-2.2, 0.4, 1.1, -0.35, 0.05]], dtype=torch.float32)
wa = torch.tensor([[0.2, -0.5, 0.1, 0.0, 0.3],
                   [-0.7, 0.25, 0.6, -0.15, 0.05],
                   [0.45, 0.1, -0.3, 0.8, -0.2],
                   [0.05, -0.9, 0.35, 0.12, 0.6]], dtype=torch.float32)
ba = torch.tensor([0.1, -0.25, 0.5, -1.0], dtype=torch.float32)
arr("xa", xa, "x (3, 5)")
arr("wa", wa, "w (4, 5), torch's (out, in)")
arr("ba", ba, "b (4)")
arr("ya_ref", linear64(xa, wa, ba), "F.linear(x, w, b)")
arr("ya_nobias_ref", linear64(xa, wa), "F.linear(x, w): bias None")
# The slip: w's 20 numbers read as if stored (in, out) = (5, 4).
arr("ya_transposed_slip", linear64(xa, wa.reshape(5, 4).t(), ba),
    "slip, not an answer: F.linear(x, w.reshape(5, 4).t(), b), w read as (in, out)")

# ---- case B
B, IN, OUT = 7, 13, 9
xb = torch.tensor([[((r * 13 + i) * 37 % 29 - 14) / 16 for i in range(IN)] for r in range(B)],
                  dtype=torch.float32)
wb = torch.tensor([[((o * 13 + i) * 53 % 31 - 15) / 32 for i in range(IN)] for o in range(OUT)],
                  dtype=torch.float32)
bb = torch.tensor([(o * 7 % 9 - 4) / 8 for o in range(OUT)], dtype=torch.float32)
arr("yb_ref", linear64(xb, wb, bb), "F.linear(x, w, b), batch 7, in 13, out 9")
