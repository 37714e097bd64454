#!/usr/bin/env python3
"""What tiled encoding and decoding lose, and why: a study on the PyTorch reference.

Tiles here are the best a tiled run can be: each tile is computed with a halo of `--halo` pixels
around the part of the result it gives (so its convolutions see their true neighbours), and the
lowest-resolution part of the network (the mid block with its attention, the encoder's norm_out
and conv_out; the decoder's conv_in and mid block) runs on the whole image, where it is small.
What differs between the ways compared is only where each GroupNorm's statistics (mean and
variance of each group of channels) come from:

  exact statistics      the whole image's, recorded from the exact run: what an exact tiled run
                        would need
  each tile's own       what a tile sees when run alone (the engine's --tiled mode does this)
  image at 1/2, 1/4     the exact run of the image (the decoder: of its mid-block output)
                        resized by area, the statistics of each layer taken from it
  refined, pass k       statistics gathered over all tiles of the previous pass (the tiles' own
                        in pass 1), then used for every tile of this pass

For the encoder it prints z's RMS difference from the exact z relative to z's RMS; for the
decoder the PSNR (range 2, the model's [-1, 1]) of the tiled decoding of the exact z against the
exact decoding. Every figure is computed here, on the model given, in float32.

  /usr/bin/python3 tools/tiled_statistics_study.py --size 1024 --tile 512 --halo 64
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
sys.dont_write_bytecode = True
import medvae_reference as ref  # noqa: E402


class Statistics:
    """Where the GroupNorms of the current run take their statistics from, and what they record."""

    def __init__(self):
        self.use = None       # {layer: (mean, var)} per group, or None: the layer's own input
        self.record = None    # {layer: [sum, sum of squares, count]} over the recorded region
        self.region = None    # (y0, y1, x0, x1, height, width): the part a tile gives, in the
                              # units of the run's input (scaled to each layer's resolution)

    def gathered(self):
        out = {}
        for layer, (s, q, n) in self.record.items():
            mean = s / n
            out[layer] = (mean, q / n - mean * mean)
        return out


STATE = Statistics()


class SwitchableGroupNorm(nn.Module):
    def __init__(self, norm: nn.GroupNorm, layer: int):
        super().__init__()
        self.norm, self.layer = norm, layer

    def forward(self, x):
        g = self.norm.num_groups
        n, c, h, w = x.shape
        grouped = x.reshape(n, g, c // g, h, w).double()
        if STATE.record is not None:
            y0, y1, x0, x1, rh, rw = STATE.region
            part = grouped[:, :, :, y0 * h // rh:y1 * h // rh, x0 * w // rw:x1 * w // rw]
            acc = STATE.record.setdefault(self.layer, [0, 0, 0])
            acc[0] = acc[0] + part.sum(dim=(0, 2, 3, 4))
            acc[1] = acc[1] + (part * part).sum(dim=(0, 2, 3, 4))
            acc[2] += part[0, 0].numel()
        if STATE.use is None:
            return self.norm(x)
        mean, var = (t.view(1, g, 1, 1, 1) for t in STATE.use[self.layer])
        y = ((grouped - mean) / torch.sqrt(var + self.norm.eps)).reshape(n, c, h, w).float()
        return y * self.norm.weight.view(1, c, 1, 1) + self.norm.bias.view(1, c, 1, 1)


def switchable(model):
    layer = 0
    for part in (model.encoder, model.decoder):
        for module in list(part.modules()):
            for name, child in list(module.named_children()):
                if isinstance(child, nn.GroupNorm):
                    setattr(module, name, SwitchableGroupNorm(child, layer))
                    layer += 1


class _Reached(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


class _Stop(nn.Module):
    def forward(self, x):
        raise _Reached(x)


def down_path(encoder, x):
    """The encoder up to its mid block (the part tiles run): its own forward, stopped there."""
    mid, encoder.mid = encoder.mid, _Stop()
    try:
        encoder(x)
    except _Reached as reached:
        return reached.value
    finally:
        encoder.mid = mid
    raise RuntimeError("the encoder has no mid block")


def up_path(decoder, h):
    """The decoder after its mid block (the part tiles run): its own forward from there."""
    conv_in, mid = decoder.conv_in, decoder.mid
    decoder.conv_in, decoder.mid = nn.Identity(), nn.Identity()
    try:
        return decoder(h)
    finally:
        decoder.conv_in, decoder.mid = conv_in, mid


def encoder_rest(model, h):
    """z from the encoder's down path's output: the mid block and the rest, on the whole image."""
    enc = model.encoder
    moments = model.quant_conv(enc.conv_out(ref.silu(enc.norm_out(enc.mid(h)))))
    return moments[:, :moments.shape[1] // 2]


def spans(length, tile, halo, unit):
    """(start, end) of the part each tile gives and of its input: parts of at most `tile`,
    multiples of `unit`, covering [0, length); inputs reach `halo` further on each side."""
    count = math.ceil(length / tile)
    out = []
    for i in range(count):
        a = (length * i // count) // unit * unit
        b = length if i == count - 1 else (length * (i + 1) // count) // unit * unit
        out.append((a, b, max(0, a - halo), min(length, b + halo)))
    return out


def run_tiled(fn, x, tile, halo, unit, scale, use, record):
    """fn over tiles of x ([1, C, L, L]); the tiles' parts of the result put together."""
    STATE.use, STATE.record = use, ({} if record else None)
    length = x.shape[2]
    out = None
    for (ya, yb, yi, yj) in spans(length, tile, halo, unit):
        for (xa, xb, xi, xj) in spans(length, tile, halo, unit):
            STATE.region = (ya - yi, yb - yi, xa - xi, xb - xi, yj - yi, xj - xi)
            r = fn(x[:, :, yi:yj, xi:xj])
            if out is None:
                out = torch.zeros(1, r.shape[1], int(length * scale), int(length * scale))
            s = lambda v: int(v * scale)  # noqa: E731
            out[:, :, s(ya):s(yb), s(xa):s(xb)] = r[:, :, s(ya - yi):s(yb - yi), s(xa - xi):s(xb - xi)]
    gathered = STATE.gathered() if record else None
    STATE.use, STATE.record = None, None
    return out, gathered


