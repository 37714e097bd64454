#!/bin/sh
# Installs every Debian 12 package needed to build, run and test MedVAE Studio.
# Safe to run again; uses sudo when not run as root.
set -eu

packages="
  build-essential cmake ninja-build pkg-config
  libtorch-dev libopenblas0-pthread
  qt6-base-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev zlib1g-dev
  mricron-data
  clang-14 libclang-rt-14-dev
  python3 python3-torch python3-numpy python3-pil
"
# Build: compilers, CMake, Ninja. Engine: LibTorch (CPU) with an optimised BLAS (Debian's default
# reference BLAS is about 20x slower). Command-line tools: Qt 6 Core, OpenCV image codecs, zlib
# (NIfTI). Demo model: the openly licensed MRI templates of mricron-data it is trained on.
# Tests: clang's libFuzzer for the fuzz test; Debian's PyTorch, NumPy and Pillow generate the
# test fixtures with an independent implementation of the network.

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Status}\n' $packages 2>/dev/null | grep -c "install ok installed" || true)
if [ "$installed" -ne "$(echo $packages | wc -w)" ]; then
    $sudo apt-get update
    # shellcheck disable=SC2086
    $sudo apt-get install -y --no-install-recommends $packages
else
    echo "install-deps: all $installed packages are installed"
fi
