"""Independent reference for the Latent lab's latent maths (numpy; torch only for the seeded noise,
whose generator the engine shares with torch).

  latent_reference.py blend A.npy B.npy T linear|slerp OUT.npy
  latent_reference.py edit Z.npy RECIPE.json OUT.npy      (the recipe's edits, in order)
"""
import json
import sys

import numpy as np


def blend(a, b, t, mode):
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    if t == 0:
        return a.astype(np.float32)
    if t == 1:
        return b.astype(np.float32)
    wa, wb = 1 - t, t
    if mode == "slerp":
        na, nb = np.linalg.norm(a64), np.linalg.norm(b64)
        omega = np.arccos(np.clip(np.sum(a64 * b64) / (na * nb), -1, 1))
        if np.sin(omega) > 1e-7:
            wa = np.sin((1 - t) * omega) / np.sin(omega)
            wb = np.sin(t * omega) / np.sin(omega)
    return (wa * a64 + wb * b64).astype(np.float32)


def edit(z, edits):
    z = z.astype(np.float32).copy()
    for e in edits:
        c = e["channel"]
        if e["op"] == "scale":
            z[c] = z[c] * np.float32(e["value"])
        elif e["op"] == "offset":
            z[c] = z[c] + np.float32(e["value"])
        elif e["op"] == "zero":
            z[c] = 0
        elif e["op"] == "swap":
            o = e["with"]
            z[[c, o]] = z[[o, c]]
        elif e["op"] == "noise":
            import torch
            g = torch.Generator().manual_seed(e["seed"])
            noise = torch.randn(z[c].shape, generator=g, dtype=torch.float32).numpy()
            z[c] = z[c] + noise * np.float32(e["value"])
        else:
            raise SystemExit("unknown op " + e["op"])
    return z


def main():
    if sys.argv[1] == "blend":
        a, b = np.load(sys.argv[2]), np.load(sys.argv[3])
        np.save(sys.argv[6], blend(a, b, float(sys.argv[4]), sys.argv[5]))
    elif sys.argv[1] == "edit":
        with open(sys.argv[3]) as f:
            recipe = json.load(f)
        np.save(sys.argv[4], edit(np.load(sys.argv[2]), recipe["edits"]))
    else:
        raise SystemExit(__doc__)


main()
