#!/bin/sh
# Builds the Debian package from the build tree, unpacks it into a scratch root with `dpkg -x` and
# checks what a user gets: files, control fields, desktop entry, AppStream metainfo, manual pages,
# the systemd unit, binaries free of build-tree paths whose libraries all resolve, and the installed
# medvae-cli running on the installed demo model. Finally apt resolves the package's dependencies
# as on a fresh Debian 12 system (simulation, from the local package index; nothing is installed).
#
# The environment variable CPACK names the cpack to use (default: cpack on PATH).
# Usage: check_package.sh BUILD_DIR SOURCE_DIR VERSION DEMO_SHA256 SCRATCH "EXE1 EXE2 ..."
set -eu

build=$1
source=$2
version=$3
demo_sha256=$4
scratch=$5
executables=$6

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
check() {  # check DESCRIPTION COMMAND...: runs the command, fails the test with DESCRIPTION
    what=$1
    shift
    "$@" || fail "$what"
}
# Every program below runs under a time limit, so that a hang fails the test instead of stalling it.
run() { timeout 120 "$@"; }

rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/root" "$scratch/work"

# ---- Build the package (the build tree is reused: CPack only installs and archives) ----
run "${CPACK:-cpack}" -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
    { cat "$scratch/cpack.log" >&2; fail "cpack could not build the package"; }
deb=$scratch/out/medvae-studio_${version}_amd64.deb
[ -f "$deb" ] || { ls -l "$scratch/out" >&2; fail "no $deb"; }
rm -rf "$scratch/out/_CPack_Packages"  # CPack's staging tree
echo "built $(basename "$deb") ($(wc -c <"$deb") bytes)"

# ---- Control fields ----
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = medvae-studio ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)'"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = science ] || fail "Section is '$(field Section)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
echo "Depends: $depends"
# One dependency name per line, versions dropped.
names=$(echo "$depends" | tr ',|' '\n\n' | sed 's/(.*)//; s/^ *//; s/ *$//')
for need in libopenblas0-pthread qt6-qpa-plugins libqt6core6 libqt6svg6 libtorch1.13 libc6; do
    echo "$names" | grep -qx "$need" || fail "Depends lacks $need"
done
if echo " $executables " | grep -q " medvae-studio "; then
    for need in libqt6widgets6 libqt6gui6; do
        echo "$names" | grep -qx "$need" || fail "Depends lacks $need (medvae-studio links it)"
    done
fi
field Recommends | grep -q "gnome-keyring" || fail "Recommends lacks a Secret Service provider"
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -qx "./postinst" || fail "no postinst"

# ---- Files ----
run dpkg -x "$deb" "$scratch/root"
root=$scratch/root
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
echo "$contents" | grep -q "^\./etc/" && fail "the package ships files in /etc (the service must stay disabled)"
for exe in $executables; do
    [ -x "$root/usr/bin/$exe" ] || fail "missing executable usr/bin/$exe"
done
[ -e "$root/usr/bin/medvae-train" ] && fail "the developer tool medvae-train is packaged"
share=$root/usr/share/medvae-studio
for f in \
    usr/share/medvae-studio/models/medvae-demo-8x4.ckpt \
    usr/share/medvae-studio/models/medvae-demo-4x3.ckpt \
    usr/share/applications/org.medvae.MedVAEStudio.desktop \
    usr/share/metainfo/org.medvae.MedVAEStudio.metainfo.xml \
    usr/share/icons/hicolor/scalable/apps/org.medvae.MedVAEStudio.svg \
    usr/share/icons/hicolor/48x48/apps/org.medvae.MedVAEStudio.png \
    usr/share/icons/hicolor/256x256/apps/org.medvae.MedVAEStudio.png \
    usr/share/man/man1/medvae-studio.1.gz \
    usr/share/man/man1/medvae-cli.1.gz \
    usr/share/man/man1/medvae-serve.1.gz \
    usr/share/man/man1/medvae-bench.1.gz \
    usr/share/doc/medvae-studio/copyright \
    lib/systemd/system/medvae-serve.service; do
    [ -s "$root/$f" ] || fail "missing $f"
