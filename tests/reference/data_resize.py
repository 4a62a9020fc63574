"""Reference values for tests/test_data.c: bilinear resize.

torch.nn.functional.interpolate(x, size=..., mode="bilinear", align_corners=False)
on a fixed 1 x 1 x 4 x 5 input, upsampled to 6 x 7 and downsampled to 3 x 3.
Run once with /usr/bin/python3; the printed arrays are pasted into the test.
"""
import torch
import torch.nn.functional as F

x = torch.tensor([[(i * 7 + 3) % 11 / 10.0 - 0.5 for i in range(20)]],
                 dtype=torch.float32).reshape(1, 1, 4, 5)
print("in:", ", ".join("%.9gf" % v for v in x.flatten().tolist()))
for size in [(6, 7), (3, 3)]:
    y = F.interpolate(x, size=size, mode="bilinear", align_corners=False)
    print("out %dx%d:" % size, ", ".join("%.9gf" % v for v in y.flatten().tolist()))
