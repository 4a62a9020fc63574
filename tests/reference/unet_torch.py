"""Reference values for tests/test_unet.c: the U-Net of lib/nn/unet.h in torch.

Run once with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 tests/reference/unet_torch.py
and paste the printed arrays into tests/test_unet.c; `make test` never runs it.

The six pieces are nn.Sequential stacks of the layers unet.h names, joined
as unet.c joins them: torch.cat((decoder's own maps, encoder's maps), dim=1),
the decoder's channels first. Every value is computed in float64 from
float32 inputs and weights, then printed as a float32 C literal.

Inputs and weights follow a formula the C test repeats, so they are not
printed (multiples of 1/16 or 1/32, exact in float32):
    pat(n, a, b, m, div)[i] = ((i*a + b) % m - m//2) / div
Model k's parameters (k = 0..5: enc0, enc1, enc2, dec0, dec1, dec2), in
net.parameters() order (gansteps' block layout), are pat(n_k, 7 + 4k, 3 + k,
31, 32); each batchnorm's weight (gamma) then has 1 added.
"""
import torch
import torch.nn as nn

from c_arrays import arr


def pat(n, a, b, m, div):
    return torch.tensor([((i * a + b) % m - m // 2) / div for i in range(n)],
                        dtype=torch.float32)


def build(in_c, ch, skips):
    """enc0, enc1, enc2, dec0, dec1, dec2 as unet.h draws them."""
    c = [ch, 2 * ch, 4 * ch]
    enc = [nn.Sequential(nn.Conv2d(in_c, c[0], 4, 2, 1), nn.LeakyReLU(0.2)),
           nn.Sequential(nn.Conv2d(c[0], c[1], 4, 2, 1), nn.BatchNorm2d(c[1]),
                         nn.LeakyReLU(0.2)),
           nn.Sequential(nn.Conv2d(c[1], c[2], 3, 2, 1), nn.ReLU())]
    s = 2 if skips else 1
    dec = [nn.Sequential(nn.ConvTranspose2d(s * c[0], 1, 4, 2, 1), nn.Tanh()),
           nn.Sequential(nn.ConvTranspose2d(s * c[1], c[0], 4, 2, 1), nn.BatchNorm2d(c[0]),
                         nn.ReLU()),
           nn.Sequential(nn.ConvTranspose2d(c[2], c[1], 3, 2, 1), nn.BatchNorm2d(c[1]),
                         nn.ReLU())]
    return enc + dec


def forward(models, x, skips):
    e0 = models[0](x)
    e1 = models[1](e0)
    e2 = models[2](e1)
    d = models[5](e2)
    d = models[4](torch.cat((d, e1), dim=1) if skips else d)
    return models[3](torch.cat((d, e0), dim=1) if skips else d)


def set_weights(models):
    for k, m in enumerate(models):
        ps = list(m.parameters())
        flat = pat(sum(p.numel() for p in ps), 7 + 4 * k, 3 + k, 31, 32)
        off = 0
        with torch.no_grad():
            for p in ps:
                p.copy_(flat[off:off + p.numel()].reshape(p.shape))
                off += p.numel()
            for layer in m:
                if isinstance(layer, nn.BatchNorm2d):
                    layer.weight += 1.0


def param_counts():
    print("/* sum(p.numel() for p in every piece's parameters()): the default")
    print(" * 28 x 28 U-Net, in_c 1 and 2, ch 32, with and without skips */")
    for in_c in (1, 2):
        for skips in (1, 0):
            n = sum(p.numel() for m in build(in_c, 32, skips) for p in m.parameters())
            print("#define TORCH_PARAMS_IN%d_SKIPS%d %d" % (in_c, skips, n))


N, IN_C, H, W, CH = 3, 2, 12, 12, 2


def case(skips, tag, grads_of):
    torch.manual_seed(0)
    models = build(IN_C, CH, skips)
    set_weights(models)
    models = [m.double().train() for m in models]
    x = pat(N * IN_C * H * W, 37, 11, 29, 16).reshape(N, IN_C, H, W).double()
    x.requires_grad_()
    y = forward(models, x, skips)
    dy = pat(y.numel(), 29, 5, 23, 16).reshape(y.shape).double()
    y.backward(dy)
    what = "skips %d, x (%d, %d, %d, %d), train mode" % (skips, N, IN_C, H, W)
    arr(tag + "_Y", y, "y = U(x), %s" % what)
    if skips:
        arr(tag + "_DX", x.grad, "x.grad after y.backward(dy)")
    names = ["ENC0", "ENC1", "ENC2", "DEC0", "DEC1", "DEC2"]
    for k in grads_of:
        g = torch.cat([p.grad.reshape(-1) for p in models[k].parameters()])
        arr("%s_D%s" % (tag, names[k]), g,
            "%s: torch.cat of p.grad.reshape(-1) over parameters() after y.backward(dy)"
            % names[k].lower())


if __name__ == "__main__":
    param_counts()
    print()
    case(1, "SK", range(6))
    print()
    case(0, "NS", [3, 4])
