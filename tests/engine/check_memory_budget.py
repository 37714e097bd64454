#!/usr/bin/python3
"""The engine's memory budget (--max-memory-gb) against the measured peak of a real run.

Usage: check_memory_budget.py MEDVAE_BENCH

Full-size medvae_8_4_2d network (random weights), float32, encode+decode at 768x768: first a
budget no band size can meet (refused at once, with what the smallest bands need), then a budget
10 % above that need, under what the default bands need. The run must fit it: the engine's own
peak (medvae-bench's peak RSS minus the RSS before the runs, plus the weights, which that RSS
holds) at most the budget.
"""

import json
import re
import subprocess
import sys

bench = sys.argv[1]
base = [bench, "--size", "768", "--runs", "1", "--warmup", "0", "--threads", "2",
        "--precision", "fp32", "--json", "--no-compare"]

refused = subprocess.run(base + ["--max-memory-gb", "0.2"], capture_output=True, text=True)
print(refused.stderr.strip())
m = re.search(r"needs about ([0-9.]+) (GB|MB) at the smallest bands", refused.stderr)
if refused.returncode != 1 or not m or "the memory budget is 200 MB" not in refused.stderr:
    print("FAIL: a 0.2 GB budget was not refused with what the image needs")
    sys.exit(1)
smallest_gb = float(m.group(1)) / (1 if m.group(2) == "GB" else 1000)
budget_gb = round(smallest_gb * 1.1, 3)

d = json.loads(subprocess.run(base + ["--max-memory-gb", str(budget_gb)], check=True,
                              capture_output=True, text=True).stdout)
if not d["peak_is_inference"]:
    print("SKIP: this kernel cannot restart the peak-RSS count (/proc/self/clear_refs)")
    sys.exit(77)
weights_mb = d["parameters"] * 4 / 2 ** 20
engine_mb = d["peak_rss_mb"] - d["rss_before_runs_mb"] + weights_mb
budget_mb = budget_gb * 1e9 / 2 ** 20
print("budget %.0fM (smallest bands need %.0fM, default bands %.0fM); measured %.0fM, "
      "estimate %.0fM" % (budget_mb, smallest_gb * 1e9 / 2 ** 20,
                          d["estimated_peak_unbudgeted_mb"], engine_mb, d["estimated_peak_mb"]))
failures = 0
if d["estimated_peak_unbudgeted_mb"] <= budget_mb:
    print("FAIL: the budget does not matter here (the default bands fit it)")
    failures += 1
if engine_mb > budget_mb:
    print("FAIL: the run took %.0fM, over the %.0fM budget" % (engine_mb, budget_mb))
    failures += 1
sys.exit(1 if failures else 0)
