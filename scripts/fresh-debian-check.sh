#!/usr/bin/env bash
# Proves the README's promise: on a pristine Debian 12, as root, `make test` and `make run`
# work with no other step. See --help.
set -euo pipefail
# The whole script is one function, read before it runs: editing the file while a check runs
# (they take a while) cannot change what the running check does.
main() {

usage() {
    cat <<'EOF'
Usage: scripts/fresh-debian-check.sh [--keep] [--repo DIR] [--cache DIR]

Makes a minimal Debian 12 (bookworm) root with debootstrap --variant=minbase in a
temporary directory, clones the committed tree of DIR (default: this repository) into
it, installs only make, git and ca-certificates, then runs `make test` there as root,
then `make run` in the background and `curl /healthz` against it. Prints one summary line:

  fresh-debian-check: N passed, N failed of N tests; make run /healthz 200; M min

and exits 0 only when every test passed and /healthz answered 200.

Needs: root (chroot, mounts), debootstrap (installed from Debian when missing), and the
Debian package mirrors and the npm registry (the same as `make test` needs). It copies
into the root only the host's package-source, proxy and certificate-authority settings
(/etc/apt/sources.list.d, /etc/apt/apt.conf.d, /usr/local/share/ca-certificates, npm's
global config) — nothing of the project but the clone. /proc, /sys, /dev and /dev/pts
are bind-mounted and /dev/shm is a tmpfs; everything is unmounted and removed at the
end, whatever happens (--keep leaves the root in place for a look; it is still
unmounted). The base system is cached as a tarball in --cache
(default /var/cache/pullwatch-fresh-check) between runs. Takes about 15-30 minutes.

  --keep        keep the root directory (its path is printed)
  --repo DIR    the git repository whose HEAD is cloned (default: this one)
  --cache DIR   where the debootstrap base tarball is kept
EOF
}

keep=false
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=/var/cache/pullwatch-fresh-check
while [ $# -gt 0 ]; do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --keep) keep=true ;;
        --repo) repo=$2; shift ;;
        --cache) cache=$2; shift ;;
        *) echo "fresh-debian-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

[ "$(id -u)" -eq 0 ] || { echo "fresh-debian-check: needs root (chroot and mounts)" >&2; exit 2; }
if ! command -v debootstrap >/dev/null; then
    echo "fresh-debian-check: installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The mirror the host's apt uses (deb822 sources first, then sources.list).
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null \
         | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

start=$(date +%s)
work=$(mktemp -d /var/tmp/pullwatch-fresh.XXXXXX)
root=$work/root
log=$work/check.log
mounted=()

# Every process whose root is the check's root, then every mount, then the directory.
cleanup() {
    set +e
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
    done
    sleep 1
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null
    done
    if $keep; then
        echo "fresh-debian-check: the root is kept in $root (log: $log)"
    else
        # Only after every mount is gone: never follow a bind mount into the host.
        if ! grep -q " $work" /proc/mounts; then rm -rf "$work"; fi
    fi
}
trap cleanup EXIT

step() { echo "--- $(date -u +%H:%M:%S) $*"; }

mkdir -p "$cache"
tarball=$cache/bookworm-minbase.tgz
if [ ! -s "$tarball" ]; then
    step "debootstrap: making the base tarball ($mirror)"
    debootstrap --variant=minbase --make-tarball="$tarball.new" bookworm "$work/tarball" "$mirror" >"$log" 2>&1 \
        || { tail -20 "$log"; exit 1; }
    mv "$tarball.new" "$tarball"
    rm -rf "$work/tarball"
fi
step "debootstrap: a minbase Debian 12 root in $root"
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$root" "$mirror" >>"$log" 2>&1 \
    || { tail -20 "$log"; exit 1; }

step "copying the host's package-source, proxy and CA settings"
for d in /etc/apt/sources.list.d /etc/apt/apt.conf.d /usr/local/share/ca-certificates; do
    [ -d "$d" ] && mkdir -p "$root$d" && cp -a "$d/." "$root$d/"
done
# The host's sources replace debootstrap's (a host with deb822 sources only has no sources.list).
rm -f "$root/etc/apt/sources.list"
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
# Only the host's Debian sources: a third-party repository (disabled or not) is not Debian.
find "$root/etc/apt/sources.list.d" -type f ! -name '*.sources' ! -name '*.list' -delete
npmrc=/etc/npmrc
[ -f "$npmrc" ] || npmrc=$(npm config get globalconfig 2>/dev/null || true)
[ -n "$npmrc" ] && [ -f "$npmrc" ] && cp "$npmrc" "$root/etc/npmrc"
# debootstrap writes no /etc/hosts; Debian's installer writes this one on every machine.
[ -s "$root/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# A chroot has no init: services are not started by package scripts (as in Debian's
# container images); the tests start their own redis-server.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

for m in proc sys dev dev/pts; do
    mkdir -p "$root/$m"
    mount --bind "/$m" "$root/$m"
    mounted+=("$root/$m")
done
mkdir -p "$root/dev/shm"
mount -t tmpfs -o mode=1777,size=2g tmpfs "$root/dev/shm"
mounted+=("$root/dev/shm")

step "cloning the committed tree of $repo ($(git -C "$repo" rev-parse --short HEAD))"
git clone -q "$repo" "$root/root/pullwatch"

in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

step "apt-get install make git ca-certificates"
in_root bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make git ca-certificates >/dev/null' \
    >>"$log" 2>&1 || { tail -20 "$log"; exit 1; }

step "make test (log: $work/make-test.log)"
test_rc=0
in_root bash -c 'cd /root/pullwatch && make test' >"$work/make-test.log" 2>&1 || test_rc=$?
summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$work/make-test.log" | tail -n1 || true)
if [ -n "$summary" ]; then
    failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
    total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")
    passed=$((total - failed))
    grep -E '^\s+[0-9]+ - .* \((Failed|Timeout|Not Run|SEGFAULT|Subprocess)' "$work/make-test.log" || true
else
    passed=0; failed=0; total=0
    echo "make test stopped before ctest ran (exit $test_rc):"
    tail -30 "$work/make-test.log"
fi

step "make run, then GET /healthz"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)
in_root bash -c "cd /root/pullwatch && PULLWATCH_LISTEN=127.0.0.1:$port make run" >"$work/make-run.log" 2>&1 &
health=none
for _ in $(seq 1 240); do
    # The root shares the host's network: the host's curl reaches the server in it.
    health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" 2>/dev/null || true)
    [ "$health" = 200 ] && break
    sleep 1
done
[ "$health" = 200 ] || { echo "make run did not answer /healthz:"; tail -20 "$work/make-run.log"; }

minutes=$(awk -v s="$(( $(date +%s) - start ))" 'BEGIN { printf "%.1f", s / 60 }')
$keep && cp "$work/make-test.log" "$work/make-run.log" "$root/root/" 2>/dev/null || true
echo "fresh-debian-check: $passed passed, $failed failed of $total tests (make test exit $test_rc); make run /healthz $health; $minutes min"
[ "$test_rc" -eq 0 ] && [ "$total" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$health" = 200 ]
}
main "$@"
