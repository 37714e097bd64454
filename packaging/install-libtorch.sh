#!/bin/sh
# Fetches LibTorch 2.x with CUDA 13 for the GPU build (cmake --preset cuda): the pinned PyPI
# `torch` wheel (the LibTorch inside it: torch/lib, torch/include, torch/share/cmake), unpacked
# into .deps/ of the checkout (ignored by git), plus the few CUDA libraries it needs that the
# system's CUDA 13 toolkit lacks. Downloads go through pip into a cache outside the checkout, so
# a machine downloads each file once; every file is checked against its pinned SHA-256 (pip's
# hash checking) and every unpacked file against the wheel's RECORD.
#
#   packaging/install-libtorch.sh            install (or check) .deps/torch-2.11.0-cu130
#   packaging/install-libtorch.sh --print    print the CMake prefix path it installs, nothing else
#
# Environment: MEDVAE_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/medvae-studio),
# CUDA_HOME (default /usr/local/cuda). Needs python3 with pip (Debian: python3-pip), readelf
# and ldd (binutils, libc-bin).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
version=2.11.0
# The wheel PyPI serves for CUDA 13.0 (torch/version.py: 2.11.0+cu130, cuda '13.0'), CPython 3.11
# (the LibTorch inside is the same for every Python version; 3.11 is Debian 12's).
wheel=torch-$version-cp311-cp311-manylinux_2_28_x86_64.whl
wheel_sha256=7aa2f9bbc6d4595ba72138026b2074be1233186150e9292865e04b7a63b8c67a
# What libtorch_cuda.so needs beyond a CUDA 13.0 toolkit with cuDNN and NCCL (its Requires-Dist
# pins: nvidia-cusparselt-cu13==0.8.0, nvidia-nvshmem-cu13==3.4.5, cuda-toolkit[cufile]==13.0.2
# which means nvidia-cufile==1.15.1.6). Each is fetched only when the system lacks its library.
extras="
libcusparseLt.so.0 nvidia-cusparselt-cu13==0.8.0 nvidia_cusparselt_cu13-0.8.0-py3-none-manylinux2014_x86_64.whl 25e30a8a7323935d4ad0340b95a0b69926eee755767e8e0b1cf8dd85b197d3fd
libnvshmem_host.so.3 nvidia-nvshmem-cu13==3.4.5 nvidia_nvshmem_cu13-3.4.5-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl 290f0a2ee94c9f3687a02502f3b9299a9f9fe826e6d0287ee18482e78d495b80
libcufile.so.0 nvidia-cufile==1.15.1.6 nvidia_cufile-1.15.1.6-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl 08a3ecefae5a01c7f5117351c64f17c7c62efa5fffdbe24fc7d298da19cd0b44
"
dest=$root/.deps/torch-$version-cu130
prefix=$dest/torch

if [ "${1:-}" = --print ]; then
    echo "$prefix"
    exit 0
fi

cache=${MEDVAE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/medvae-studio}/wheels
cuda=${CUDA_HOME:-/usr/local/cuda}
python=python3
stamp=$dest/.installed

say() { echo "install-libtorch: $*"; }
die() { echo "install-libtorch: error: $*" >&2; exit 1; }

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wheel_sha256" ]; then
    say "LibTorch $version (CUDA 13.0) is installed in $dest"
    echo "$prefix"
    exit 0
fi

"$python" -m pip --version > /dev/null 2>&1 ||
    die "pip is missing: install it (Debian: sudo apt-get install python3-pip) and run this again"
[ -x "$cuda/bin/nvcc" ] || die "no CUDA toolkit in $cuda (set CUDA_HOME): the GPU build needs CUDA 13"
mkdir -p "$cache"

# fetch FILE REQUIREMENT SHA256: pip download with hash checking into the cache (a file already
# there is verified and reused); the platform is given so that the pinned manylinux wheel is
# chosen whatever this Python is.
fetch() {
    req=$(mktemp)
    echo "$2 --hash=sha256:$3" > "$req"
    "$python" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
        -d "$cache" -r "$req" || { rm -f "$req"; die "downloading $2 failed"; }
    rm -f "$req"
    [ -f "$cache/$1" ] || die "pip did not leave $1 in $cache"
    echo "$3  $cache/$1" | sha256sum -c --quiet - || die "$cache/$1 does not match its pinned SHA-256"
}

