#!/usr/bin/python3
"""medvae-bench smoke test: it runs in every configuration the engine builds in and reports what
it measured, consistently.

Usage: check_bench.py MEDVAE_BENCH

A 64x64 image, batch 1 and 2, both attention kernels (the fused one where LibTorch has it): the
JSON must hold the setting asked for, positive timings, images/s equal to batch / median encode
time, the latent shape of the medvae_8_4_2d network (4 x 8 x 8), and bfloat16's error against
float32 must be small but not zero. Bad options end with exit code 2 and a message.
"""

import json
import subprocess
import sys

bench = sys.argv[1]
failures = 0


def check(ok, what):
    global failures
    print(("PASS   : " if ok else "FAIL!  : ") + what)
    if not ok:
        failures += 1


def run(*args):
    size = [] if "--size" in args else ["--size", "64"]
    p = subprocess.run([bench, *size, "--runs", "1", "--warmup", "0", "--threads", "2",
                        "--json", *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None, p.stderr.strip()
    return json.loads(p.stdout), ""


for args in (["--batch", "1"], ["--batch", "2"], ["--batch", "2", "--attention", "chunked"]):
    d, err = run(*args)
    check(d is not None, "medvae-bench %s ran %s" % (" ".join(args), err))
    if d is None:
        continue
    batch = int(args[1])
    check(d["batch"] == batch and d["device"] == "cpu" and d["precision"] == "fp32",
          "setting reported: %s" % {k: d[k] for k in ("batch", "device", "precision", "attention")})
    check(d["encode_s"] > 0 and d["roundtrip_s"] > d["encode_s"] * 0.5,
          "timings positive: encode %.3f s, round trip %.3f s" % (d["encode_s"], d["roundtrip_s"]))
    check(abs(d["images_per_s"] - batch / d["encode_s"]) <= 1e-3 * d["images_per_s"] + 1e-3,
          "images/s %.4f = batch / encode time" % d["images_per_s"])
    check(d["latent_shape"] == [4, 8, 8], "latent shape %s" % d["latent_shape"])
    if "chunked" in args:
        check(d["attention"] == "chunked", "chunked attention used")

# Not square (a mammogram is 4096x3328): width x height, the latent 1/8 of each.
d, err = run("--size", "64x48")
check(d is not None and d["size"] == 64 and d["height"] == 48 and d["latent_shape"] == [4, 6, 8],
      "64x48 image: %s %s" % (d and (d["size"], d["height"], d["latent_shape"]), err))

d, err = run("--precision", "bf16")
check(d is not None and 0 < d["rel_error_latent_vs_fp32"] < 0.05,
      "bf16 latent vs fp32: %s %s" % (d and d["rel_error_latent_vs_fp32"], err))
# --peak: the machine's best convolution throughput, and the run's share of it.
d, err = run("--peak", "--encode-only")
check(d is not None and d["peak_conv_gflops_per_s"] > 0 and
      abs(d["encode_fraction_of_peak"] - d["encode_gflops_per_s"] / d["peak_conv_gflops_per_s"])
      <= 2e-3,
      "peak %s GFLOP/s, encode at %s of it %s" % (d and d["peak_conv_gflops_per_s"],
                                                 d and d["encode_fraction_of_peak"], err))

# --cancel-probe: the engine is asked whether to stop between blocks and bands; the longest wait
# is positive and no longer than the runs, between two points of progress; without the probe nothing is reported.
d, err = run("--cancel-probe")
check(d is not None and d["cancel_checks"] > 0 and d["progress_reports"] > 0 and
      0 < d["longest_cancel_check_gap_s"] <= d["encode_s"] + d["roundtrip_s"] and
      0 < d["longest_progress_gap_s"] <= d["encode_s"] + d["roundtrip_s"] and
      0 <= d["longest_cancel_check_gap_progress"][0] <= d["longest_cancel_check_gap_progress"][1]
      <= 1,
      "cancel probe: %s checks, longest gap %s s at %s %s" % (
          d and d["cancel_checks"], d and d["longest_cancel_check_gap_s"],
          d and d["longest_cancel_check_gap_progress"], err))
d, err = run()
check(d is not None and d["cancel_checks"] == 0 and d["longest_cancel_check_gap_s"] < 0,
      "no probe, no figures: %s" % (d and d["longest_cancel_check_gap_s"]))
# --roundtrip-only: the encode time is the encode part of the round trip, shorter than it.
d, err = run("--roundtrip-only")
check(d is not None and 0 < d["encode_s"] < d["roundtrip_s"],
      "round trip only: encode part %s s of %s s %s" % (d and d["encode_s"],
                                                        d and d["roundtrip_s"], err))

# --tiled: a 160x96 image in 64 px tiles (16 px overlap) is 3 x 2 tiles; the result says it is
# tiled and the reconstruction is compared with the exact float32 run.
d, err = run("--size", "160x96", "--tile-size", "64", "--tile-overlap", "16")
check(d is not None and d["tile_size"] == 64 and d["tile_overlap"] == 16 and
      d["note"].startswith("tiled: 6 tiles of 64 px (16 px overlap)") and
      0 < d["psnr_decoded_vs_exact_fp32_db"] < 200 and d["latent_shape"] == [4, 12, 20],
      "tiled run: %s %s" % (d and (d["note"], d["psnr_decoded_vs_exact_fp32_db"]), err))
for bad in (["--tile-size", "60"], ["--tile-size", "64", "--tile-overlap", "40"]):
    p = subprocess.run([bench, "--size", "128", "--runs", "1", "--warmup", "0", *bad],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 1 and "tile" in p.stderr,
          "%s refused: %s" % (" ".join(bad), p.stderr.strip()))

for bad in (["--precision", "fp8"], ["--device", "cuda:x"], ["--batch", "0"], ["--size", "64x"],
            ["--size", "x64"], ["--size", "4"], ["--roundtrip-only", "--encode-only"]):
    p = subprocess.run([bench, *bad], capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "medvae-bench:" in p.stderr,
          "%s refused: %s" % (" ".join(bad), p.stderr.splitlines()[0] if p.stderr else ""))
print("%d failed checks" % failures)
sys.exit(1 if failures else 0)
