#!/usr/bin/env bash
# Set up a Debian 12 machine for cti-adapter, build it, and run it or its tests.
#
#   installer/dev.sh run     install what is missing, build, run the adapter on its simulator
#   installer/dev.sh test    install what is missing, build with warnings as errors, run every test,
#                            then fuzz each parser briefly (CTI_FUZZ_SECONDS a target, default 10; 0 = skip;
#                            CTI_FUZZ_SEED, default 1, so a failure repeats)
#   installer/dev.sh asan    the same tests in an AddressSanitizer + UBSan build
#   installer/dev.sh tsan    the same tests in a ThreadSanitizer build
#   installer/dev.sh windows cross-build the Windows exe and MSI, and test the MSI under wine
#
# Runs as root, or as a user with sudo (only apt-get needs it).
set -euo pipefail
cd "$(dirname "$0")/.."
# Paths inside the checkout are hashed relative to it, so another clone reuses the cache.
export CCACHE_BASEDIR="$PWD"

mode="${1:-}"
case "$mode" in
    run|test|asan|tsan|windows) ;;
    *) echo "usage: installer/dev.sh run|test|asan|tsan|windows" >&2; exit 2 ;;
esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build_packages=(cmake ninja-build g++ ccache pkg-config libboost-dev nlohmann-json3-dev libspdlog-dev
                libfmt-dev libcli11-dev catch2 libsqlite3-dev libexpected-dev)
# Real telephony peers for the driver conformance suite, and the SIP/XML libraries.
build_packages+=(libosip2-dev libpugixml-dev)
# OpenSSL: random pairing tokens and their SHA-256, and the optional wss:// (docs/TLS.md).
build_packages+=(libssl-dev)
test_packages=(chromium curl sip-tester baresip-core kamailio kamailio-presence-modules)
# installer/salesforce/package.sh zips the static resource; the tests check its XML with xmllint.
test_packages+=(zip libxml2-utils)
# libFuzzer and the sanitizer runtimes for fuzz/run.sh.
test_packages+=(clang libclang-rt-14-dev)
# The Debian package test: dpkg-shlibdeps works out its dependencies, lintian checks it.
test_packages+=(dpkg-dev lintian)
# The Windows build (docs/WINDOWS.md): the mingw-w64 cross compiler, dpkg-dev + tcl to make
# SQLite's amalgamation from Debian's source package, wixl for the MSI, wine64 to test it.
windows_packages=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix dpkg-dev tcl xz-utils wixl
                  wine64 curl python3)

install_missing() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "== installing: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

install_node() {
    # The browser tests need Node.js 20 or newer with npm; use the machine's if it has one.
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        install_missing nodejs npm
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        echo "Node.js $(node --version) is too old for the browser tests (20 or newer is needed)." >&2
        exit 1
    fi
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    # The benchmark's second peer (docs/PERFORMANCE.md), which `ctest -R bench` also runs.
    (cd bench/node_forwarder && npm ci --no-audit --no-fund --loglevel=error)
}

build() {
    local preset="$1"
    shift
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" "$@"
}

install_missing "${build_packages[@]}"
case "$mode" in
    run)
        build release --target cti-adapter
        echo
        echo "== Open the URL printed below; make the simulator ring from another terminal with:"
        echo "   build/release/adapter/cti-adapter simulate incoming +14155550123 --name \"Ada Lovelace\""
        echo "== Stop the adapter with Ctrl+C."
        echo
        exec build/release/adapter/cti-adapter run
        ;;
    test|asan|tsan)
        install_missing "${test_packages[@]}"
        install_node
        preset=$([ "$mode" = test ] && echo ci || echo "$mode")
        cmake --preset "$preset" -DCTI_WINDOWS_TESTS= >/dev/null  # the wine test is `windows`'s
        build "$preset"
        ctest --preset "$preset" --parallel 2
        # Every corpus was replayed by ctest; now fuzz each parser briefly for new inputs.
        if [ "$mode" = test ] && [ "${CTI_FUZZ_SECONDS:-10}" -gt 0 ]; then
            CTI_FUZZ_SEED="${CTI_FUZZ_SEED:-1}" fuzz/run.sh "${CTI_FUZZ_SECONDS:-10}"
        fi
        ;;
    windows)
        # After `test` in .ci/run: the mingw-w64 build and the MSI under wine (docs/WINDOWS.md).
        install_missing "${windows_packages[@]}"
        build windows
        cmake --preset ci -DCTI_WINDOWS_TESTS="$PWD/build/windows" >/dev/null
        cmake --build --preset ci --target cti-adapter
        ctest --preset ci -R '^windows:'
        ;;
esac
