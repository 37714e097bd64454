#!/bin/sh
# Runs the README's two commands on a freshly installed, minimal Debian 12, as a new user would:
# builds a minbase root with debootstrap, puts the project's committed tree in it (git archive
# HEAD) and, inside it with chroot, runs .ci/run (the README's test command: install-deps.sh,
# configure, build, every test), then the README's first command with the app under Xvfb, saving
# its window (--screenshot) so that it ends by itself. Prints which command passed; exit status 0
# when both did. For maintainers, on a Debian/Ubuntu host: needs root, the Debian archive (the
# only network access), about 4 GB under the root's folder and about 40 minutes on two cores.
# Not part of .ci/run.
#
# Usage: packaging/fresh-check.sh [ROOT]       (default /var/tmp/medvae-fresh-root; must not exist)
# Environment:
#   FRESH_MIRROR     Debian mirror (default http://deb.debian.org/debian)
#   FRESH_SECURITY   security archive (default http://deb.debian.org/debian-security)
#   FRESH_JOBS       parallel build jobs inside the root (default 2)
#   FRESH_KEEP=1     keep the root afterwards (unmounted) to look inside; remove it with rm -rf
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/var/tmp/medvae-fresh-root}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
security=${FRESH_SECURITY:-http://deb.debian.org/debian-security}
jobs=${FRESH_JOBS:-2}
project=/root/medvae-studio
mounted=""

log() { printf '%s fresh-check: %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
    log "ERROR: $*" >&2
    exit 2
}

[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot and mount need it)"
case "$root" in
    /*) ;;
    *) die "ROOT must be an absolute path" ;;
esac
case "$root/" in
    "$repo"/*) die "ROOT must be outside the repository ($repo)" ;;
esac
[ ! -e "$root" ] || die "$root exists; remove it first (a previous run's, if it holds no mounts)"

# Processes still running inside the root (a daemon a test left behind) keep its mounts busy.
stop_root_processes() {
    for signal in TERM KILL; do
        pids=""
        for proc in /proc/[0-9]*; do
            [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && pids="$pids ${proc#/proc/}"
        done
        [ -n "$pids" ] || return 0
        log "stopping processes left in the root:$pids"
        # shellcheck disable=SC2086
        kill -s "$signal" $pids 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            alive=""
            for pid in $pids; do [ -d "/proc/$pid" ] && alive=1; done
            [ -n "$alive" ] || break
            sleep 0.5
        done
    done
}
cleanup() {
    status=$?
    trap - EXIT INT TERM
    stop_root_processes
    for target in $mounted; do  # newest first
        umount "$target" 2>/dev/null || umount -l "$target" || log "could not unmount $target"
    done
    if grep -q " $root/" /proc/mounts; then
        log "something is still mounted under $root; not removing it:" >&2
        grep " $root/" /proc/mounts >&2
    elif [ "${FRESH_KEEP:-0}" = 1 ]; then
        log "kept $root"
    elif [ -d "$root" ]; then
        log "removing $root"
        rm -rf --one-file-system "$root"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_in_root() {  # mount_in_root TYPE TARGET [OPTIONS]
    mkdir -p "$root$2"
    mount -t "$1" ${3:+-o "$3"} "$1" "$root$2"
    mounted="$root$2 $mounted"
}

# Runs a command line inside the root with a clean environment, as root in /root/medvae-studio.
in_root() {
    env -i HOME=/root USER=root LOGNAME=root LANG=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        CMAKE_BUILD_PARALLEL_LEVEL="$jobs" \
        chroot "$root" /bin/sh -c "cd $project && $1"
}

if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap"
    apt-get install -y --no-install-recommends debootstrap ||
        { apt-get update && apt-get install -y --no-install-recommends debootstrap; }
fi

# ---- The minimal system ----
log "debootstrap --variant=minbase bookworm $root $mirror"
started=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror"
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
grep -qw localhost "$root/etc/hosts" 2>/dev/null || printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >>"$root/etc/hosts"
# As in any chroot: packages must not start their services (dbus, systemd units) on the host.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# Tests need /proc (Qt, LibTorch, ldd), /sys (CPU topology), /dev/shm and ptys; loopback
# networking is the host's, which the chroot shares.
mount_in_root proc /proc
mount_in_root sysfs /sys
mount_in_root devpts /dev/pts newinstance,ptmxmode=0666,mode=620
mount_in_root tmpfs /dev/shm mode=1777
ln -sf pts/ptmx "$root/dev/ptmx"  # the ptys of the root's own devpts
log "minimal system ready ($(du -sh --one-file-system "$root" | cut -f1)) in $(($(date +%s) - started)) s"

# ---- The project, as committed ----
mkdir -p "$root$project"
if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then
    [ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
        log "note: uncommitted changes in $repo are not part of the check"
    log "project: $(git -C "$repo" log -1 --format='%h %s')"
    git -C "$repo" archive --format=tar HEAD | tar -x -C "$root$project"
else
    log "project: $repo (not a git checkout: copied without build trees)"
    tar -C "$repo" --exclude=./build --exclude='./build-*' -c . | tar -x -C "$root$project"
fi

# ---- The README's test command: .ci/run ----
log "running .ci/run inside the root (build with $jobs jobs)"
started=$(date +%s)
test_status=0
in_root "./.ci/run" || test_status=$?
log ".ci/run ended with status $test_status after $(($(date +%s) - started)) s"

# ---- The README's first command, the app's window saved under Xvfb ----
samples="resources/samples/colin27_t1_coronal.dcm resources/samples/colin27_projection_lateral.png"
first="./packaging/install-deps.sh && cmake --preset release && cmake --build --preset release && \
timeout 600 xvfb-run -a -s '-screen 0 1600x1000x24' ./build/bin/medvae-studio \
--screenshot /tmp/first-start.png $samples"
log "running the README's first command: $first"
app_status=0
in_root "$first" || app_status=$?
if [ "$app_status" -eq 0 ]; then
    width=$(od -An -tu1 -j16 -N4 "$root/tmp/first-start.png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    [ "$width" -ge 400 ] && log "the app saved a ${width}-pixel-wide window" || app_status=1
fi

echo
[ "$test_status" -eq 0 ] && result=pass || result="FAIL (status $test_status)"
log "README test command (.ci/run: install, build, every test): $result"
[ "$app_status" -eq 0 ] && result=pass || result="FAIL (status $app_status)"
log "README first command (install, build, the app on the samples under Xvfb): $result"
[ "$test_status" -eq 0 ] && [ "$app_status" -eq 0 ]