done
# The samples are exactly the source tree's.
for f in "$source"/resources/samples/*; do
    check "sample $(basename "$f") differs or is missing" cmp -s "$f" "$share/samples/$(basename "$f")"
done
echo "$(ls "$share/samples" | wc -l) samples"
got_sha=$(sha256sum "$share/models/medvae-demo-8x4.ckpt" | cut -d' ' -f1)
[ "$got_sha" = "$demo_sha256" ] || fail "installed demo model has SHA-256 $got_sha"
check "the installed 4x demo model differs from the source tree's" \
    cmp -s "$source/resources/models/medvae-demo-4x3.ckpt" "$share/models/medvae-demo-4x3.ckpt"
# PNG icons have the size their folder says (IHDR width and height, big-endian, bytes 17-24).
for png in "$root"/usr/share/icons/hicolor/*x*/apps/org.medvae.MedVAEStudio.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    w=$(od -An -tu1 -j16 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    h=$(od -An -tu1 -j20 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    [ "${w}x${h}" = "$size" ] || fail "$png is ${w}x${h}"
done
gzip -dc "$root/usr/share/doc/medvae-studio/changelog.gz" | head -n 1 | grep -q "^medvae-studio ($version) " ||
    fail "debian/changelog has no entry for version $version"
for page in medvae-studio medvae-cli medvae-serve medvae-bench; do
    gz=$root/usr/share/man/man1/$page.1.gz
    check "$page.1.gz is not valid gzip" gzip -t "$gz"
    gzip -dc "$gz" | head -n 1 | grep -qi "^\.TH $page 1 " || fail "$page.1 does not start with .TH"
done

# ---- Desktop entry and metainfo ----
desktop=$root/usr/share/applications/org.medvae.MedVAEStudio.desktop
check "desktop-file-validate rejects the desktop entry" desktop-file-validate "$desktop"
mime=$(sed -n 's/^MimeType=//p' "$desktop")
for type in image/png image/jpeg image/tiff application/dicom; do
    echo "$mime" | tr ';' '\n' | grep -qx "$type" || fail "desktop entry lacks MIME type $type"
done
exec_name=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
[ "$exec_name" = medvae-studio ] || fail "desktop entry runs '$exec_name'"
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "desktop entry icon '$icon' is not installed"
check "appstreamcli rejects the metainfo" \
    run appstreamcli validate --no-net --strict "$root/usr/share/metainfo/org.medvae.MedVAEStudio.metainfo.xml"
grep -q "<launchable type=\"desktop-id\">$(basename "$desktop")</launchable>" \
    "$root/usr/share/metainfo/org.medvae.MedVAEStudio.metainfo.xml" || fail "metainfo does not launch the desktop entry"

# ---- systemd unit ----
unit=$root/lib/systemd/system/medvae-serve.service
for line in "DynamicUser=yes" "LoadCredential=key:/etc/medvae-serve/key" "NoNewPrivileges=yes" \
    "ProtectSystem=strict" "ProtectHome=yes" "WantedBy=multi-user.target"; do
    grep -qx "$line" "$unit" || fail "unit lacks '$line'"
done
grep -q "^ExecStart=/usr/bin/medvae-serve .*--key-file %d/key" "$unit" || fail "unit does not pass the key file"
# systemd-analyze checks the unit against the installed binary (the copy only points ExecStart into
# the scratch root; manual pages are not installed system-wide here).
mkdir -p "$scratch/unit"
sed "s#/usr/bin/medvae-serve#$root/usr/bin/medvae-serve#" "$unit" >"$scratch/unit/medvae-serve.service"
check "systemd-analyze rejects the unit" run systemd-analyze verify --man=no "$scratch/unit/medvae-serve.service"

# ---- Binaries: stripped of build-tree paths, every library from the system ----
for exe in $executables; do
    bin=$root/usr/bin/$exe
    if readelf -d "$bin" | grep -Eq "RPATH|RUNPATH"; then
        fail "$exe has an RPATH/RUNPATH: $(readelf -d "$bin" | grep -E 'RPATH|RUNPATH')"
    fi
    readelf -S "$bin" | grep -q "\.symtab" && fail "$exe is not stripped"
    grep -aq -- "$build/" "$bin" && fail "$exe names the build tree $build"
    missing=$(ldd "$bin" | grep "not found" || true)
    [ -z "$missing" ] || fail "$exe: libraries not found: $missing"
done

# ---- The installed tools run ----
cd "$scratch/work"
unset MEDVAE_MODEL
cli=$root/usr/bin/medvae-cli
run "$cli" --version | grep -q "$version" || fail "medvae-cli --version does not say $version"
run "$cli" info "$share/models/medvae-demo-8x4.ckpt" >info.txt || { cat info.txt >&2; fail "medvae-cli info failed"; }
cat info.txt
grep -q "^sha256: *$demo_sha256$" info.txt || fail "info does not report the demo model's SHA-256"
grep -q "^variant: *medvae_8_4_2d" info.txt || fail "info does not report the variant"
grep -q "DEMO MODEL" info.txt || fail "info does not flag the demo model"
run "$cli" info "$share/models/medvae-demo-4x3.ckpt" >info43.txt || { cat info43.txt >&2; fail "medvae-cli info failed on the 4x demo model"; }
grep -q "^variant: *medvae_4_3_2d" info43.txt || fail "info does not report the 4x demo model's variant"
grep -q "DEMO MODEL" info43.txt || fail "info does not flag the 4x demo model"
# Without --model the installed binary finds the installed demo model next to itself
# (<exe>/../share/medvae-studio), and its latents equal the build tree's binary's.
run "$cli" encode --threads 2 -o installed "$share/samples/colin27_t1_coronal.png" >encode.txt 2>&1 ||
    { cat encode.txt >&2; fail "installed medvae-cli encode failed"; }
grep -q "from $share/models/medvae-demo-8x4.ckpt" encode.txt ||
    { cat encode.txt >&2; fail "installed medvae-cli did not use the installed demo model"; }
run "$build/bin/medvae-cli" encode --threads 2 --model "$source/resources/models/medvae-demo-8x4.ckpt" \
    -o reference "$source/resources/samples/colin27_t1_coronal.png" >reference.txt 2>&1 ||
    { cat reference.txt >&2; fail "build-tree medvae-cli encode failed"; }
for f in colin27_t1_coronal_latent.npy colin27_t1_coronal_z.npy; do
    check "installed $f differs from the build tree's" cmp installed/$f reference/$f
done
echo "installed medvae-cli: latents equal the build tree's"
run "$root/usr/bin/medvae-bench" --help >/dev/null || fail "medvae-bench --help failed"
if [ -x "$root/usr/bin/medvae-serve" ]; then
    run "$root/usr/bin/medvae-serve" --help | grep -q -- "--key-file" || fail "medvae-serve --help failed"
fi
# The installed app, as on a first start (empty home): it loads the installed demo model, computes
# the installed sample and saves a screenshot of its window once the result is shown, then quits.
if [ -x "$root/usr/bin/medvae-studio" ]; then
    home=$scratch/home
    mkdir -p "$home/runtime"
    chmod 700 "$home/runtime"
    HOME=$home XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache XDG_DATA_HOME=$home/.local/share \
        XDG_RUNTIME_DIR=$home/runtime QT_QPA_PLATFORM=offscreen \
        run "$root/usr/bin/medvae-studio" --screenshot "$scratch/work/studio.png" \
        "$share/samples/colin27_t1_coronal.dcm" >studio.txt 2>&1 ||
        { cat studio.txt >&2; fail "installed medvae-studio failed"; }
    [ -s studio.png ] || fail "installed medvae-studio saved no screenshot"
    w=$(od -An -tu1 -j16 -N4 studio.png | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    [ "$w" -ge 400 ] || fail "medvae-studio screenshot is $w pixels wide"
    grep -rqx "path=$share/models/medvae-demo-8x4.ckpt" "$home/.config/MedVAE Studio" ||
        fail "installed medvae-studio did not load the installed demo model"
    echo "installed medvae-studio: demo model loaded, ${w}-pixel-wide window saved"
fi

# ---- apt resolves the dependencies on a fresh Debian 12 ----
# An empty dpkg status stands for a system with nothing installed; apt takes every dependency from
# the package index that packaging/install-deps.sh downloaded (simulation: no root, no network).
ls /var/lib/apt/lists/*_bookworm_main_binary-amd64_Packages* >/dev/null 2>&1 ||
    fail "no Debian 12 package index in /var/lib/apt/lists (run apt-get update)"
: >"$scratch/empty-status"
run apt-get install --simulate --no-install-recommends -o Debug::NoLocking=1 \
    -o Dir::State::status="$scratch/empty-status" "$deb" >apt.txt 2>&1 ||
    { cat apt.txt >&2; fail "apt cannot install the package on a fresh system"; }
for need in medvae-studio libtorch1.13 libopenblas0-pthread qt6-qpa-plugins libqt6svg6 libqt6core6; do
    grep -q "^Inst $need " apt.txt || { cat apt.txt >&2; fail "apt would not install $need"; }
done
echo "apt on a fresh system installs $(grep -c '^Inst ' apt.txt) packages"
echo "package OK"
