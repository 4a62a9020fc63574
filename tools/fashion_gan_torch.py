#!/usr/bin/python3
"""The PyTorch runs behind lesson 06's choice of default MLP GAN.

Trains an MLP GAN on Fashion-MNIST with the same step as the C trainer
(N(0, 0.02) init, Adam beta1 0.5, D then G as in nn_gan_step, one-sided
label smoothing, dropout in D, batchnorm in G) and, every --every epochs,
labels 1000 samples of fixed noise with the classifier of
tools/fashion_coverage.py: the share of each class, its minimum and the mean
confidence, plus a PNG grid in --out. Reference tooling: needs PyTorch
(Debian python3-torch); `make test` never does. One thread, so run it with
`nice` beside other work. The runs quoted in lesson 06:

  classic:                 --g 300 --d 300,100
  classic + batchnorm:     --g 300 --gbn 1 --d 300,100
  default:                 --g 256,512 --gbn 1 --d 512,256 --drop 0.3 --smooth 0.9
  default, no dropout/LS:  --g 256,512 --gbn 1 --d 512,256
"""
import argparse, os, sys, time, struct, zlib
import numpy as np
import torch, torch.nn as nn
sys.dont_write_bytecode = True  # no __pycache__ left in tools/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_coverage import DATA, read_idx, to_float, trained_classifier


def coverage(clf, x):
    """Share of each class among x (n, 784) and the mean top probability."""
    with torch.no_grad():
        p = torch.softmax(clf(x), 1)
    return (torch.bincount(p.argmax(1), minlength=10).float() / len(x)).numpy(), \
        p.max(1).values.mean().item()


def save_grid(x, path, nrow=10, scale=2):
    """Images x (n, 784) in [-1, 1] as a grey PNG grid (no imaging library needed)."""
    x = ((x.clamp(-1, 1) + 1) * 127.5).round().byte().numpy().reshape(-1, 28, 28)
    rows = (len(x) + nrow - 1) // nrow
    img = np.zeros((rows * 30, nrow * 30), np.uint8)
    for i in range(len(x)):
        r, c = divmod(i, nrow)
        img[r * 30 + 1:r * 30 + 29, c * 30 + 1:c * 30 + 29] = x[i]
    img = img.repeat(scale, 0).repeat(scale, 1)
    h, w = img.shape
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


p = argparse.ArgumentParser()
p.add_argument("--g", default="300"); p.add_argument("--gbn", type=int, default=0)
p.add_argument("--d", default="300,100"); p.add_argument("--drop", type=float, default=0.0)
p.add_argument("--smooth", type=float, default=1.0); p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--lrd", type=float, default=None); p.add_argument("--b1", type=float, default=0.5)
p.add_argument("--epochs", type=float, default=20); p.add_argument("--batch", type=int, default=64)
p.add_argument("--dsteps", type=int, default=1); p.add_argument("--loss", default="nonsat")
p.add_argument("--every", type=float, default=2); p.add_argument("--seed", type=int, default=0)
p.add_argument("--slope", type=float, default=0.2); p.add_argument("--tag", default="x")
p.add_argument("--latent", type=int, default=100); p.add_argument("--init", default="normal")
p.add_argument("--gact", default="leaky"); p.add_argument("--out", default="/tmp/fashion_gan_torch")
a = p.parse_args()
torch.set_num_threads(1)
torch.manual_seed(a.seed)
gh = [int(v) for v in a.g.split(",")]; dh = [int(v) for v in a.d.split(",")]
L = []; prev = a.latent
for h in gh:
    L += [nn.Linear(prev, h)] + ([nn.BatchNorm1d(h)] if a.gbn else []) + [nn.LeakyReLU(a.slope) if a.gact == "leaky" else nn.ReLU()]; prev = h
G = nn.Sequential(*L, nn.Linear(prev, 784), nn.Tanh())
L = []; prev = 784
for h in dh:
    L += [nn.Linear(prev, h), nn.LeakyReLU(a.slope)] + ([nn.Dropout(a.drop)] if a.drop > 0 else []); prev = h
