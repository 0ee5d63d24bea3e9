#!/usr/bin/env bash
# The Debian package, end to end on the real system: build it with CPack, check its contents
# (and lintian when installed), install it with dpkg, run the installed binary (--version,
# start it, /health, doctor reads /etc/cti-adapter/config.json, stop it), remove and purge it,
# and check that nothing it installed is left behind.
#
#   deb_package_test.sh BUILD_DIR VERSION
#
# Exits 77 (ctest's SKIP_RETURN_CODE) when not root or without dpkg: it installs into the system.
set -euo pipefail

build_dir="$1"
version="$2"
package=cti-adapter

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
for tool in dpkg dpkg-deb cpack curl flock; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done

# Two runs at once would fight over the one dpkg database and the one /usr/bin/cti-adapter.
exec 9>/var/lock/cti-adapter-package-test.lock
flock 9

work=$(mktemp -d /tmp/cti-package-test-XXXXXX)
adapter_pid=
cleanup() {
    [ -n "$adapter_pid" ] && kill "$adapter_pid" 2>/dev/null && wait "$adapter_pid" 2>/dev/null
    dpkg --purge "$package" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== building the package"
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/out/${package}_"${version}"_*.deb)

echo "== checking its contents"
# "./usr/bin/" -> "/usr/bin", as dpkg -L writes paths.
dpkg-deb --contents "$deb" | awk '{print $6}' | sed -e 's|^\./|/|' -e 's|/$||' | grep . >"$work/contents"
for path in /usr/bin/cti-adapter /etc/cti-adapter/config.json /usr/lib/systemd/user/cti-adapter.service \
            /usr/share/man/man1/cti-adapter.1.gz /usr/share/doc/cti-adapter/copyright \
            /usr/share/doc/cti-adapter/changelog.gz /usr/share/doc/cti-adapter/ADMIN.md; do
    grep -qx "$path" "$work/contents" || fail "$path is not in the package"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/cti-adapter/config.json \
    || fail "/etc/cti-adapter/config.json is not a conffile"
dpkg-deb --field "$deb" Depends | grep -q libc6 || fail "no shared-library dependencies were worked out"
dpkg-deb --field "$deb" Depends | grep -q libssl3 || fail "the TLS build does not depend on libssl3"
# No private key may ever ship: each install makes its own (docs/TLS.md).
if grep -Ei '\.(key|p12|pfx)$' "$work/contents"; then fail "the package holds a key file (above)"; fi
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --one-top-level=files
if grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$work/files"; then
    fail "the package holds a PEM private key (above)"
fi

if command -v lintian >/dev/null; then
    echo "== lintian"
    # The package needs no overrides; any error or warning fails the test.
    lintian --fail-on error,warning --info "$deb" || fail "lintian found problems"
else
    echo "== lintian is not installed: its check is left out"
fi

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    echo "== $package was installed before the test: purging it for a clean start"
    dpkg --purge "$package" >/dev/null
fi
# What existed before (shared folders such as /usr/bin) may stay after the purge; nothing else.
while read -r path; do [ -e "$path" ] && echo "$path"; done <"$work/contents" >"$work/existed-before"

echo "== installing"
dpkg -i "$deb" >"$work/dpkg-install.log" 2>&1 || { cat "$work/dpkg-install.log"; fail "dpkg -i failed"; }
dpkg -L "$package" >"$work/installed"

echo "== running the installed binary"
/usr/bin/cti-adapter --version | grep -qx "cti-adapter $version" || fail "--version does not say $version"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/user/cti-adapter.service 2>"$work/verify.log" \
        || { cat "$work/verify.log"; fail "the systemd user unit does not verify"; }
fi
# A user of its own, in a scratch folder: the test leaves nothing in root's home.
home="$work/home"
mkdir -p "$home"
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
       XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime"
mkfifo "$work/stdout"
/usr/bin/cti-adapter run --port 0 >"$work/stdout" 2>"$work/stderr" &
adapter_pid=$!
exec 3<"$work/stdout"
read -r -t 20 line <&3 || { cat "$work/stderr"; fail "the installed adapter did not start"; }
port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' <<<"$line")
[ -n "$port" ] || fail "unexpected first line: $line"
curl -fsS "http://127.0.0.1:$port/health" | grep -q '"status":"ok"' || fail "/health did not answer ok"
/usr/bin/cti-adapter doctor --json >"$work/doctor.json" || true  # not running as a service: a check fails
grep -q '"path": "/etc/cti-adapter/config.json"' "$work/doctor.json" || fail "doctor does not name the machine config"
kill -TERM "$adapter_pid"
wait "$adapter_pid" || fail "the adapter did not stop cleanly"
adapter_pid=

echo "== removing"
dpkg -r "$package" >/dev/null
[ ! -e /usr/bin/cti-adapter ] || fail "/usr/bin/cti-adapter is left after remove"
[ -e /etc/cti-adapter/config.json ] || fail "remove (not purge) must keep the conffile"
dpkg --purge "$package" >/dev/null
[ ! -e /etc/cti-adapter ] || fail "/etc/cti-adapter is left after purge"

echo "== checking that nothing is left behind"
left=0
while read -r path; do
    [ -e "$path" ] || continue
    grep -qx "$path" "$work/existed-before" && continue
    echo "left behind: $path" >&2
    left=1
done <"$work/installed"
[ "$left" -eq 0 ] || fail "files of the package are left after purge"
echo "PASS"
