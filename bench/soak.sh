#!/bin/sh
# The soak (docs/SOAK.md): builds the release adapter and the benchmark, then runs calls through
# the SIP driver for MINUTES minutes (default 10) with 100 pages connected, samples the adapter's
# memory, and writes the result into docs/SOAK.md. Exits non-zero if an event was lost or
# reordered, a page was closed, a call did not pop, or the adapter logged an error.
# Extra arguments go to cti_bench (e.g. --soak-clients 200 --soak-rate 20).
# Usage: bench/soak.sh [MINUTES] [ARGS...]
set -eu
minutes=${1:-10}
[ $# -gt 0 ] && shift
exec "$(dirname "$0")/build_and_run.sh" docs/SOAK.md "bench/soak.sh $minutes${*:+ $*}" \
    --soak-seconds "$((minutes * 60))" "$@"