D = nn.Sequential(*L, nn.Linear(prev, 1))
if a.init == "normal":
    for m in list(G.modules()) + list(D.modules()):
        if isinstance(m, nn.Linear): nn.init.normal_(m.weight, 0, 0.02); nn.init.zeros_(m.bias)
macs = lambda net: sum(m.in_features * m.out_features for m in net.modules() if isinstance(m, nn.Linear))
mg, md = macs(G), macs(D)
cost = (3 * mg + 6 * md * a.dsteps + 2 * md) / (3 * 265200 + 8 * 265300)
print(f"# {a.tag} G {mg/1e3:.0f}k MACs D {md/1e3:.0f}k MACs, step cost {cost:.2f} x classic; args {vars(a)}", flush=True)
X = to_float(read_idx(f"{DATA}/train-images-idx3-ubyte.gz"))
oD = torch.optim.Adam(D.parameters(), a.lrd or a.lr, betas=(a.b1, 0.999))
oG = torch.optim.Adam(G.parameters(), a.lr, betas=(a.b1, 0.999))
clf = trained_classifier()
zfix = torch.randn(1000, a.latent, generator=torch.Generator().manual_seed(123))
sp = nn.functional.softplus
bs = a.batch; per_epoch = 60000 // bs
total = int(a.epochs * per_epoch); every = int(a.every * per_epoch)
t0 = time.time(); step = 0; hist = []
def evaluate(final=False):
    G.eval()
    with torch.no_grad(): xe = G(zfix)
    G.train()
    with torch.no_grad(): xt = G(zfix[:bs * 15])  # train-mode batchnorm stats over big batch
    he, ce = coverage(clf, xe); ht, ct = coverage(clf, xt)
    ep = step / per_epoch
    print(f"{a.tag} ep {ep:5.1f} step {step} t {time.time()-t0:6.1f}s  eval min {he.min():.3f} conf {ce:.2f} hist {' '.join(f'{v:.2f}' for v in he)} | trainmode min {ht.min():.3f}  dl {dl:.3f} gl {gl:.3f} Dx {dx:.2f} DGz {dgz:.2f}", flush=True)
    save_grid(xe[:100], f"{a.out}/{a.tag}_ep{int(round(ep))}.png")
    return he
os.makedirs(a.out, exist_ok=True)
dl = gl = dx = dgz = float("nan")
while step < total:
    perm = torch.randperm(60000)
    for i in range(0, 60000 - bs * a.dsteps + 1, bs * a.dsteps):
        if step >= total: break
        z = torch.randn(bs, a.latent); fake = G(z)
        for k in range(a.dsteps):
            real = X[perm[i + k * bs: i + (k + 1) * bs]]
            if k > 0:
                with torch.no_grad(): f2 = G(torch.randn(bs, a.latent))
            else: f2 = fake.detach()
            sr, sf = D(real), D(f2)
            if a.loss == "lsgan": lossD = 0.5 * ((sr - a.smooth) ** 2).mean() + 0.5 * (sf ** 2).mean()
            elif a.loss == "hinge": lossD = torch.relu(1 - sr).mean() + torch.relu(1 + sf).mean()
            else: lossD = (sp(-sr) * a.smooth + (1 - a.smooth) * sp(sr)).mean() + sp(sf).mean()
            oD.zero_grad(); lossD.backward(); oD.step()
        sf = D(fake)
        if a.loss == "nonsat": lossG = sp(-sf).mean()
        elif a.loss == "minimax": lossG = -sp(sf).mean()
        elif a.loss == "lsgan": lossG = 0.5 * ((sf - 1) ** 2).mean()
        else: lossG = -sf.mean()
        oG.zero_grad(); lossG.backward(); oG.step()
        step += 1
        if step % 100 == 0:
            dl, gl = lossD.item(), lossG.item(); dx = torch.sigmoid(sr).mean().item(); dgz = torch.sigmoid(sf).mean().item()
        if step % every == 0: hist.append(evaluate())
if step % every: hist.append(evaluate())
print(f"{a.tag} DONE {time.time()-t0:.0f}s steps {step} final min share {hist[-1].min():.3f} classic-equiv-steps {step*cost:.0f}", flush=True)
