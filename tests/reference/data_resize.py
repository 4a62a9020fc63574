"""Reference values for tests/test_data.c: resizing images.

torch.nn.functional.interpolate(x, size=..., mode="bilinear", align_corners=False)
on a fixed 1 x 1 x 4 x 5 input, upsampled to 6 x 7 and downsampled to 3 x 3;
then super-resolution's pair: torch.nn.functional.avg_pool2d(x, kernel_size=f)
(nn_downsample_mean) and interpolate(x, scale_factor=f, mode="nearest")
(nn_upsample_nearest) on parts of a 2 x 2 x 6 x 4 input: the mean of every
2 x 2 block of all of it, of every 3 x 3 block of its first image's first 3
columns, and the first image's first 2 rows each pixel a 3 x 3 block.
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

# Super-resolution's pair. Input: 2 images of 2 channels of 6 x 4 pixels,
# ((i * 13 + 5) % 17 - 8) / 8 for i = 0..95 (exact in float32; the C test
# repeats the formula).
from c_arrays import carray

xs = torch.tensor([((i * 13 + 5) % 17 - 8) / 8.0 for i in range(96)],
                  dtype=torch.float32).reshape(2, 2, 6, 4)
carray("down_f2", F.avg_pool2d(xs.double(), kernel_size=2).flatten().tolist())
carray("down_f3", F.avg_pool2d(xs[:1, :, :, :3].double(), kernel_size=3).flatten().tolist())
carray("up_f3", F.interpolate(xs[:1, :, :2, :].double(), scale_factor=3,
                              mode="nearest").flatten().tolist())
