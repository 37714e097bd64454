#!/bin/bash
# The engine on a GPU machine that has LibTorch (inside a PyTorch install), CMake and Ninja and
# nothing else (no Qt, OpenCV or DCMTK, no network), in one run of a few minutes:
#
#   1. builds the engine-only configuration against that PyTorch's LibTorch (CUDA when it has it),
#   2. runs the `engine` tests; tst_engine_cuda checks the CUDA outputs against the CPU's
#      (float32 within 1e-4 relative, bfloat16 and float16 within their rounding),
#   3. times medvae-bench and the PyTorch reference (tests/fixtures/reference_bench.py) on the GPU
#      at 384² and 1024², batch 1 and N, and encodes a 3328x4096 (mammogram-sized) image,
#   4. writes OUT/report.md (with the raw JSON and logs beside it).
#
#   tools/gpu-check.sh [OUT]          OUT: $OUT, else build-gpu-check-out (ignored by git)
#
# Environment: MEDVAE_PYTHON (default python3: the one with torch and numpy), MEDVAE_TORCH_PREFIX
# (a LibTorch other than that PyTorch's), MEDVAE_BUILD_DIR (default build-gpu-check), CUDA_HOME.
# Without a CUDA device the GPU parts are reported as SKIPPED and the CPU parts still run.
# Exit status: 0 when every test passed (or skipped), 1 otherwise.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${OUT:-$root/build-gpu-check-out}}
python=${MEDVAE_PYTHON:-python3}
build=${MEDVAE_BUILD_DIR:-$root/build-gpu-check}
jobs=$(nproc)
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
log=$out/gpu-check.log
: > "$log"
status=0
started=$(date +%s)

say() { echo "gpu-check: $*" | tee -a "$log"; }
elapsed() { echo $(($(date +%s) - started)); }
# step SECONDS NAME COMMAND...: runs with a time limit, output appended to the log.
step() {
    local limit=$1 name=$2
    shift 2
    say "[$(elapsed) s] $name"
    timeout --kill-after=10 "$limit" "$@" >> "$log" 2>&1
    local rc=$?
    [ $rc -eq 124 ] && say "$name: stopped after $limit s"
    return $rc
}

# ---- the machine -----------------------------------------------------------------------------
pyabs=$(command -v "$python") || { say "no $python: set MEDVAE_PYTHON"; exit 1; }
"$pyabs" - > "$out/environment.json" 2>> "$log" <<'EOF' || { say "$pyabs lacks torch or numpy"; exit 1; }
import importlib.util, json, os, platform, torch, numpy
gpus = []
if torch.cuda.is_available():
    for i in range(torch.cuda.device_count()):
        p = torch.cuda.get_device_properties(i)
        gpus.append({"name": p.name, "capability": "%d.%d" % (p.major, p.minor),
                     "memory_gib": round(p.total_memory / 2**30, 1)})
try:
    cudnn = importlib.util.find_spec("nvidia.cudnn")
except ModuleNotFoundError:  # no nvidia packages at all
    cudnn = None
# The LibTorch inside this PyTorch; "" when it has no CMake files (Debian's python3-torch: the
# system's libtorch-dev is found instead).
torch_dir = os.path.dirname(torch.__file__)
if not os.path.isdir(os.path.join(torch_dir, "share", "cmake", "Torch")):
    torch_dir = ""
