"""C literals for the reference scripts: what they print is pasted into the
C tests, so every float is written the one way here (9 significant digits,
enough to give back the same float32, always with a point and an f)."""


def lit(v):
    """A number as a C float literal."""
    s = "%.9g" % float(v)
    if "." not in s and "e" not in s and "n" not in s:
        s += ".0"
    return s + "f"


def carray(name, vals):
    """Prints `static const float name[n] = {...};` for the numbers vals."""
    vals = [float(v) for v in vals]
    print("static const float %s[%d] = {%s};" % (name, len(vals), ", ".join(lit(v) for v in vals)))


def arr(name, t, comment):
    """Prints a tensor t, flattened, as `static const float name[n]`, six
    numbers a line, under a comment saying what made it."""
    v = t.detach().reshape(-1).tolist()
    print("/* %s */" % comment)
    print("static const float %s[%d] = {" % (name, len(v)))
    for i in range(0, len(v), 6):
        print("    " + ", ".join(lit(x) for x in v[i:i + 6]) + ",")
    print("};")
