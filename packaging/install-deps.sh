#!/bin/sh
# Installs every Debian 12 package needed to build, run and test MedVAE Studio.
# Safe to run again; uses sudo when not run as root.
#   packaging/install-deps.sh          install what is missing
#   packaging/install-deps.sh --list   print the package names, one per line, and install nothing
set -eu

packages="
  build-essential cmake ninja-build pkg-config ccache
  libtorch-dev libopenblas0-pthread
  qt6-base-dev qt6-qpa-plugins qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qtkeychain-qt6-dev fonts-dejavu-core
  fonts-wqy-microhei
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev zlib1g-dev
  libdcmtk-dev libopenjp2-7-dev
  mricron-data insighttoolkit5-examples
  clang-14 libclang-rt-14-dev
  python3 python3-pip python3-torch python3-numpy python3-pil python3-pydicom
  dbus dbus-bin gnome-keyring xvfb xauth curl strace
  dpkg-dev file appstream desktop-file-utils systemd
  slurmctld
  slurmd
  slurm-client
  munge
  python3-yaml
  qt6-charts-dev
  libqt6opengl6-dev
  chromium
  orthanc
  orthanc-dicomweb
  openssl
"
# Build: compilers, CMake, Ninja. Engine: LibTorch (CPU) with an optimised BLAS (Debian's default
# reference BLAS is about 20x slower). Image input: Qt 6 Core and Network (URLs), OpenCV's image
# codecs, DCMTK and OpenJPEG (DICOM, incl. JPEG 2000), zlib (NIfTI). Demo model: the openly licensed MRI templates of mricron-data it is trained on, and ITK's
# example images (insighttoolkit5-examples, 6 MB) it is evaluated on.
# App: Qt Widgets with its platform plugins (offscreen for tests), Qt SVG (icons), Qt Linguist
# tools (translations, compiled at build time), QtKeychain (endpoint keys in the OS keychain), a
# font for rendering text, and one for Simplified Chinese (WenQuanYi Micro Hei: 5 MB, against
# 91 MB for Noto CJK). medvae-serve reads HTTP itself on Qt Network (size limits before a body
# is buffered).
# Tests: clang's libFuzzer for the fuzz tests; Debian's PyTorch, NumPy and Pillow generate the
# test fixtures with an independent implementation of the network; pydicom's own test files and
# decoder check the DICOM reader; a D-Bus session with GNOME Keyring is the real Secret Service the
# keychain tests use; Xvfb (with xauth, for xvfb-run) takes the README screenshot; curl: the remote
# tests send the model card's own curl example to medvae-serve; strace: the batch tests kill
# medvae-cli at each fsync (fault injection) and resume. pip: packaging/install-libtorch.sh fetches
# the pinned CUDA LibTorch with it for .ci/run's GPU configuration, which ccache keeps compiled
# between runs.
# slurmctld, slurmd, slurm-client (sbatch, squeue, scancel, scontrol, sinfo) and munge (munged):
# the test slurm_array runs packaging/slurm/medvae-batch.sbatch on a one-node Slurm cluster it
# starts itself. python3-yaml: the test kubernetes_manifest reads packaging/kubernetes/.
# qt6-charts-dev: the batch fidelity report's plots (Qt Charts), with libqt6opengl6-dev, whose
# CMake files Debian's Qt Charts package needs but does not depend on; chromium: the test report_browser
# renders the report in a headless browser (skipped where it is missing).
# orthanc and orthanc-dicomweb: the archive (PACS) tests run a private Orthanc with its DICOMweb
# plugin on loopback (tests/pacs/orthanc_server.py).
# Package: CPack's DEB generator runs file (to find the ELF binaries) and dpkg-shlibdeps (dpkg-dev)
# to compute the package's Depends; the package test checks it with appstreamcli,
# desktop-file-validate and systemd-analyze (systemd; the medvae-serve unit).
# The test external_programs (tests/package/check_external_programs.py) fails when a program or
# Python module the sources use comes from a package that is neither listed here nor in a minimal
# Debian system.

if [ "${1:-}" = --list ]; then
    # shellcheck disable=SC2086
    printf '%s\n' $packages
    exit 0
fi

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
