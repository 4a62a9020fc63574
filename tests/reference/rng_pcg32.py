"""Reference values for tests/test_rng.c: the PCG32 reference algorithm
(pcg32_srandom_r / pcg32_random_r from https://www.pcg-random.org) in plain
Python integers, and the Box-Muller normals lib/base/rng.c builds from it.
Run once with /usr/bin/python3; the output is pasted into the C test."""
import math

def cf(v):
    """A float as a C float literal: 9 significant digits, always with a point."""
    s = "%.9g" % v
    if not any(ch in s for ch in ".en"):
        s += ".0"
    return s + "f"


M64 = (1 << 64) - 1


class Pcg32:
    def __init__(self, seed, stream):
        self.state = 0
        self.inc = ((stream << 1) | 1) & M64
        self.next()
        self.state = (self.state + seed) & M64
        self.next()

    def next(self):
        old = self.state
        self.state = (old * 6364136223846793005 + self.inc) & M64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & 0xFFFFFFFF

    def uniform(self):
        return (self.next() >> 8) * (1.0 / 16777216.0)


def normals(seed, stream, n):
    r = Pcg32(seed, stream)
    out = []
    while len(out) < n:
        u1 = 1.0 - r.uniform()
        u2 = r.uniform()
        rad = math.sqrt(-2.0 * math.log(u1))
        th = 6.283185307179586 * u2
        out += [rad * math.cos(th), rad * math.sin(th)]
    return out[:n]


if __name__ == "__main__":  # other scripts import Pcg32 from here
    for seed, stream in [(42, 54), (0, 0), (12345, 0)]:
        r = Pcg32(seed, stream)
        vals = ", ".join("0x%08xu" % r.next() for _ in range(6))
        print("/* seed %d, stream %d */ {%s}," % (seed, stream, vals))
    print("/* normals, seed 7 stream 0 */ {%s}" % ", ".join(cf(v) for v in normals(7, 0, 6)))
