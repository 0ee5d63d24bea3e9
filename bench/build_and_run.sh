#!/bin/sh
# What run.sh and soak.sh share: builds the release adapter and the benchmark, then runs
# cti_bench with ARGS, its report written into REPORT (a document under docs/) and headed by the
# commit measured and SHOWN_COMMAND. Usage: bench/build_and_run.sh REPORT SHOWN_COMMAND [ARGS...]
set -eu
cd "$(dirname "$0")/.."
report=$1
shown=$2
shift 2
export CCACHE_BASEDIR="$PWD"
cmake --preset release -DCTI_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target cti-adapter lower_bound_server cti_bench
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null | grep -v '^?? ' | grep -v "$report" || true)" ]; then
    commit="$commit (with local changes)"
fi
exec build/release/bench/cti_bench --output "$report" --commit "$commit" --command "$shown" "$@"
