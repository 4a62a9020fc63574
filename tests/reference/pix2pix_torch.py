"""Reference values for tests/test_pix2pix.c: two of Pix2Pix's training steps
(lib/gan/pix2pix.h) in torch, on the U-Net of unet_torch.py and a small
PatchGAN.

Run once with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 tests/reference/pix2pix_torch.py
and paste the printed arrays into tests/test_pix2pix.c; `make test` never
runs it. Everything runs in float64 from float32 inputs and weights, then
prints as float32 C literals.

One step, as the paper's code (and pix2pix.h) takes it:
    g = G(x);  out = m g + (1 - m) y  (or g without a mask)
    D:  L_D = 0.5 [BCEWithLogits(D([x ; y]), 1) + BCEWithLogits(D([x ; out.detach()]), 0)]
        (D run on the real pairs, then on the fake ones), backward, Adam(D)
    G:  L_G = BCEWithLogits(D([x ; out]), 1) against the updated D
              + lambda sum(m |out - y|) / sum(m)     (mean |out - y| without a mask)
        backward, Adam(G)
Adam: torch.optim.Adam(lr 2e-4, betas (0.5, 0.999), eps 1e-8); lambda 100;
every batchnorm in train mode (the batch's statistics), except the eval
forward of the last array (running statistics, as nn_pix2pix_translate).

Inputs and weights follow formulas the C test repeats (see unet_torch.py
for pat() and the U-Net's weights); D's parameters are pat(n, 5, 2, 29, 32)
in parameters() order, its batchnorm's gamma then 1 higher.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from unet_torch import arr, build, forward, pat, set_weights

N, H, W, CH, LAMBDA = 3, 12, 12, 2, 100.0
HW = H * W


def patch_d(in_c):
    """[x ; out] (in_c + 1, 12, 12) -> a 3 x 3 map of scores."""
    d = nn.Sequential(nn.Conv2d(in_c + 1, 4, 4, 2, 1), nn.LeakyReLU(0.2),
                      nn.Conv2d(4, 8, 4, 2, 1), nn.BatchNorm2d(8), nn.LeakyReLU(0.2),
                      nn.Conv2d(8, 1, 3, 1, 1))
    ps = list(d.parameters())
    flat = pat(sum(p.numel() for p in ps), 5, 2, 29, 32)
    off = 0
    with torch.no_grad():
        for p in ps:
            p.copy_(flat[off:off + p.numel()].reshape(p.shape))
            off += p.numel()
        d[3].weight += 1.0
    return d


def images():
    """y (N, 1, H, W) in [-1, 1], pat(.., 37, 11, 33, 16); a 5 x 4 hole per image (rows 3..7, columns
    2 + 3i .. 5 + 3i); x without a mask pat(.., 41, 13, 27, 16)."""
    y = pat(N * HW, 37, 11, 33, 16).reshape(N, 1, H, W)
    m = torch.zeros(N, 1, H, W)
    for i in range(N):
        m[i, 0, 3:8, 2 + 3 * i:6 + 3 * i] = 1.0
    x_sr = pat(N * HW, 41, 13, 27, 16).reshape(N, 1, H, W)
    return y, m, x_sr


def case(tag, masked, adversarial):
    y, m, x = images()
    if masked:
        x = torch.cat((y * (1 - m), m), dim=1)      # nn_mask_input (exercise 32)
    in_c = x.shape[1]
    G = build(in_c, CH, 1)
    set_weights(G)
    G = [g.double().train() for g in G]
    D = patch_d(in_c).double().train() if adversarial else None
    x, y, m = x.double(), y.double(), m.double()
    gp = [p for g in G for p in g.parameters()]
    opt_g = torch.optim.Adam(gp, lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    if D is not None:
        opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
    stats = []
    for step in range(2):
        g = forward(G, x, 1)
        out = m * g + (1 - m) * y if masked else g
        d_loss = d_real = d_fake = g_adv = torch.zeros((), dtype=torch.float64)
        if D is not None:
            opt_d.zero_grad()
            s_real = D(torch.cat((x, y), dim=1))
            s_fake = D(torch.cat((x, out.detach()), dim=1))
            d_loss = 0.5 * (F.binary_cross_entropy_with_logits(s_real, torch.ones_like(s_real))
                            + F.binary_cross_entropy_with_logits(s_fake,
                                                                 torch.zeros_like(s_fake)))
            d_loss.backward()
            d_grads = torch.cat([p.grad.reshape(-1) for p in D.parameters()])
            opt_d.step()
            d_real = torch.sigmoid(s_real).mean()
            d_fake = torch.sigmoid(s_fake).mean()
        opt_g.zero_grad()
        if D is not None:
            s = D(torch.cat((x, out), dim=1))
            g_adv = F.binary_cross_entropy_with_logits(s, torch.ones_like(s))
        if masked:
            g_l1 = LAMBDA * (m * (out - y).abs()).sum() / m.sum()
        else:
            g_l1 = LAMBDA * (out - y).abs().mean()
        (g_adv + g_l1).backward()
        opt_g.step()
        stats += [d_loss, d_real, d_fake, g_adv, g_l1, g_adv + g_l1]
    arr(tag + "_STATS", torch.stack([s.detach() for s in stats]),
        "per step: d_loss, d_real, d_fake, g_adv, g_l1, the returned L_G")
    g_grads = torch.cat([p.grad.reshape(-1) for p in gp])
    arr(tag + "_DG", g_grads[::7], "G's parameter gradients of step 2, every 7th of the "
        "six pieces' blocks one after the other (torch.cat of p.grad over parameters())")
    if D is not None:
        arr(tag + "_DD", d_grads[::7], "D's parameter gradients of step 2, every 7th")
    with torch.no_grad():
        g = forward(G, x, 1)
        arr(tag + "_G_TRAIN", g.reshape(-1)[::4], "G(x) after the two steps, train mode, "
            "every 4th number")
        for piece in G:
            piece.eval()
        g = forward(G, x, 1)
        out = m * g + (1 - m) * y if masked else g
        arr(tag + "_TRANSLATE", out.reshape(-1)[::4], "the pasted G(x) in eval mode "
            "(running statistics) after the two steps, every 4th number")


case("SR", False, True)
print()
case("IN", True, True)
print()
case("L1", True, False)
