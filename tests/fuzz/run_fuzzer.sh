#!/bin/sh
# Builds the checkpoint reader fuzzer with clang's libFuzzer (plus AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs it for a bounded time.
# Usage: run_fuzzer.sh CLANGXX SOURCE_DIR WORK_DIR FIXTURE_DIR SECONDS
set -eu
cxx=$1 src=$2 work=$3 fixtures=$4 seconds=$5
mkdir -p "$work/corpus" "$work/artifacts"
engine="$src/core/engine"
"$cxx" -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$engine" "$src/tests/fuzz/checkpoint_reader_fuzzer.cpp" \
    "$engine/byte_source.cpp" "$engine/checkpoint_reader.cpp" "$engine/json_value.cpp" \
    "$engine/raw_tensor.cpp" "$engine/restricted_unpickler.cpp" "$engine/zip_archive.cpp" \
    -o "$work/checkpoint_reader_fuzzer"
/usr/bin/python3 "$src/tests/fuzz/make_seeds.py" "$work/seeds"
# The generator's small bad files are good seeds too.
for f in bad_pickle.ckpt bad_safetensors_json.safetensors; do
    [ -f "$fixtures/$f" ] && { printf '\000'; cat "$fixtures/$f"; } > "$work/seeds/fixture_$f"
done
exec "$work/checkpoint_reader_fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$work/seeds"
