#!/usr/bin/env bash
# Builds the Debian package with CPack from the build tree, checks its metadata,
# maintainer scripts and contents, and extracts it (dpkg -x) into OUT/root for the tests
# that run what it installs (tst_installer, installer_systemd).
#   tst_installer_package.sh BUILD_DIR OUT_DIR VERSION
# No pipefail: `producer | grep -q` must not fail when grep stops reading early.
set -eu
export LC_ALL=C

build_dir=$1
out=$2
version=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }

for tool in cpack dpkg-deb dpkg dpkg-shlibdeps objdump; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs dpkg-dev and binutils)"
done

rm -rf "$out"
mkdir -p "$out"
step "cpack -G DEB"
# -B: the test's own directory, so that a concurrent `make package` is not disturbed.
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 \
    || { cat "$out/cpack.log"; fail "cpack failed"; }
arch=$(dpkg --print-architecture)
deb="$out/pullwatch_${version}-1_${arch}.deb"
[ -f "$deb" ] || { ls -l "$out"; fail "expected $deb"; }
echo "$deb ($(stat -c %s "$deb") bytes)"

step "metadata (dpkg-deb -I)"
dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = pullwatch ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "${version}-1" ] || fail "Version is '$(field Version)', not ${version}-1"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = admin ] || fail "Section is '$(field Section)'"
[[ "$(field Maintainer)" == *"<"*"@"*">" ]] || fail "Maintainer '$(field Maintainer)' has no address"
[ -n "$(field Description)" ] || fail "no Description"

# Depends: one package per name, as written by dpkg-shlibdeps plus the hand-written ones.
depends=$(field Depends | tr ',' '\n' | sed -e 's/^ *//' -e 's/ .*//' -e 's/|.*//' | sort -u)
echo "Depends packages: $(echo "$depends" | tr '\n' ' ')"
has_dep() { grep -qx "$1" <<<"$depends"; }
# The runtime packages Pullwatch uses; the last three are not linked (a Qt plugin, the
# window's platform plugins, the tool of the maintainer scripts).
for p in libqt6core6 libqt6network6 libqt6websockets6 libqt6widgets6 libqt6gui6 libqt6sql6 \
         libqt6charts6 libhiredis0.14 libyaml-cpp0.7 libjwt0 libc6 libstdc++6 \
         libqt6sql6-sqlite qt6-qpa-plugins adduser; do
    has_dep "$p" || fail "Depends lacks $p"
done
# No build-time package may be required at run time.
for p in $depends; do
    case "$p" in *-dev|cmake|ninja-build|build-essential|g++*) fail "Depends names the build package $p" ;; esac
done

step "maintainer scripts"
mkdir -p "$out/control"
dpkg-deb -e "$deb" "$out/control"
for s in postinst prerm postrm; do
    [ -x "$out/control/$s" ] || fail "control/$s is missing or not executable"
    sh -n "$out/control/$s" || fail "control/$s has a syntax error"
done
grep -qx /etc/pullwatch/pullwatch.conf "$out/control/conffiles" || fail "pullwatch.conf is not a conffile"
grep -q 'adduser --system' "$out/control/postinst" || fail "postinst does not create the system user"
grep -q 'daemon-reload' "$out/control/postinst" || fail "postinst does not reload systemd"

step "contents (dpkg-deb -c)"
dpkg-deb -c "$deb" | tee "$out/contents.txt"
# Every file of the package, with its mode: exactly these, nothing else.
expected="./etc/pullwatch/pullwatch.conf -rw-r--r--
./lib/systemd/system/pullwatch.service -rw-r--r--
./usr/bin/pullwatch -rwxr-xr-x
./usr/bin/pullwatch-kubesim -rwxr-xr-x
./usr/share/applications/pullwatch.desktop -rw-r--r--
./usr/share/icons/hicolor/scalable/apps/pullwatch.svg -rw-r--r--
./usr/share/man/man1/pullwatch-kubesim.1.gz -rw-r--r--
./usr/share/man/man1/pullwatch.1.gz -rw-r--r--"
actual=$(awk '$1 !~ /^d/ { print $6, $1 }' "$out/contents.txt" | sort)
if [ "$actual" != "$expected" ]; then
    diff <(echo "$expected") <(echo "$actual") || true
    fail "the package's files differ from the expected list (above: < expected, > packaged)"
fi
awk '{ print $2 }' "$out/contents.txt" | grep -vqx 'root/root' && fail "a file is not owned by root/root"

step "dpkg -x into $out/root"
dpkg -x "$deb" "$out/root"
root=$out/root
for b in pullwatch pullwatch-kubesim; do
    bin=$root/usr/bin/$b
    # Stripped (CPACK_STRIP_FILES), and every library it needs comes from the system.
    objdump -h "$bin" | grep -q '\.debug_info' && fail "$b is not stripped"
    if ldd "$bin" | grep -E 'not found|/work/|build'; then
        fail "$b needs a library that is not installed on the system (above)"
    fi
    # Each library linked is provided by a package listed in Depends.
    for lib in $(objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }'); do
        # "libX.so.N => /path (addr)", or for the loader "/lib64/ld-linux-x86-64.so.2 (addr)"
        path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 } $1 ~ ("/" l "$") { print $1 }' | head -1)
        [ -n "$path" ] || fail "$b: cannot resolve $lib"
        owner=""
        for candidate in "$path" "$(readlink -f "$path")" "${path/#\/usr\/lib\//\/lib\/}" \
                         "${path/#\/lib\//\/usr\/lib\/}"; do
            owner=$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1)
            [ -n "$owner" ] && break
        done
        [ -n "$owner" ] || fail "$b: $lib ($path) belongs to no package"
        has_dep "$owner" || fail "$b links $lib from $owner, which Depends does not name"
    done
done

step "desktop entry, icon, manual pages"
desktop=$root/usr/share/applications/pullwatch.desktop
for line in '[Desktop Entry]' 'Type=Application' 'Name=Pullwatch' 'Exec=pullwatch' 'Icon=pullwatch' \
            'Terminal=false'; do
    grep -qxF "$line" "$desktop" || fail "pullwatch.desktop lacks '$line'"
done
grep -qE '^Categories=.*;$' "$desktop" || fail "pullwatch.desktop has no Categories ending in ';'"
# Each check's tool is required (scripts/install-deps.sh): a missing one fails, never skips.
need() { command -v "$1" >/dev/null || fail "$1 is missing: install the Debian package $2 (scripts/install-deps.sh)"; }
need desktop-file-validate desktop-file-utils
need xmllint libxml2-utils
need groff groff-base
desktop-file-validate "$desktop" || fail "desktop-file-validate refused pullwatch.desktop"
icon=$root/usr/share/icons/hicolor/scalable/apps/pullwatch.svg
grep -q '<svg' "$icon" || fail "the icon is not SVG"
xmllint --noout "$icon" || fail "the icon is not well-formed XML"
for page in pullwatch pullwatch-kubesim; do
    gz=$root/usr/share/man/man1/$page.1.gz
    gzip -t "$gz" || fail "$page.1.gz is not gzip"
    zcat "$gz" | grep -q "^\.TH $(echo "$page" | tr a-z A-Z) 1 .*$version" \
        || fail "$page.1 has no .TH line with version $version"
    warnings=$(zcat "$gz" | groff -man -Tutf8 -ww -z 2>&1)
    [ -z "$warnings" ] || fail "$page.1: groff warns: $warnings"
done

echo "PASS: $deb"
