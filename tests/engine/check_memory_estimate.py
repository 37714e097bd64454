#!/usr/bin/python3
"""The engine's memory estimate against the measured peak of real runs (medvae-bench).

Usage: check_memory_estimate.py MEDVAE_BENCH

Callers refuse images whose estimated peak memory exceeds the budget (memory_budget.h), so the
estimate must not fall below what the engine really takes, and must not be so far above it that
images which fit are refused. medvae-bench hands the memory freed while loading back to the system
and restarts the peak count before its runs, so its peak minus the resident memory before the runs
is the inference's own peak; the estimate's activation part (total minus weights) is compared with
that. Full-size medvae_8_4_2d network (random weights), float32 and bfloat16, encode only and
encode+decode.
"""

import json
import subprocess
import sys

bench = sys.argv[1]
failures = 0
print("%-5s %-5s %-13s %10s %10s %7s" % ("prec", "size", "run", "measured", "estimate", "ratio"))
for precision, size, encode_only in (("fp32", 512, False), ("fp32", 640, True),
                                     ("bf16", 512, False)):
    args = [bench, "--size", str(size), "--runs", "1", "--warmup", "0", "--threads", "2",
            "--precision", precision, "--json", "--no-compare"]
    if encode_only:
        args.append("--encode-only")
    d = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    if not d["peak_is_inference"]:
        print("SKIP: this kernel cannot restart the peak-RSS count (/proc/self/clear_refs)")
        sys.exit(77)
    measured = d["peak_rss_mb"] - d["rss_before_runs_mb"]  # MiB
    weights = d["parameters"] * (4 if precision == "fp32" else 2) / 2 ** 20
    estimate = d["estimated_peak_mb"] - weights
    ratio = estimate / measured
    print("%-5s %-5d %-13s %9.0fM %9.0fM %7.2f" % (precision, size,
          "encode" if encode_only else "encode+decode", measured, estimate, ratio))
    # Never below what a run takes; at most 1.5x (so images that fit are not refused).
    if not 1.0 <= ratio <= 1.5:
        print("FAIL: estimate/measured %.2f is outside [1.0, 1.5]" % ratio)
        failures += 1
sys.exit(1 if failures else 0)