def recorded(fn, x):
    """Statistics of every GroupNorm of fn over the whole of x (one exact run)."""
    STATE.use, STATE.record = None, {}
    STATE.region = (0, x.shape[2], 0, x.shape[3], x.shape[2], x.shape[3])
    fn(x)
    gathered = STATE.gathered()
    STATE.record = None
    return gathered


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=os.path.join(ROOT, "resources/models/medvae-demo-8x4.ckpt"))
    p.add_argument("--image", default=os.path.join(ROOT, "resources/samples/colin27_projection_frontal.png"))
    p.add_argument("--size", type=int, default=1024, help="the image resized (bicubic) to size x size")
    p.add_argument("--tile", type=int, default=512)
    p.add_argument("--halo", type=int, default=64)
    p.add_argument("--passes", type=int, default=2, help="refinement passes")
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)

    obj = torch.load(a.model, map_location="cpu")
    sd = obj["state_dict"] if "state_dict" in obj else obj
    sd = {k: v for k, v in sd.items() if torch.is_tensor(v)}
    cfg = ref.infer_config(sd)
    model = ref.build_model(cfg, seed=0, init=False)
    model.load_state_dict(sd, strict=True)
    model.eval()
    switchable(model)
    f = cfg.factor

    pixels = np.asarray(Image.open(a.image).convert("F"), dtype=np.float32)
    pixels = np.asarray(Image.fromarray(pixels).resize((a.size, a.size), Image.BICUBIC), np.float64)
    pixels = (pixels - pixels.min()) / max(pixels.max() - pixels.min(), 1e-12) * 2 - 1
    x = torch.from_numpy(pixels.astype(np.float32))[None, None].repeat(1, cfg.in_channels, 1, 1)

    enc = lambda t: down_path(model.encoder, t)  # noqa: E731
    dec = lambda t: up_path(model.decoder, t)  # noqa: E731
    with torch.inference_mode():
        start = time.time()
        down = enc(x)
        z = encoder_rest(model, down)
        mid = model.decoder.mid(model.decoder.conv_in(model.post_quant_conv(z)))
        decoded = dec(mid)
        exact_enc, exact_dec = recorded(enc, x), recorded(dec, mid)
        print(f"{os.path.basename(a.model)}: {cfg.ch} channels x {cfg.ch_mult}, factor {f}; "
              f"{a.size}x{a.size} image, tiles of {a.tile} px with a {a.halo} px halo; "
              f"exact run {time.time() - start:.1f} s")

        def row(what, enc_stats, dec_stats, record=False):
            d, ge = run_tiled(enc, x, a.tile, a.halo, f, 1 / f, enc_stats, record)
            zt = encoder_rest(model, d)
            r, gd = run_tiled(dec, mid, a.tile // f, a.halo // f, 1, f, dec_stats, record)
            rel = float((zt - z).pow(2).mean().sqrt() / z.pow(2).mean().sqrt())
            mse = float((r - decoded).pow(2).mean())
            psnr = 10 * math.log10(4 / mse) if mse > 0 else math.inf
            print(f"  {what:<28} encoder: z off by {rel:9.2e}   decoder: {psnr:6.1f} dB", flush=True)
            return ge, gd

        print("GroupNorm statistics from:")
        row("the whole image (exact)", exact_enc, exact_dec)
        ge, gd = row("each tile's own", None, None, record=True)
        for k in range(1, a.passes + 1):
            ge, gd = row(f"refined, pass {k}", ge, gd, record=True)
        for shrink in (2, 4):
            small = F.interpolate(x, scale_factor=1 / shrink, mode="area")
            small_mid = F.interpolate(mid, scale_factor=1 / shrink, mode="area")
            row(f"the image at 1/{shrink}", recorded(enc, small), recorded(dec, small_mid))


if __name__ == "__main__":
    main()
