#!/bin/sh
# Builds the release adapter and the benchmark, runs it, prints the tables and writes them into
# docs/PERFORMANCE.md. Extra arguments go to cti_bench (e.g. --quick; see --help).
# A full run takes a few minutes; run it on a machine that is otherwise as quiet as possible.
set -eu
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
cmake --preset release -DCTI_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target cti-adapter lower_bound_server cti_bench
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^?? ' | grep -v 'docs/PERFORMANCE.md' || true)" ]; then
    commit="$commit (with local changes)"
fi
exec build/release/bench/cti_bench --output docs/PERFORMANCE.md --commit "$commit" \
    --command "bench/run.sh${*:+ $*}" "$@"
