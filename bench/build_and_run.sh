#!/bin/sh
# What run.sh and soak.sh share: builds the release adapter and the benchmark, then runs
# cti_bench with ARGS, its report written into REPORT (a document under docs/) and headed by the
# commit measured and SHOWN_COMMAND. Usage: bench/build_and_run.sh REPORT SHOWN_COMMAND [ARGS...]
# CTI_BENCH_PRESET=ci uses the ci preset's build instead (the same optimised code, built with
# -Werror), so that a machine that has just built it need not build the release preset too.
set -eu
cd "$(dirname "$0")/.."
report=$1
shown=$2
shift 2
export CCACHE_BASEDIR="$PWD"
preset="${CTI_BENCH_PRESET:-release}"
case "$preset" in
    release|ci) ;;
    *) echo "CTI_BENCH_PRESET must be release or ci (an optimised build), not '$preset'" >&2; exit 2 ;;
esac
cmake --preset "$preset" -DCTI_BUILD_BENCH=ON >/dev/null
cmake --build --preset "$preset" --target cti-adapter lower_bound_server cti_bench
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^?? ' | grep -v "$report" || true)" ]; then
    commit="$commit (with local changes)"
fi
exec "build/$preset/bench/cti_bench" --output "$report" --commit "$commit" \
    --command "${CTI_BENCH_PRESET:+CTI_BENCH_PRESET=$preset }$shown" "$@"
