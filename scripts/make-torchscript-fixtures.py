"""Writes the small Python-made test fixtures the Java tests read, so the tests need no Python.

Run once from the repository root with Debian's PyTorch and NumPy (nothing else):

    apt-get install -y python3-torch python3-numpy
    /usr/bin/python3 scripts/make-torchscript-fixtures.py

It writes into sbgm-core/src/test/resources/org/sbgm/python/ (a few hundred KB in all):

  mlp.pt, mlp-traced.pt   the project's MLP layout in PyTorch (Fourier(16 frequencies, scale 16) time
                          features, Linear(34, 32)-SiLU-Linear(32, 32)-SiLU-Linear(32, 32)-SiLU-Linear(32, 2)),
                          through torch.jit.script and torch.jit.trace; mlp.safetensors and mlp.npz hold its
                          state_dict, mlp-io.npz inputs x, t and the outputs PyTorch computed
  conditional.pt          the same layout on [x, emb(t), parameters] with 2 parameters (conditional.safetensors,
                          conditional-io.npz with x, t, parameters, out)
  optional.pt             forward(x, t, parameters: Optional[Tensor] = None), run without parameters
  dropout.pt              the MLP with Dropout(0.1) after each activation (training must resume exactly)
  unet.pt                 the reference U-Net layout (../shared/peer/reference.py) with 8 channels, multipliers
                          (1, 1), for 1x8x8 images; unet.safetensors, unet-io.npz
  reference-names.txt     the state_dict names and shapes of reference.py's Mlp() and UNet() (the benchmark sizes)
  bad-arity.pt            forward(x): no t
  bad-type.pt             forward(x, t: float)
  bad-shape.pt            returns x[:, :1]
  bad-tuple.pt            returns (x, t)
  dtypes.safetensors      one tensor of every dtype the library reads (F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL),
                          a scalar, an empty tensor, a non-ASCII name and metadata; dtypes.npz holds the same
                          values for comparison, widened where .npy readers differ (F16 as f4, I16 as i4, BOOL
                          as u1, BF16 as its raw 16 bits in i4)

The safetensors files come from the NumPy-only writer below (the Hugging Face layout: 8-byte little-endian
header length, compact JSON header with __metadata__ first and padded with spaces to a multiple of 8,
tensors ordered by decreasing dtype alignment in that library's Dtype order, then by name), so no
safetensors package is needed.
"""
import json
import math
import os
import struct
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = "sbgm-core/src/test/resources/org/sbgm/python"

# the Hugging Face library's Dtype order (increasing alignment); its writer puts the largest first, then sorts by name
RANK = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 3, "U16": 4, "F16": 5, "BF16": 6, "I32": 7, "U32": 8, "F32": 9, "F64": 10,
        "I64": 11, "U64": 12}
CODES = {np.dtype("<f8"): "F64", np.dtype("<f4"): "F32", np.dtype("<f2"): "F16", np.dtype("<i8"): "I64",
         np.dtype("<i4"): "I32", np.dtype("<i2"): "I16", np.dtype("i1"): "I8", np.dtype("u1"): "U8",
         np.dtype("bool"): "BOOL"}


def write_safetensors(path, arrays, metadata=None):
    """arrays: name -> numpy array, or name -> (dtype name, raw little-endian bytes, shape) for BF16."""
    items = []
    for name, a in arrays.items():
        if isinstance(a, tuple):
            items.append((name,) + a)
        else:
            a = np.array(a, order="C")  # (ascontiguousarray would make a 0-d array 1-d)
            items.append((name, CODES[a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype],
                          a.astype(a.dtype.newbyteorder("<")).tobytes(), list(a.shape)))
    items.sort(key=lambda it: (-RANK[it[1]], it[0].encode("utf-8")))
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    for name, dtype, data, shape in items:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, _, data, _ in items:
            f.write(data)


def state_arrays(module):
    return {k: v.detach().numpy() for k, v in module.state_dict().items()}


class Fourier(nn.Module):
    def __init__(self, n=16, scale=16.0):
        super().__init__()
        self.register_buffer("w", torch.randn(n) * scale)

    def forward(self, t):
        p = t[:, None] * self.w[None, :] * (2 * math.pi)  # the order of the library's TimeEmbedding
        return torch.cat([p.sin(), p.cos()], dim=1)


def mlp_layers(d_in, width, d_out, depth, dropout=0.0):
    layers = []
    for k in range(depth):
        layers += [nn.Linear(d_in if k == 0 else width, width), nn.SiLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(width, d_out))
    return nn.Sequential(*layers)


