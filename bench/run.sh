#!/bin/sh
# Builds the release adapter and the benchmark, runs it, prints the tables and writes them into
# docs/PERFORMANCE.md. Extra arguments go to cti_bench (e.g. --quick; see --help).
# A full run takes a few minutes; run it on a machine that is otherwise as quiet as possible.
# CTI_BENCH_PRESET=ci uses the ci preset's build instead (the same optimised code, built with
# -Werror), so that a machine that has just built it need not build the release preset too.
set -eu
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"
preset="${CTI_BENCH_PRESET:-release}"
case "$preset" in
    release|ci) ;;
    *) echo "CTI_BENCH_PRESET must be release or ci (an optimised build), not '$preset'" >&2; exit 2 ;;
esac
cmake --preset "$preset" -DCTI_BUILD_BENCH=ON >/dev/null
cmake --build --preset "$preset" --target cti-adapter lower_bound_server cti_bench
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^?? ' | grep -v 'docs/PERFORMANCE.md' || true)" ]; then
    commit="$commit (with local changes)"
fi
exec "build/$preset/bench/cti_bench" --output docs/PERFORMANCE.md --commit "$commit" \
    --command "${CTI_BENCH_PRESET:+CTI_BENCH_PRESET=$preset }bench/run.sh${*:+ $*}" "$@"
