#!/bin/sh
# Builds the release adapter and the benchmark, runs it, prints the tables and writes them into
# docs/PERFORMANCE.md. Extra arguments go to cti_bench (e.g. --quick; see --help).
# A full run takes about 20 minutes (10,000 calls with 1, 100 and 1,000 pages); --quick a couple.
# Run it on a machine that is otherwise as quiet as possible.
# CTI_BENCH_PRESET=ci uses the ci preset's build (see build_and_run.sh).
set -eu
# The second peer, the Node.js `ws` forwarder, runs from its folder with the locked `ws`.
# Without npm the benchmark runs without it, and says so.
if command -v npm >/dev/null; then
    (cd "$(dirname "$0")/node_forwarder" && npm ci --no-audit --no-fund --silent)
else
    echo "bench/run.sh: no npm, so no ws for the Node.js forwarder; it is not measured" >&2
fi
exec "$(dirname "$0")/build_and_run.sh" docs/PERFORMANCE.md "bench/run.sh${*:+ $*}" "$@"