class Mlp(nn.Module):
    """The library's Mlp in PyTorch: net(cat([x, emb(t)]))."""
    def __init__(self, d=2, width=32, depth=3):
        super().__init__()
        self.emb = Fourier()
        self.net = mlp_layers(d + 32, width, d, depth)

    def forward(self, x, t):
        return self.net(torch.cat([x, self.emb(t)], dim=1))


class ConditionalMlp(nn.Module):
    def __init__(self, d=2, p=2, width=32, depth=3):
        super().__init__()
        self.emb = Fourier()
        self.net = mlp_layers(d + 32 + p, width, d, depth)

    def forward(self, x, t, parameters):
        return self.net(torch.cat([x, self.emb(t), parameters], dim=1))


class OptionalMlp(nn.Module):
    def __init__(self, d=2, width=16):
        super().__init__()
        self.emb = Fourier()
        self.net = mlp_layers(d + 32, width, d, 2)

    def forward(self, x, t, parameters: Optional[torch.Tensor] = None):
        h = torch.cat([x, self.emb(t)], dim=1)
        out = self.net(h)
        if parameters is not None:
            out = out + parameters.sum(dim=1, keepdim=True)
        return out


class DropoutMlp(nn.Module):
    def __init__(self, d=2, width=32):
        super().__init__()
        self.emb = Fourier()
        self.net = mlp_layers(d + 32, width, d, 2, dropout=0.1)

    def forward(self, x, t):
        return self.net(torch.cat([x, self.emb(t)], dim=1))


def sinusoidal(t, dim: int):
    half = dim // 2
    f = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=t.dtype) / half)
    a = 1000.0 * t[:, None] * f[None, :]
    return torch.cat([a.sin(), a.cos()], dim=1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(8, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout)
        self.n2, self.c2 = nn.GroupNorm(8, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x))) + self.t(temb)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return h + self.skip(x)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n, self.qkv, self.out = nn.GroupNorm(8, c), nn.Conv2d(c, 3 * c, 1), nn.Conv2d(c, c, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        qkv = self.qkv(self.n(x)).reshape(b, 3, c, h * w).permute(1, 0, 3, 2)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(c), dim=-1) @ v
        return x + self.out(a.permute(0, 2, 1).reshape(b, c, h, w))


