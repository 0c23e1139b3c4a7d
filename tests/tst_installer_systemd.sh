#!/usr/bin/env bash
# `systemd-analyze verify` accepts the packaged unit, and its hardening keeps the
# exposure score of `systemd-analyze security` at "OK" (<= 2.0 of 10).
#   tst_installer_systemd.sh ROOT   (ROOT: the package extracted by tst_installer_package.sh)
set -eu

root=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null \
    || fail "systemd-analyze is missing: install the Debian package systemd (scripts/install-deps.sh)"
unit=$root/lib/systemd/system/pullwatch.service
[ -f "$unit" ] || fail "$unit is missing: did installer_package run?"

# The unit names /usr/bin/pullwatch, which is not installed here: verify a copy whose
# ExecStart points at the binary extracted from the package (verify checks that it is
# executable), and look the Documentation= man page up in the extracted root.
check=$root/../systemd-check
rm -rf "$check"
mkdir -p "$check"
sed "s|^ExecStart=/usr/bin/pullwatch |ExecStart=$root/usr/bin/pullwatch |" "$unit" >"$check/pullwatch.service"
grep -q "^ExecStart=$root/usr/bin/pullwatch --headless --config /etc/pullwatch/pullwatch.conf\$" \
    "$check/pullwatch.service" || fail "ExecStart is not 'pullwatch --headless --config /etc/pullwatch/pullwatch.conf'"

echo "--- systemd-analyze verify"
out=$(MANPATH=$root/usr/share/man SYSTEMD_LOG_LEVEL=notice \
      systemd-analyze verify --man=yes "$check/pullwatch.service" 2>&1) || {
    echo "$out"
    fail "systemd-analyze verify refused the unit"
}
# verify exits 0 on some warnings; any line about our unit is a finding.
if grep -i 'pullwatch' <<<"$out"; then
    fail "systemd-analyze verify warned about the unit (above)"
fi

echo "--- the settings the service depends on"
for line in User=pullwatch StateDirectory=pullwatch NoNewPrivileges=yes ProtectSystem=strict \
            ProtectHome=yes PrivateTmp=yes PrivateDevices=yes ProtectKernelTunables=yes \
            ProtectKernelModules=yes ProtectControlGroups=yes \
            'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' RestrictNamespaces=yes \
            LockPersonality=yes MemoryDenyWriteExecute=yes SystemCallFilter=@system-service \
            CapabilityBoundingSet= AmbientCapabilities= WantedBy=multi-user.target LimitNOFILE=65536; do
    grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
done

echo "--- systemd-analyze security"
systemd-analyze security --offline=yes --no-pager "$check/pullwatch.service" >"$check/security.txt" 2>&1 || true
grep 'Overall exposure level' "$check/security.txt" || { cat "$check/security.txt"; fail "no exposure level"; }
# --threshold=20: fails above an exposure of 2.0.
systemd-analyze security --offline=yes --threshold=20 "$check/pullwatch.service" >/dev/null 2>&1 || {
    grep '✗' "$check/security.txt" || true
    fail "the unit's exposure is above 2.0"
}
echo "PASS"
