#!/bin/sh
# Builds one of the project's libFuzzer targets with clang (plus AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs it for a bounded time on a seed corpus.
# Usage: run_fuzzer.sh TARGET CLANGXX SOURCE_DIR WORK_DIR SECONDS SEED_FILE...
#   TARGET: checkpoint_reader | image_decoder
set -eu
target=$1 cxx=$2 src=$3 work=$4 seconds=$5
shift 5
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
engine="$src/core/engine"
imaging="$src/core/imaging"
# The DICOM decoder's parts by name: other dicom_* sources (a writer) are not parsers of input.
dicom=""
for part in attributes decoder deflated_dataset file_copy fragments jpeg2000_codec pixel_mapping \
    rle_codec structure_check; do
    dicom="$dicom $imaging/dicom_$part.cpp"
done
formats="$engine/byte_reader.cpp $engine/byte_source.cpp $engine/checkpoint_reader.cpp $engine/json_value.cpp
         $engine/pickle_machine.cpp $engine/pickle_value.cpp $engine/raw_tensor.cpp
         $engine/restricted_unpickler.cpp $engine/zip_archive.cpp"
flags="-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$engine -I$src/core/error"
case "$target" in
    checkpoint_reader)
        # shellcheck disable=SC2086
        "$cxx" $flags "$src/tests/fuzz/checkpoint_reader_fuzzer.cpp" $formats -o "$work/fuzzer"
        /usr/bin/python3 "$src/tests/fuzz/make_seeds.py" "$work/seeds"
        prefix='\000'  # the first byte selects the parser: 0 = checkpoint
        ;;
    image_decoder)
        # shellcheck disable=SC2086
        "$cxx" $flags -I"$imaging" -I/usr/include/opencv4 -I/usr/include/openjpeg-2.5 \
            "$src/tests/fuzz/image_decoder_fuzzer.cpp" "$imaging/image_decoder.cpp" "$imaging/image_header.cpp" \
            $dicom $formats -o "$work/fuzzer" \
            -ldcmjpls -ldcmtkcharls -ldcmjpeg -lijg8 -lijg12 -lijg16 -ldcmdata -loflog -lofstd -lopenjp2 \
            -lopencv_imgcodecs -lopencv_imgproc -lopencv_core -lz
        prefix=''
        ;;
    *)
        echo "unknown fuzz target $target" >&2
        exit 2
        ;;
esac
for f in "$@"; do
    [ -f "$f" ] && { printf "$prefix"; cat "$f"; } > "$work/seeds/file_$(basename "$f")"
done
exec "$work/fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$work/seeds"
