#!/bin/sh
# Builds the Debian package medvae-studio_<version>_amd64.deb from a configured build tree.
# Usage: packaging/build-deb.sh [BUILD_DIR]   (default: build)
# The package lands in BUILD_DIR/package/. Only the installed targets are built (not the tests).
set -eu
build=${1:-build}
if [ ! -f "$build/CPackConfig.cmake" ]; then
    echo "build-deb: $build is not a configured build tree; run:" >&2
    echo "  cmake -S . -B $build -G Ninja -DCMAKE_BUILD_TYPE=Release" >&2
    exit 1
fi
targets=$(sed -n 's/^set(MEDVAE_PACKAGE_TARGETS "\(.*\)")$/\1/p' "$build/packaging/package_targets.cmake" | tr ';' ' ')
# shellcheck disable=SC2086
cmake --build "$build" --target $targets
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$build/package"
rm -rf "$build/package/_CPack_Packages"  # the staging tree
ls -1 "$build"/package/*.deb