# unpack WHEEL DIR PATTERN...: extracts the members under the given prefixes and checks each
# against the wheel's RECORD (sha256, urlsafe base64) and the wheel's own metadata.
unpack() {
    "$python" - "$@" <<'EOF'
import base64, hashlib, os, sys, zipfile
wheel, dest, prefixes = sys.argv[1], sys.argv[2], tuple(sys.argv[3:])
z = zipfile.ZipFile(wheel)
record = next(n for n in z.namelist() if n.endswith(".dist-info/RECORD"))
hashes = {}
for line in z.read(record).decode().splitlines():
    parts = line.rsplit(",", 2)
    if len(parts) == 3 and parts[1].startswith("sha256="):
        hashes[parts[0]] = parts[1][len("sha256="):]
count = 0
for info in z.infolist():
    name = info.filename
    if info.is_dir() or not name.startswith(prefixes):
        continue
    data = z.read(info)
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    if hashes.get(name) != digest:
        sys.exit("%s: %s does not match the wheel's RECORD" % (wheel, name))
    path = os.path.join(dest, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".part", "wb") as f:
        f.write(data)
    os.chmod(path + ".part", 0o755 if name.endswith(".so") or ".so." in name else 0o644)
    os.replace(path + ".part", path)
    count += 1
if not count:
    sys.exit("%s: nothing under %s" % (wheel, ", ".join(prefixes)))
print("install-libtorch: %d files from %s, checked against its RECORD" % (count, os.path.basename(wheel)))
EOF
}

# The wheel's metadata must say what the pin promises: torch 2.11.0 built for CUDA 13.0.
check_metadata() {
    "$python" - "$1" "$version" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
version = re.search(r"^Version: (.*)$", meta, re.M).group(1)
cuda = re.search(r"^cuda: .*= '([^']*)'", z.read("torch/version.py").decode(), re.M)
requires = [l for l in meta.splitlines() if l.startswith("Requires-Dist: cuda-toolkit")]
if version != sys.argv[2] or not cuda or cuda.group(1) != "13.0" or not any("==13.0." in l for l in requires):
    sys.exit("unexpected wheel: version %s, CUDA %s, %s" % (version, cuda and cuda.group(1), requires))
print("install-libtorch: torch %s for CUDA %s (%s)" % (version, cuda.group(1), requires[0][len("Requires-Dist: "):]))
EOF
}

say "fetching torch $version (CUDA 13.0) into $cache"
fetch "$wheel" "torch==$version" "$wheel_sha256"
check_metadata "$cache/$wheel"
rm -rf "$dest"
mkdir -p "$dest"
# LibTorch only: libraries (not the Python bindings), headers, CMake files, version.
unpack "$cache/$wheel" "$dest" torch/lib/lib torch/include/ torch/share/cmake/ torch/version.py
rm -f "$dest/torch/lib/libtorch_python.so"

# The CUDA libraries libtorch needs: the system's where it has them (found by the loader through
# ld.so.cache or the toolkit's folders), the pinned NVIDIA wheels for the rest, laid out as pip
# would (nvidia/<name>/lib, nvidia/cu13/lib) where the wheel's RPATH looks for them.
libs=$dest/torch/lib
missing() {
    ldd "$libs/libtorch_cuda.so" "$libs/libtorch_nvshmem.so" "$libs/libc10_cuda.so" |
    awk '/not found/ { print $1 }' | sort -u
}
absent=$(missing)
echo "$extras" | while read -r soname requirement file sha; do
    [ -n "$soname" ] || continue
    echo "$absent" | grep -qx "$soname" || { say "$soname: the system's"; continue; }
    say "$soname: not on this system, from $requirement"
    fetch "$file" "$requirement" "$sha"
    unpack "$cache/$file" "$dest" nvidia/
done
# libcuda.so.1 is the GPU driver's: present only where a GPU is, and loaded at run time.
still=$(missing | grep -vx 'libcuda.so.1' || true)
[ -z "$still" ] || die "libtorch_cuda.so still lacks: $(echo $still). Is the CUDA 13 toolkit with cuDNN and NCCL installed, and its library folder in ld.so.conf (or LD_LIBRARY_PATH)?"
for need in libcudnn.so.9 libnccl.so.2 libcublas.so.13; do
    readelf -d "$libs/libtorch_cuda.so" | grep -q "\[$need\]" || die "libtorch_cuda.so does not link $need: not the expected build"
done

echo "$wheel_sha256" > "$stamp"
say "installed LibTorch $version (CUDA 13.0) in $dest"
echo "$prefix"