print(json.dumps({
    "torch": torch.__version__, "torch_cuda": torch.version.cuda, "numpy": numpy.__version__,
    "python": platform.python_version(), "cmake_prefix": torch.utils.cmake_prefix_path,
    "torch_dir": torch_dir, "gpus": gpus,
    "pip_cudnn": list(cudnn.submodule_search_locations)[0] if cudnn else "",
    "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count()}))
EOF
env_get() { "$pyabs" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]] or '')" "$out/environment.json" "$1"; }
torch_dir=${MEDVAE_TORCH_PREFIX:-$(env_get torch_dir)}
torch_cuda=$(env_get torch_cuda)
gpu_count=$("$pyabs" -c "import json,sys; print(len(json.load(open(sys.argv[1]))['gpus']))" "$out/environment.json")
arch=$("$pyabs" -c "import json,sys; g=json.load(open(sys.argv[1]))['gpus']; print(g[0]['capability'] if g else '9.0')" "$out/environment.json")
say "torch $(env_get torch) (CUDA ${torch_cuda:-none}), $gpu_count CUDA device(s), LibTorch in ${torch_dir:-the system}"
command -v nvidia-smi > /dev/null && nvidia-smi >> "$log" 2>&1

cmake_args=(-S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEDVAE_ENGINE_ONLY=ON
            -DMEDVAE_BUILD_TESTS=ON "-DMEDVAE_FIXTURE_PYTHON=$pyabs")
[ -n "$torch_dir" ] && cmake_args+=("-DCMAKE_PREFIX_PATH=$torch_dir")
nvcc=${CUDA_HOME:-/usr/local/cuda}/bin/nvcc
[ -x "$nvcc" ] || nvcc=$(command -v nvcc || true)
if [ -n "$torch_cuda" ] && [ -n "$nvcc" ]; then
    cmake_args+=(-DMEDVAE_CUDA=ON "-DCMAKE_CUDA_COMPILER=$nvcc" "-DTORCH_CUDA_ARCH_LIST=$arch")
    # A pip PyTorch brings cuDNN as a Python package, not in the toolkit's folders.
    cudnn=$(env_get pip_cudnn)
    [ -n "$cudnn" ] && cmake_args+=("-DCUDNN_ROOT=$cudnn" "-DCUDNN_INCLUDE_PATH=$cudnn/include"
                                    "-DCUDNN_LIBRARY_PATH=$cudnn/lib")
elif [ -n "$torch_cuda" ]; then
    say "this PyTorch has CUDA but no nvcc was found (CUDA_HOME): building without CUDA"
fi

# ---- build -----------------------------------------------------------------------------------
build_start=$(date +%s)
if ! step 120 "configure (engine only)" cmake "${cmake_args[@]}" ||
   ! step 420 "build with $jobs jobs" cmake --build "$build" -j "$jobs"; then
    say "the build failed: see $log"
    echo "# gpu-check: the build failed (see gpu-check.log)" > "$out/report.md"
    exit 1
fi
build_s=$(($(date +%s) - build_start))
bench=$build/bin/medvae-bench

# ---- tests -----------------------------------------------------------------------------------
step 360 "engine tests (ctest -L engine -LE heavy)" \
    ctest --test-dir "$build" -L engine -LE heavy --output-on-failure --timeout 300 \
          --output-junit "$out/ctest.xml" || status=1
step 120 "tst_engine_cuda (CUDA against CPU)" \
    sh -c '"$1" > "$2" 2>&1; rc=$?; [ $rc -eq 0 ] || [ $rc -eq 77 ]' _ \
    "$build/tests/bin/tst_engine_cuda" "$out/tst_engine_cuda.txt" || status=1

# ---- benchmarks ------------------------------------------------------------------------------
: > "$out/bench.jsonl"
: > "$out/reference.jsonl"
# The whole run stays within 8 minutes: benchmarks that would start after 7 are left out (said).
budget=420
over_budget() {
    [ "$(elapsed)" -lt $budget ] && return 1
    say "left out (past $budget s): $*"
    return 0
}
# bench LIMIT ARGS...: one medvae-bench run, its JSON line appended (a failure is logged).
bench() {
    local limit=$1
    shift
    over_budget "medvae-bench $*" && return
    say "[$(elapsed) s] medvae-bench $*"
    timeout --kill-after=10 "$limit" "$bench" --json "$@" >> "$out/bench.jsonl" 2>> "$log" ||
        { say "medvae-bench $* failed"; status=1; }
}
reference() {
    over_budget "reference_bench.py $*" && return
    say "[$(elapsed) s] reference_bench.py $*"
    timeout --kill-after=10 180 "$pyabs" "$root/tests/fixtures/reference_bench.py" --encode-only "$@" \
        >> "$out/reference.jsonl" 2>> "$log" || { say "reference_bench.py $* failed"; status=1; }
}
if [ "$gpu_count" -gt 0 ]; then
    for spec in "384 8" "1024 4"; do
        set -- $spec
        bench 120 --device cuda --size "$1" --batch 1 --runs 5 --warmup 2 --encode-only
        bench 120 --device cuda --size "$1" --batch "$2" --runs 5 --warmup 2
        bench 120 --device cuda --size "$1" --batch "$2" --runs 5 --warmup 2 --precision fp16
        reference --device cuda --size "$1" --batch 1 --runs 5 --warmup 2 --threads "$jobs"
        reference --device cuda --size "$1" --batch "$2" --runs 5 --warmup 2 --threads "$jobs"
    done
    bench 120 --device cuda --size 1024 --batch 4 --runs 5 --warmup 2 --precision bf16
    bench 120 --device cuda --size 1024 --batch 1 --runs 5 --warmup 2 --attention chunked --encode-only
    bench 180 --device cuda --size 3328x4096 --runs 2 --warmup 1
    bench 180 --device cuda --size 3328x4096 --runs 2 --warmup 1 --precision fp16
else
    say "GPU benchmarks SKIPPED: no CUDA device is visible"
    # The CPU part: one small run each, so the tools are known to work here.
    bench 300 --device cpu --size 128 --runs 1 --warmup 0 --encode-only
    reference --device cpu --size 128 --runs 1 --threads "$jobs"
fi

# ---- report ----------------------------------------------------------------------------------
"$pyabs" - "$out" "$build_s" "$(elapsed)" "$status" > "$out/report.md" 2>> "$log" <<'EOF'
import json, os, sys, xml.etree.ElementTree as ET
out, build_s, total_s, status = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
env = json.load(open(os.path.join(out, "environment.json")))
lines = lambda f: [json.loads(l) for l in open(os.path.join(out, f)) if l.strip()]
print("# gpu-check report\n")
print("- result: %s" % ("PASS" if status == "0" else "FAIL (see gpu-check.log)"))
print("- torch %s (CUDA %s), Python %s, %d cores; GPUs: %s" % (
    env["torch"], env["torch_cuda"], env["python"], env["cores"],
    ", ".join("%s (sm %s, %s GiB)" % (g["name"], g["capability"], g["memory_gib"])
              for g in env["gpus"]) or "none (GPU parts SKIPPED)"))
print("- build (engine only): %s s; whole run: %s s\n" % (build_s, total_s))
print("## Tests\n")
try:
    for case in ET.parse(os.path.join(out, "ctest.xml")).getroot().iter("testcase"):
        outcome = case.get("status", "run")
        if case.find("failure") is not None:
            outcome = "FAILED"
        elif case.find("skipped") is not None or outcome == "notrun":
            outcome = "SKIPPED"
        print("- %s: %s (%.1f s)" % (case.get("name"), outcome, float(case.get("time", 0))))
except (OSError, ET.ParseError) as e:
    print("- no CTest results: %s" % e)
print("\n## medvae-bench\n")
print("| device | size | batch | precision | attention | encode s | round trip s | images/s | peak device MB | rel. err vs fp32 |")
print("|---|---|---|---|---|---|---|---|---|---|")
for d in lines("bench.jsonl"):
    print("| %s | %sx%s | %d | %s | %s | %.4f | %s | %.2f | %.0f | %s |" % (
        d["device"], d["size"], d.get("height", d["size"]), d["batch"], d["precision"], d["attention"],
        d["encode_s"], "%.4f" % d["roundtrip_s"] if d["roundtrip_s"] else "-", d["images_per_s"],
        d["peak_device_mb"], "%.3g" % d["rel_error_latent_vs_fp32"] if d["rel_error_latent_vs_fp32"] >= 0 else "-"))
print("\n## PyTorch reference (eager float32, encode only)\n")
print("| device | size | batch | encode s | images/s | peak GPU MB |")
print("|---|---|---|---|---|---|")
for d in lines("reference.jsonl"):
    print("| %s | %s | %d | %.4f | %.2f | %s |" % (
        d["device"], "x".join(map(str, d["input_shape"][1:])), d["batch"], d["encode_s_median"],
        d["images_per_s"], d["peak_gpu_mb"] if d["peak_gpu_mb"] is not None else "-"))
EOF
say "[$(elapsed) s] report: $out/report.md ($([ $status -eq 0 ] && echo PASS || echo FAIL))"
exit $status
