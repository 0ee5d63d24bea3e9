#!/usr/bin/env bash
# The Debian package, end to end on the real system: build it with CPack, check its contents
# (and lintian when installed), install it with dpkg, run the installed binary (--version,
# start it, /health, doctor reads /etc/cti-adapter/config.json, stop it), remove and purge it,
# and check that nothing it installed is left behind.
#
# The browser extension path (docs/BROWSER-EXTENSION.md): the native messaging host manifests for
# Chromium, Chrome, Edge and Firefox name the wrapper and the extension's IDs as
# installer/browser-extension/ gives them; the wrapper runs the installed binary's host, which
# relays a framed {"open": {"origin": ...}} to the running adapter; the unpacked extension and the
# example policies are installed; another program's host manifest in a shared folder survives.
# The browser policies: install-config writes them for the allowed origins, an upgrade's postinst
# keeps them, and removal's prerm takes away exactly those (docs/ADMIN.md, section 5.2).
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
for tool in dpkg dpkg-deb cpack curl flock python3 strings; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done

# Two runs at once would fight over the one dpkg database and the one /usr/bin/cti-adapter.
exec 9>/var/lock/cti-adapter-package-test.lock
flock 9

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
extension_source="$source_dir/installer/browser-extension"
extension_id=$(tr -d '[:space:]' <"$extension_source/EXTENSION_ID")
gecko_id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["browser_specific_settings"]["gecko"]["id"])' \
    "$extension_source/manifest.json")
host_name=org.cti_adapter.native_host
wrapper=/usr/lib/cti-adapter/native-host
chromium_host_dirs="/etc/chromium/native-messaging-hosts /etc/opt/chrome/native-messaging-hosts /etc/opt/edge/native-messaging-hosts"
firefox_host_dir=/usr/lib/mozilla/native-messaging-hosts
extension_dir=/usr/share/cti-adapter/browser-extension
examples_dir=/usr/share/doc/cti-adapter/examples/browser-extension
# Another program's host in a folder the package shares: dpkg must leave it, and the folder.
foreign_host=/etc/chromium/native-messaging-hosts/org.example.other_host.json
foreign_host_made=
foreign_dirs_made=

work=$(mktemp -d /tmp/cti-package-test-XXXXXX)
adapter_pid=
cleanup() {
    [ -n "$adapter_pid" ] && kill "$adapter_pid" 2>/dev/null && wait "$adapter_pid" 2>/dev/null
    dpkg --purge "$package" >/dev/null 2>&1 || true
    restore_unowned_dirs
    [ -n "$foreign_host_made" ] && rm -f "$foreign_host"
    for dir in $foreign_dirs_made; do rmdir "$dir" 2>/dev/null || true; done
    rm -rf "$work"
}
# A folder the package has that existed before but that no package has (here /etc/opt, made by
# hand or by a vendor's installer) is the package's too in dpkg's eyes: dpkg removes it at the
# purge if it is empty. The test puts such folders back as they were.
restore_unowned_dirs() {
    [ -f "$work/unowned-dirs" ] || return 0
    while read -r mode dir; do
        [ -e "$dir" ] || mkdir -m "$mode" "$dir"  # parents first: the list is in that order
    done <"$work/unowned-dirs"
}
trap cleanup EXIT

echo "== building the package"
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 \
    || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/out/${package}_"${version}"_*.deb)

