#!/usr/bin/env bash
# The Windows installer, as IT uses it, under wine in a throw-away prefix:
#   silent install with PORT / ALLOWED_ORIGINS / DRIVER -> the machine config holds them and the
#   logon Run value is set, and the browsers' local-network-access policies name the origin; the
#   installed exe serves /health, a WebSocket client gets `hello`, origins outside the allow-list
#   are refused, a second instance cannot take the port; the native messaging host is registered
#   for each browser and relays an extension's channel over this user's named pipe; an upgrade
#   installs over it; a bad PORT fails the install; uninstall removes files, config, Run value,
#   the host's registrations and the policies it wrote.
#
#   msi_under_wine.sh MSI WINDOWS_BIN_DIR LINUX_ADAPTER
# (WINDOWS_BIN_DIR holds the executables and the copy of cti-adapter.wxs the MSI was built from:
# the upgrade's MSI is built from it with wixl; LINUX_ADAPTER is this platform's cti-adapter,
# whose `status` is the WebSocket client.)
set -euo pipefail

msi=$1 windows_bin=$2 linux_adapter=$3
wine=${WINE64:-/usr/lib/wine/wine64}
wineserver=${WINESERVER:-/usr/lib/wine/wineserver}
allowed_origin=https://acme.my.salesforce.com

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cti-wine-XXXXXX")
export WINEPREFIX=$scratch/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
adapter_pid=
cleanup() {
    [[ -n $adapter_pid ]] && kill "$adapter_pid" 2>/dev/null && wait "$adapter_pid" 2>/dev/null
    "$wineserver" -k 2>/dev/null || true
    "$wineserver" -w 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

passed=0
check() {  # check "what" command...
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok: $what"
    else
        echo "FAIL: $what"
        echo "machine config now: $(cat "$machine_config" 2>&1)"
        echo "0 passed, 1 failed"
        exit 1
    fi
}
program_files=$WINEPREFIX/drive_c/Program\ Files/cti-adapter
machine_config=$WINEPREFIX/drive_c/ProgramData/cti-adapter/config.json
config_has() { grep -q -- "$1" "$machine_config"; }
run_value_set() { "$wine" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Run' /v cti-adapter >/dev/null 2>&1; }
run_value_gone() { ! run_value_set; }
# The browser policies install-config writes from ALLOWED_ORIGINS (docs/ADMIN.md, section 5.2).
chrome_policies='HKLM\SOFTWARE\Policies\Google\Chrome'
firefox_skip_domains='HKLM\SOFTWARE\Policies\Mozilla\Firefox\LocalNetworkAccess\SkipDomains'
registry_has() {  # registry_has KEY TEXT: `reg query KEY` lists a value holding TEXT
    "$wine" reg query "$1" 2>/dev/null | tr -d '\r' | grep -qF -- "$2"
}
chrome_allows_origin() { registry_has "$chrome_policies\LocalNetworkAccessAllowedForUrls" "REG_SZ    $allowed_origin"; }
chrome_frames_enabled() {
    "$wine" reg query "$chrome_policies" /v LocalNetworkAccessPermissionsPolicyDefaultEnabled 2>/dev/null | tr -d '\r' \
        | grep -qE 'REG_DWORD +0x0*1$'
}
firefox_skips_host() { registry_has "$firefox_skip_domains" "${allowed_origin#https://}"; }
# Where Chrome, Edge, Chromium and Firefox look for the native messaging host (docs/BROWSER-EXTENSION.md).
native_host_keys=('HKLM\Software\Google\Chrome\NativeMessagingHosts\org.cti_adapter.native_host'
                  'HKLM\Software\Microsoft\Edge\NativeMessagingHosts\org.cti_adapter.native_host'
                  'HKLM\Software\Chromium\NativeMessagingHosts\org.cti_adapter.native_host'
                  'HKLM\Software\Mozilla\NativeMessagingHosts\org.cti_adapter.native_host')
native_host_registered() {
    local key manifest
    for key in "${native_host_keys[@]}"; do
        manifest=chromium; [[ $key == *Mozilla* ]] && manifest=firefox
        registry_has "$key" "cti-adapter\org.cti_adapter.native_host.$manifest.json" || { echo "not registered: $key"; return 1; }
    done
}
native_host_unregistered() {
    local key
    for key in "${native_host_keys[@]}"; do
        ! "$wine" reg query "$key" >/dev/null 2>&1 || { echo "still registered: $key"; return 1; }
    done
}
policies_gone() {
    ! "$wine" reg query "$chrome_policies\LocalNetworkAccessAllowedForUrls" >/dev/null 2>&1 &&
    ! "$wine" reg query "$firefox_skip_domains" >/dev/null 2>&1 &&
    ! "$wine" reg query "$chrome_policies" /v LocalNetworkAccessPermissionsPolicyDefaultEnabled >/dev/null 2>&1
}

# A port nobody holds now: the kernel picks it; the adapter must then get exactly this one.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$wine" wineboot --init >/dev/null 2>&1
check "silent install with properties" \
    "$wine" msiexec /i "$msi" /qn PORT="$port" ALLOWED_ORIGINS="$allowed_origin" DRIVER=simulator
check "the exe is under Program Files" test -f "$program_files/cti-adapter.exe"
check "the logon exe is under Program Files" test -f "$program_files/cti-adapterw.exe"
check "the machine config holds PORT" config_has "\"port\": $port"
check "the machine config holds ALLOWED_ORIGINS" config_has "\"$allowed_origin\""
check "the machine config holds DRIVER" config_has '"driver": "simulator"'
check "the Run value starts the adapter at logon" run_value_set
check "Chrome's policy pre-approves ALLOWED_ORIGINS for local network access" chrome_allows_origin
check "Chrome's policy lets a framed softphone use it" chrome_frames_enabled
check "Firefox's policy skips the local network checks for its host" firefox_skips_host
check "the native messaging host is installed with its manifests" \
    test -f "$program_files/cti-adapter-native-host.exe" -a -f "$program_files/org.cti_adapter.native_host.chromium.json" \
         -a -f "$program_files/org.cti_adapter.native_host.firefox.json"
check "the native messaging host is registered for Chrome, Edge, Chromium and Firefox" native_host_registered

# The installed program with `config` (a Windows path); its first line says where it listens.
start_adapter() {
    exec {adapter_out}< <(exec "$wine" "$program_files/cti-adapter.exe" run --config "$1" 2>&1)
    adapter_pid=$!
    listening=
    while IFS= read -r -t 120 line <&"$adapter_out"; do
        line=${line%$'\r'}  # a Windows program's lines end in CR LF
        echo "adapter: $line"
        # The program's own line on stdout (the log's "[info] listening on ..." comes first).
        if [[ $line == "cti-adapter listening on "* ]]; then listening=$line; break; fi
    done
}
# Ends the adapter (and every other process of this prefix) the way Windows' shutdown would.
stop_adapter() {
    "$wineserver" -k; wait "$adapter_pid" 2>/dev/null || true; adapter_pid=
    exec {adapter_out}<&-
}
# The adapter's next line that holds `text`, within 60 s.
adapter_says() {
    local line
    while IFS= read -r -t 60 line <&"$adapter_out"; do
        echo "adapter: ${line%$'\r'}"
        [[ $line == *"$1"* ]] && return 0
    done
    return 1
}

# same_user_only, as installed: a Windows program of this user is served. A Linux program
# outside wine (curl) owns no Windows process, so the adapter cannot tell its user and refuses
# it before any HTTP, as it would refuse another user's.
start_adapter 'C:\ProgramData\cti-adapter\config.json'
check "the installed exe listens on PORT" test "$listening" = "cti-adapter listening on http://127.0.0.1:$port/"
check "a program of the same Windows user is served (cti-adapter.exe status)" \
    "$wine" "$program_files/cti-adapter.exe" status --port "$port"
unanswered() { [[ $(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health") == 000 ]]; }
check "a connection whose Windows user cannot be told is closed unanswered (same_user_only)" unanswered
check "... and the refusal is logged" adapter_says "refused a connection to port $port from a process whose user cannot be told"
stop_adapter

# The rest is driven from Linux, so with same_user_only off in a config of the test's own.
test_config=$WINEPREFIX/drive_c/ProgramData/cti-adapter-test.json
printf '{"port": %s, "allowed_origins": ["%s"], "driver": "simulator", "same_user_only": false}\n' \
    "$port" "$allowed_origin" > "$test_config"
start_adapter 'C:\ProgramData\cti-adapter-test.json'
check "the installed exe listens on PORT again" test "$listening" = "cti-adapter listening on http://127.0.0.1:$port/"
check "/health answers" curl -fsS --max-time 30 -o /dev/null "http://127.0.0.1:$port/health"
check "a WebSocket client gets hello (cti-adapter status)" \
    "$linux_adapter" status --port "$port"
refused_origin() {
    local code
    code=$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example.com' \
           -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
           -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "http://127.0.0.1:$port/ws")
    [[ $code == 403 ]]
}
check "an origin outside ALLOWED_ORIGINS is refused" refused_origin
# The browser's side of native messaging, played by a script: the host reaches the adapter over
# its named pipe, which only this user may open.
native_channel="$(dirname "$0")/native_host_channel.py"
check "the native messaging host opens a channel for ALLOWED_ORIGINS: hello over the named pipe" \
    python3 "$native_channel" "$allowed_origin" hello -- "$wine" "$program_files/cti-adapter-native-host.exe"
check "the native messaging host's channel for another origin is closed with 4403" \
    python3 "$native_channel" https://evil.example.com 4403 -- "$wine" "$program_files/cti-adapter-native-host.exe"
second_instance_refused() {
    local output status=0
    output=$("$wine" "$program_files/cti-adapter.exe" run --port "$port" 2>&1) || status=$?
    echo "$output" | sed 's/^/second instance: /'
    [[ $status == 4 && $output == *"port $port: in use by another program"* ]]
}
check "a second instance cannot take the port (SO_EXCLUSIVEADDRUSE)" second_instance_refused
stop_adapter

# An upgrade: the same product, a higher version. (That it keeps the config without
# properties cannot be seen here: wine's msi does not set UPGRADINGPRODUCTCODE for the version it
# removes, so the old version's uninstall step deletes the config; docs/WINDOWS.md, section 5.)
wixl --arch x64 -D Version=99.0.0 -o "$scratch/upgrade.msi" "$windows_bin/cti-adapter.wxs"
check "silent upgrade with properties" \
    "$wine" msiexec /i "$scratch/upgrade.msi" /qn PORT="$port" ALLOWED_ORIGINS="$allowed_origin"
check "the upgraded exe is under Program Files" test -f "$program_files/cti-adapter.exe"
check "the upgrade wrote PORT" config_has "\"port\": $port"
check "the upgrade wrote ALLOWED_ORIGINS" config_has "\"$allowed_origin\""
check "the Run value survived the upgrade" run_value_set

check "a bad PORT fails the install" bash -c "! '$wine' msiexec /i '$scratch/upgrade.msi' /qn PORT=notaport REINSTALL=ALL REINSTALLMODE=vomus"
check "a failed install leaves the config alone" config_has "\"port\": $port"

check "silent uninstall" "$wine" msiexec /x "$scratch/upgrade.msi" /qn
check "uninstall removed Program Files\\cti-adapter" test ! -e "$program_files"
check "uninstall removed the machine config and its folder" test ! -e "$(dirname "$machine_config")"
check "uninstall removed the Run value" run_value_gone
check "uninstall removed the native messaging host's registrations" native_host_unregistered
check "uninstall took away the browser policies it wrote" policies_gone
echo "$passed passed, 0 failed"
