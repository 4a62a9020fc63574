"""Reference values for tests/exercise_10_bytes_to_float.c (nn_bytes_to_float).

Run once with Debian's python3-torch:
    /usr/bin/python3 tests/reference/exercise_bytes_to_float.py
and paste the printed arrays into the test; `make test` never runs it.
torchvision's ToTensor() turns uint8 pixels into img.float().div(255)
(torchvision/transforms/functional.py, to_tensor); DCGAN-style code then
maps [0, 1] onto [-1, 1] with Normalize((0.5,), (0.5,)), i.e. x * 2 - 1.
Both are computed here in float32, as torch does, without torchvision.
"""
import torch


def lit(v):
    s = "%.9g" % v
    if "." not in s and "e" not in s:
        s += ".0"
    return s + "f"


def arr(name, t, comment):
    v = t.reshape(-1).tolist()
    print("/* %s */" % comment)
    print("static const float %s[%d] = {%s};" % (name, len(v), ", ".join(lit(a) for a in v)))


px = torch.tensor([0, 1, 2, 37, 51, 64, 100, 127, 128, 191, 200, 253, 254, 255], dtype=torch.uint8)
print("static const uint8_t px[%d] = {%s};" % (len(px), ", ".join(str(v) for v in px.tolist())))
t01 = px.float().div(255)                        # ToTensor()
arr("totensor_ref", t01, "ToTensor(): px.float().div(255), float32")
arr("totensor_pm1_ref", t01 * 2 - 1, "ToTensor() then Normalize(0.5, 0.5): x * 2 - 1, float32")
