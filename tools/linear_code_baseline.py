#!/usr/bin/env python3
"""How well a linear code keeping as many values as the model's latent reconstructs the held-out
images: a yardstick for the demo models' `medvae-train evaluate` figures.

The 8x demo model keeps 4 latent values for every 8x8 pixels of a grey image (the 4x one: 3 for
every 4x4, `--block 4 --values 3`). The best linear code of the same size is the principal
component analysis of such blocks: each block is kept as its coefficients on the first principal
components of the training images' blocks (and the mean block), and rebuilt from them. This
fits those components on the training images of a folder `medvae-train dataset -o DIR` wrote
(every `--stride`-th block), then reconstructs each held-out image as evaluate compares it: the
min-max normalised image, its top-left B*floor(side/B) pixels for blocks of B x B, the
reconstruction clamped to [0, 1], PSNR with data range 1, the mean of the images' PSNR by
modality, and whole images apart from crops.

  ./build/bin/medvae-train dataset -o /tmp/dataset
  /usr/bin/python3 tools/linear_code_baseline.py /tmp/dataset
  /usr/bin/python3 tools/linear_code_baseline.py /tmp/dataset --block 4 --values 3
"""

from __future__ import annotations

import argparse
import collections
import glob
import os
import sys

import numpy as np
from PIL import Image


def load(path: str) -> np.ndarray:
    a = np.asarray(Image.open(path)).astype(np.float64)
    span = a.max() - a.min()
    return (a - a.min()) / span if span > 0 else np.zeros_like(a)


def blocks(image: np.ndarray, side: int) -> np.ndarray:
    """The image's blocks of side x side (rows of side**2), over its top-left
    side*floor(height/side) x side*floor(width/side) pixels."""
    h, w = (image.shape[0] // side) * side, (image.shape[1] // side) * side
    a = image[:h, :w].reshape(h // side, side, w // side, side)
    return a.transpose(0, 2, 1, 3).reshape(-1, side * side)


def psnr(original: np.ndarray, reconstruction: np.ndarray) -> float:
    mse = float(np.mean((original - reconstruction) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(1 / mse)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", help="folder written by `medvae-train dataset -o DIR`")
    parser.add_argument("--block", type=int, default=8, help="block side: the model's factor (8)")
    parser.add_argument("--values", type=int, default=4, help="values kept per block (4)")
    parser.add_argument("--stride", type=int, default=7, help="fit on every n-th training block")
    args = parser.parse_args()

    training = sorted(glob.glob(os.path.join(args.dataset, "training_*.png")))
    held_out = sorted(glob.glob(os.path.join(args.dataset, "held-out_*.png")))
    if not training or not held_out:
        print(f"{args.dataset}: no training_*.png or held-out_*.png images", file=sys.stderr)
        return 2
    fit = np.concatenate([blocks(load(p), args.block)[:: args.stride] for p in training])
    mean = fit.mean(axis=0)
    _, _, components = np.linalg.svd(fit - mean, full_matrices=False)
    # Kept with every component, the code is the identity: a check of the block bookkeeping.
    whole = blocks(load(held_out[0]), args.block)
    assert np.allclose((whole - mean) @ components.T @ components + mean, whole, atol=1e-9)
    basis = components[: args.values]

    results: dict[str, list[float]] = collections.defaultdict(list)
    for path in held_out:
        b = blocks(load(path), args.block)
        reconstruction = np.clip((b - mean) @ basis.T @ basis + mean, 0, 1)
        value = psnr(b, reconstruction)
        modality = os.path.basename(path)[len("held-out_") :].split("_")[0]
        kind = "crops" if "_crop_" in path else "whole images"
        for key in ("all", modality, kind, f"{modality}, {kind}"):
            results[key].append(value)
    print(
        f"linear code: {args.values} values per {args.block}x{args.block} block "
        f"(PCA of {len(fit)} blocks of {len(training)} training images); "
        f"{len(held_out)} held-out images, mean PSNR:"
    )
    for key in sorted(results, key=lambda k: (k != "all", k)):
        values = results[key]
        print(f"  {key:28s} {len(values):4d} images  {np.mean(values):6.2f} dB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