# check_host_manifest FILE chromium|firefox: valid JSON that names the wrapper and exactly the
# extension's ID, in the key that browser reads.
check_host_manifest() {
    python3 - "$1" "$2" "$host_name" "$wrapper" "$extension_id" "$gecko_id" <<'PY' || fail "$1: the host manifest is wrong (above)"
import json, os, sys
path, family, name, wrapper, extension_id, gecko_id = sys.argv[1:]
with open(path, encoding="utf-8") as f:
    manifest = json.load(f)
expected = {"name": name, "path": wrapper, "type": "stdio"}
if family == "chromium":
    expected["allowed_origins"] = [f"chrome-extension://{extension_id}/"]
else:
    expected["allowed_extensions"] = [gecko_id]
problems = [f"{key}: {manifest.get(key)!r}, expected {value!r}" for key, value in expected.items()
            if manifest.get(key) != value]
if set(manifest) - set(expected) - {"description"}:
    problems.append(f"unexpected keys {sorted(set(manifest) - set(expected) - {'description'})}")
if not manifest.get("description"):
    problems.append("no description")
if os.path.basename(path) != name + ".json":
    problems.append("the file is not named after the host")
for problem in problems:
    print(f"{path}: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

# native_host_says ORIGIN COUNT: as a browser does, sends the installed wrapper a framed
# {"open": {"origin": ORIGIN}} (a 4-byte length in the machine's byte order, then the JSON),
# prints the first COUNT messages the host answers, one a line, and closes the channel.
# Fails unless the host then exits 0.
native_host_says() {
    timeout 20 python3 - "$wrapper" "$1" "$2" <<'PY'
import json, struct, subprocess, sys
wrapper, origin, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
host = subprocess.Popen([wrapper, "chrome-extension://test/"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
message = json.dumps({"open": {"origin": origin}}).encode()
host.stdin.write(struct.pack("=I", len(message)) + message)
host.stdin.flush()
for _ in range(count):
    header = host.stdout.read(4)
    if len(header) < 4:
        break
    print(host.stdout.read(struct.unpack("=I", header)[0]).decode())
host.stdin.close()
sys.exit(host.wait(timeout=10))
PY
}

echo "== checking its contents"
# "./usr/bin/" -> "/usr/bin", as dpkg -L writes paths.
dpkg-deb --contents "$deb" | awk '{print $6}' | sed -e 's|^\./|/|' -e 's|/$||' | grep . >"$work/contents"
for path in /usr/bin/cti-adapter /etc/cti-adapter/config.json /usr/lib/systemd/user/cti-adapter.service \
            /usr/share/man/man1/cti-adapter.1.gz /usr/share/doc/cti-adapter/copyright \
            /usr/share/doc/cti-adapter/changelog.gz /usr/share/doc/cti-adapter/ADMIN.md \
            /usr/share/doc/cti-adapter/BROWSER-EXTENSION.md "$wrapper" "$firefox_host_dir/$host_name.json" \
            "$extension_dir/manifest.json" "$examples_dir/chromium-chrome-edge.json" \
            "$examples_dir/firefox-policies.json" "$examples_dir/updates.xml" \
            $(for dir in $chromium_host_dirs; do echo "$dir/$host_name.json"; done); do
    grep -qx "$path" "$work/contents" || fail "$path is not in the package"
done
# Every guide the program's own messages point to (doctor's remedies, errors: "docs/TLS.md")
# is in the package, and the drivers' guides that TROUBLESHOOTING.md sends support to.
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/cti-adapter | strings | grep -oE 'docs/[A-Za-z_/-]+\.md' \
    | sort -u >"$work/named-docs"
[ -s "$work/named-docs" ] || fail "found no guide named in the program's messages: the check reads nothing"
for doc in $(sed 's|^docs/||' "$work/named-docs") drivers/sip.md drivers/baresip.md drivers/tapi.md; do
    grep -qx "/usr/share/doc/cti-adapter/$doc" "$work/contents" || fail "docs/$doc is named to users but not in the package"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles"
# Every file under /etc is a conffile: an edit (a store copy's ID added to a host) survives upgrades.
for conffile in /etc/cti-adapter/config.json $(for dir in $chromium_host_dirs; do echo "$dir/$host_name.json"; done); do
    grep -qx "$conffile" "$work/conffiles" || fail "$conffile is not a conffile"
done
dpkg-deb --field "$deb" Depends | grep -q libc6 || fail "no shared-library dependencies were worked out"
dpkg-deb --field "$deb" Depends | grep -q libssl3 || fail "the TLS build does not depend on libssl3"
# No private key may ever ship: each install makes its own (docs/TLS.md).
if grep -Ei '\.(key|p12|pfx)$' "$work/contents"; then fail "the package holds a key file (above)"; fi
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --one-top-level=files
if grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$work/files"; then
    fail "the package holds a PEM private key (above)"
fi
for dir in $chromium_host_dirs; do check_host_manifest "$work/files$dir/$host_name.json" chromium; done
check_host_manifest "$work/files$firefox_host_dir/$host_name.json" firefox
# The unpacked extension is installer/browser-extension/ but for EXTENSION_ID and the policies
# (those are examples, in the doc folder).
(cd "$extension_source" && find . -type f ! -name EXTENSION_ID ! -path './policies/*' | sort) >"$work/extension-expected"
(cd "$work/files$extension_dir" && find . -type f | sort) >"$work/extension-packaged"
diff "$work/extension-expected" "$work/extension-packaged" \
    || fail "the packaged extension is not installer/browser-extension/ (above: < missing, > extra)"

if command -v lintian >/dev/null; then
    echo "== lintian"
    # Its one override is for the Chrome and Edge host manifests under /etc/opt
    # (installer/linux/lintian-overrides); any other error or warning fails the test.
    lintian --fail-on error,warning --info "$deb" || fail "lintian found problems"
else
    echo "== lintian is not installed: its check is left out"
fi

if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    echo "== $package was installed before the test: purging it for a clean start"
    dpkg --purge "$package" >/dev/null
fi
if [ ! -e "$foreign_host" ]; then
    for dir in "${foreign_host%/*/*}" "${foreign_host%/*}"; do
        [ -d "$dir" ] || { mkdir -m 755 "$dir"; foreign_dirs_made="$dir $foreign_dirs_made"; }
    done
    foreign_host_made=1
    echo '{"name": "org.example.other_host", "path": "/bin/false", "type": "stdio", "allowed_origins": []}' >"$foreign_host"
fi
# What existed before (shared folders such as /usr/bin) may stay after the purge; nothing else.
while read -r path; do [ -e "$path" ] && echo "$path"; done <"$work/contents" >"$work/existed-before"
while read -r path; do
    [ -d "$path" ] && ! dpkg-query -S "$path" >/dev/null 2>&1 && echo "$(stat -c %a "$path") $path"
done <"$work/existed-before" >"$work/unowned-dirs"

echo "== installing"
dpkg -i "$deb" >"$work/dpkg-install.log" 2>&1 || { cat "$work/dpkg-install.log"; fail "dpkg -i failed"; }
dpkg -L "$package" >"$work/installed"

echo "== the native messaging host and the extension, as installed"
for dir in $chromium_host_dirs; do
    grep -qx "$dir/$host_name.json" "$work/installed" || fail "$dir/$host_name.json is not installed"
    check_host_manifest "$dir/$host_name.json" chromium
done
grep -qx "$firefox_host_dir/$host_name.json" "$work/installed" || fail "$firefox_host_dir/$host_name.json is not installed"
check_host_manifest "$firefox_host_dir/$host_name.json" firefox
{ [ -f "$wrapper" ] && [ -x "$wrapper" ]; } || fail "$wrapper is not an executable file"
[ "$(stat -c %a "$wrapper")" = 755 ] || fail "$wrapper is not mode 755"
head -n1 "$wrapper" | grep -qx '#!/bin/sh' || fail "$wrapper is not a POSIX sh script"
sh -n "$wrapper" || fail "$wrapper does not parse"
grep -qxF 'exec /usr/bin/cti-adapter native-host "$@"' "$wrapper" || fail "$wrapper does not exec the installed binary's host"
python3 -m json.tool "$extension_dir/manifest.json" >/dev/null || fail "$extension_dir/manifest.json is not JSON"
cmp -s "$extension_dir/manifest.json" "$extension_source/manifest.json" || fail "the installed extension's manifest.json differs"
[ -f "$foreign_host" ] || fail "installing removed another program's host manifest"

echo "== running the installed binary"
/usr/bin/cti-adapter --version | grep -qx "cti-adapter $version" || fail "--version does not say $version"
# Files with calls in them are the user's alone even when something the unit starts forgets to say so.
grep -qx 'UMask=0077' /usr/lib/systemd/user/cti-adapter.service || fail "the systemd user unit does not set UMask=0077"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/user/cti-adapter.service 2>"$work/verify.log" \
        || { cat "$work/verify.log"; fail "the systemd user unit does not verify"; }
fi
# A user of its own, in a scratch folder: the test leaves nothing in root's home.
home="$work/home"
mkdir -p "$home"
export HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
       XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"
# No adapter runs yet: the host, started through the wrapper, says so and exits 0.
native_host_says https://crm.example.com 1 >"$work/host-alone" || fail "the installed host failed without an adapter"
grep -q '^{"close":{"code":1006,' "$work/host-alone" || { cat "$work/host-alone"; fail "the host did not report that no adapter runs"; }
# The adapter checks the host's origin as it checks a page's: allow one, as IT would.
mkdir -p "$XDG_CONFIG_HOME/cti-adapter"
echo '{"allowed_origins": ["https://crm.example.com"]}' >"$XDG_CONFIG_HOME/cti-adapter/config.json"
mkfifo "$work/stdout"
/usr/bin/cti-adapter run --port 0 >"$work/stdout" 2>"$work/stderr" &
adapter_pid=$!
exec 3<"$work/stdout"
read -r -t 20 line <&3 || { cat "$work/stderr"; fail "the installed adapter did not start"; }
port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' <<<"$line")
[ -n "$port" ] || fail "unexpected first line: $line"
curl -fsS "http://127.0.0.1:$port/health" | grep -q '"status":"ok"' || fail "/health did not answer ok"
for file in "$XDG_STATE_HOME/cti-adapter/cti-adapter.log" "$XDG_DATA_HOME/cti-adapter/call-log.sqlite3"; do
    [ "$(stat -c %a "$file")" = 600 ] || fail "$file is mode $(stat -c %a "$file"), not 600"
done
echo "== a channel through the installed native messaging host"
native_host_says https://crm.example.com 2 >"$work/host-open" || { cat "$work/host-open"; fail "the installed host failed"; }
[ "$(sed -n 1p "$work/host-open")" = '{"open":{}}' ] || { cat "$work/host-open"; fail "the adapter did not accept the channel"; }
sed -n 2p "$work/host-open" | python3 -c 'import json, sys; sys.exit(json.loads(json.load(sys.stdin)["frame"])["type"] != "hello")' \
    || { cat "$work/host-open"; fail "the adapter's hello did not come through the host"; }
native_host_says https://other.example.com 1 >"$work/host-refused" || fail "the installed host failed"
grep -q '^{"close":{"code":4403,' "$work/host-refused" || { cat "$work/host-refused"; fail "an origin the adapter does not allow was not refused"; }
/usr/bin/cti-adapter doctor --json >"$work/doctor.json" || true  # not running as a service: a check fails
grep -q '"path": "/etc/cti-adapter/config.json"' "$work/doctor.json" || fail "doctor does not name the machine config"
kill -TERM "$adapter_pid"
wait "$adapter_pid" || fail "the adapter did not stop cleanly"
adapter_pid=

echo "== the browser policies for the allowed origins (postinst, an upgrade, prerm)"
policy=/etc/chromium/policies/managed/cti-adapter.json
firefox_policies=/etc/firefox/policies/policies.json
[ ! -e "$policy" ] || fail "$policy was written while the config allows no origin"
# IT sets the origins with install-config (the MSI's way too); it writes the policies at once.
/usr/bin/cti-adapter install-config --allowed-origins https://crm.example.com >"$work/install-config.log" \
    || { cat "$work/install-config.log"; fail "install-config failed"; }
python3 - "$policy" <<'PY' || { cat "$work/install-config.log"; fail "$policy does not pre-approve the origin"; }
import json, sys
policy = json.load(open(sys.argv[1]))
sys.exit(policy != {"LocalNetworkAccessAllowedForUrls": ["https://crm.example.com"],
                    "LocalNetworkAccessPermissionsPolicyDefaultEnabled": True})
PY
[ "$(stat -c %a "$policy")" = 644 ] || fail "$policy is not mode 644"
grep -q '"crm.example.com"' "$firefox_policies" || fail "$firefox_policies does not skip crm.example.com"
# An upgrade (the same package again): prerm upgrade keeps them, postinst brings them in step.
dpkg -i "$deb" >"$work/dpkg-upgrade.log" 2>&1 || { cat "$work/dpkg-upgrade.log"; fail "reinstalling failed"; }
grep -q "browser policy written: Chromium: $policy" "$work/dpkg-upgrade.log" \
    || { cat "$work/dpkg-upgrade.log"; fail "postinst did not write the browser policies"; }
[ -f "$policy" ] || fail "an upgrade lost $policy"

echo "== removing"
dpkg -r "$package" >/dev/null
# prerm took away exactly what install-config wrote, and its record.
[ ! -e "$policy" ] || fail "$policy is left after remove"
[ ! -e /etc/cti-adapter/browser-policies.json ] || fail "the record of the browser policies is left after remove"
for dir in /etc/opt/chrome/policies /etc/opt/edge/policies; do
    [ ! -e "$dir" ] || fail "$dir (made by install-config) is left after remove"
done
if [ -e "$firefox_policies" ] && grep -q '"crm.example.com"' "$firefox_policies"; then
    fail "$firefox_policies still skips crm.example.com after remove"
fi
[ ! -e /usr/bin/cti-adapter ] || fail "/usr/bin/cti-adapter is left after remove"
[ -e /etc/cti-adapter/config.json ] || fail "remove (not purge) must keep the conffile"
for path in "$wrapper" "$firefox_host_dir/$host_name.json" "$extension_dir"; do
    [ ! -e "$path" ] || fail "$path is left after remove"
done
dpkg --purge "$package" >"$work/dpkg-purge.log" 2>&1 || { cat "$work/dpkg-purge.log"; fail "dpkg --purge failed"; }
[ ! -e /etc/cti-adapter ] || fail "/etc/cti-adapter is left after purge"
for dir in $chromium_host_dirs; do
    [ ! -e "$dir/$host_name.json" ] || fail "$dir/$host_name.json is left after purge"
done
# dpkg removes a folder that no other package has once it is empty: the one holding another
# program's host stays, and so does that host.
[ -f "$foreign_host" ] || fail "purging removed another program's host manifest"
while read -r _ dir; do
    [ -e "$dir" ] || echo "note: dpkg removed $dir at the purge (it existed before, empty, no package's); put back"
done <"$work/unowned-dirs"
restore_unowned_dirs

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
