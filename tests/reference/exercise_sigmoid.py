"""Reference values for tests/exercise_05_sigmoid.c (nn_sigmoidf).

Run once with Debian's python3-torch:
    /usr/bin/python3 tests/reference/exercise_sigmoid.py
and paste the printed arrays into the test; `make test` never runs it.
torch.sigmoid in float64 on the float32 points, rounded to float32 (torch's
own float32 sigmoid gives 0 at -100, where the float64 value 3.72e-44 is
below float32's normal range: the test accepts either there).
"""
import torch


def lit(v):
    s = "%.9g" % v
    if "." not in s and "e" not in s:
        s += ".0"
    return s + "f"


pts = torch.tensor([-100.0, -88.0, -30.0, -15.0, -5.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0,
                    5.0, 15.0, 20.0, 100.0], dtype=torch.float32)
ref = torch.sigmoid(pts.double()).float()
print("/* points */")
print("static const float sig_x[%d] = {%s};" % (len(pts), ", ".join(lit(v) for v in pts.tolist())))
print("/* torch.sigmoid(x.double()).float() */")
print("static const float sig_ref[%d] = {%s};" % (len(pts), ", ".join(lit(v) for v in ref.tolist())))