class UNet(nn.Module):
    """reference.py's UNet with ch channels and multipliers mults, for 1-channel images."""
    def __init__(self, ch=8, mults=(1, 1)):
        super().__init__()
        tdim = 4 * ch
        self.tmlp = nn.Sequential(nn.Linear(ch, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.inc = nn.Conv2d(1, ch, 3, padding=1)
        chans = [ch * m for m in mults]
        self.down, self.downsample = nn.ModuleList(), nn.ModuleList()
        c = ch
        for i, co in enumerate(chans):
            self.down.append(ResBlock(c, co, tdim))
            c = co
            self.downsample.append(nn.Conv2d(c, c, 3, stride=2, padding=1) if i < len(chans) - 1 else nn.Identity())
        self.mid1, self.attn, self.mid2 = ResBlock(c, c, tdim), Attention(c), ResBlock(c, c, tdim)
        self.up, self.upsample = nn.ModuleList(), nn.ModuleList()
        for i, co in reversed(list(enumerate(chans))):
            self.up.append(ResBlock(c + co, co, tdim))
            c = co
            self.upsample.append(nn.Conv2d(c, c, 3, padding=1) if i > 0 else nn.Identity())
        self.outn, self.outc = nn.GroupNorm(8, c), nn.Conv2d(c, 1, 3, padding=1)
        self.ch = ch
        self.levels = len(chans)

    def forward(self, x, t):
        temb = self.tmlp(sinusoidal(t, self.ch))
        h = self.inc(x)
        skips = []
        for i, (blk, ds) in enumerate(zip(self.down, self.downsample)):
            h = blk(h, temb)
            skips.append(h)
            if i < self.levels - 1:
                h = ds(h)
        h = self.mid2(self.attn(self.mid1(h, temb)), temb)
        for i, (blk, us) in enumerate(zip(self.up, self.upsample)):
            h = blk(torch.cat([h, skips.pop()], dim=1), temb)
            if i < self.levels - 1:
                h = us(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        return self.outc(F.silu(self.outn(h)))


class NoTime(nn.Module):
    def forward(self, x):
        return x


class FloatTime(nn.Module):
    def forward(self, x, t: float):
        return x * t


class WrongShape(nn.Module):
    def forward(self, x, t):
        return x[:, :1]


class Pair(nn.Module):
    def forward(self, x, t):
        return x, t


def save(module, name):
    module.eval()
    torch.jit.script(module).save(os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)

    mlp = Mlp().eval()
    x = torch.randn(64, 2)
    t = torch.rand(64) * (1 - 1e-5) + 1e-5
    save(mlp, "mlp.pt")
    torch.jit.trace(mlp, (x, t)).save(os.path.join(OUT, "mlp-traced.pt"))
    write_safetensors(os.path.join(OUT, "mlp.safetensors"), state_arrays(mlp), {"format": "pt", "made-by": "make-torchscript-fixtures.py"})
    np.savez(os.path.join(OUT, "mlp.npz"), **state_arrays(mlp))
    with torch.no_grad():
        np.savez(os.path.join(OUT, "mlp-io.npz"), x=x.numpy(), t=t.numpy(), out=mlp(x, t).numpy())

    cond = ConditionalMlp().eval()
    p = torch.randn(64, 2)
    save(cond, "conditional.pt")
    write_safetensors(os.path.join(OUT, "conditional.safetensors"), state_arrays(cond))
    with torch.no_grad():
        np.savez(os.path.join(OUT, "conditional-io.npz"), x=x.numpy(), t=t.numpy(), parameters=p.numpy(),
                 out=cond(x, t, p).numpy())

    save(OptionalMlp(), "optional.pt")
    dropout = DropoutMlp()
    dropout.train()
    torch.jit.script(dropout).save(os.path.join(OUT, "dropout.pt"))

    unet = UNet().eval()
    xi = torch.randn(4, 1, 8, 8)
    ti = torch.rand(4) * (1 - 1e-5) + 1e-5
    save(unet, "unet.pt")
    write_safetensors(os.path.join(OUT, "unet.safetensors"), state_arrays(unet))
    with torch.no_grad():
        np.savez(os.path.join(OUT, "unet-io.npz"), x=xi.numpy(), t=ti.numpy(), out=unet(xi, ti).numpy())

    # the state_dict names and shapes of reference.py's benchmark networks (Mlp(), UNet())
    with open(os.path.join(OUT, "reference-names.txt"), "w") as f:
        for kind, module in (("mlp", Mlp(width=256)), ("unet", UNet(ch=32, mults=(1, 2, 2)))):
            for k, v in module.state_dict().items():
                f.write("%s %s %s\n" % (kind, k, ",".join(str(n) for n in v.shape)))

    save(NoTime(), "bad-arity.pt")
    save(FloatTime(), "bad-type.pt")
    save(WrongShape(), "bad-shape.pt")
    save(Pair(), "bad-tuple.pt")

    bf16 = torch.tensor([1.0, -2.5, 3.140625, 1e-3]).to(torch.bfloat16)
    bf16_bits = bf16.view(torch.int16).numpy().astype("<i2")
    arrays = {
        "f64": rng.standard_normal((2, 3)),
        "f32": rng.standard_normal((3, 2)).astype("<f4"),
        "f16": rng.standard_normal(5).astype("<f2"),
        "i64": np.array([-(2 ** 62), 0, 2 ** 62 + 1], dtype="<i8"),
        "i32": np.array([[-7, 8], [9, 2 ** 31 - 1]], dtype="<i4"),
        "i16": np.array([-32768, 32767], dtype="<i2"),
        "i8": np.array([-128, 0, 127], dtype="i1"),
        "u8": np.array([0, 1, 255], dtype="u1"),
        "bool": np.array([True, False, True]),
        "scalar": np.array(2.5, dtype="<f4"),
        "empty": np.zeros((0, 3), dtype="<f4"),
        "température.π": np.arange(4, dtype="<f4"),
    }
    st = dict(arrays)
    st["bf16"] = ("BF16", bf16_bits.tobytes(), [4])
    write_safetensors(os.path.join(OUT, "dtypes.safetensors"), st, {"format": "pt", "note": "every dtype"})
    # the same values in the dtypes the library's .npy reader knows (f16, i16 and bool widened exactly)
    npz = {k.replace("température.π", "nonascii"): v for k, v in arrays.items()}
    npz["f16"] = arrays["f16"].astype("<f4")
    npz["i16"] = arrays["i16"].astype("<i4")
    npz["bool"] = arrays["bool"].astype("u1")
    npz["bf16_bits"] = bf16_bits.astype("<i4")
    np.savez(os.path.join(OUT, "dtypes.npz"), **npz)


if __name__ == "__main__":
    main()
