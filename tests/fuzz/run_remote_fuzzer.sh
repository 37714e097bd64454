#!/bin/sh
# Builds one of the libFuzzer targets of the remote-endpoint parsers with clang (plus
# AddressSanitizer and UndefinedBehaviorSanitizer), against the system's Qt 6 (pkg-config) and,
# for the contract, LibTorch and OpenCV, and runs it for a bounded time on a seed corpus.
# Usage: run_remote_fuzzer.sh TARGET CLANGXX SOURCE_DIR WORK_DIR SECONDS SEED_FILE...
#   TARGET: http_request_parser | scoring_contract | multipart_reader
# A seed file's first byte is the fuzzer's selector byte(s) already (see tests/fuzz/seeds/).
set -eu
target=$1 cxx=$2 src=$3 work=$4 seconds=$5
shift 5
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
# Qt is built position-independent: the targets must be too.
qt="$(pkg-config --cflags Qt6Core Qt6Network) -fPIC -DQT_NO_KEYWORDS"  # LibTorch uses "slots"
qtlibs=$(pkg-config --libs Qt6Network Qt6Core)
flags="-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
case "$target" in
    http_request_parser)
        # shellcheck disable=SC2086
        "$cxx" $flags $qt -I"$src/core/serve" "$src/tests/fuzz/http_request_parser_fuzzer.cpp" \
            "$src/core/serve/http_request_parser.cpp" -o "$work/fuzzer" $qtlibs
        ;;
    scoring_contract)
        # LibTorch's own code is not instrumented; the contract code and the target are.
        torch="-I/usr/include/torch/csrc/api/include -D_GLIBCXX_USE_CXX11_ABI=1"
        # shellcheck disable=SC2086
        "$cxx" $flags $qt $torch -I"$src/core/contract" -I"$src/core/engine" -I"$src/core/error" -I"$src/core/imaging" \
            -I/usr/include/opencv4 "$src/tests/fuzz/scoring_contract_fuzzer.cpp" \
            "$src/core/contract/scoring_contract.cpp" -o "$work/fuzzer" $qtlibs \
            -ltorch -ltorch_cpu -lc10 -lopencv_imgcodecs -lopencv_core
        ;;
    multipart_reader)
        # The WADO-RS multipart reader needs the C++ library alone.
        # shellcheck disable=SC2086
        "$cxx" $flags -I"$src/core/pacs" -I"$src/core/error" \
            "$src/tests/fuzz/multipart_reader_fuzzer.cpp" "$src/core/pacs/multipart_reader.cpp" \
            -o "$work/fuzzer"
        ;;
    *)
        echo "unknown fuzz target $target" >&2
        exit 2
        ;;
esac
for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$work/seeds/file_$(basename "$f")"
done
# detect_leaks=0: Qt and LibTorch keep process-lifetime singletons.
ASAN_OPTIONS=detect_leaks=0 exec "$work/fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -max_len=65536 -timeout=10 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$work/seeds"
