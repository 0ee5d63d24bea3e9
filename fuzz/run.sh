#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and fuzzes each for a while.
#
#   fuzz/run.sh [SECONDS] [TARGET...]    default: 60 seconds each, every target
#
# Each target starts from its seed corpus in fuzz/corpus/<target>; new inputs go to a scratch
# corpus under build/fuzz/corpus, never into the repository. A crash stops the run, leaves the
# input in build/fuzz/artifacts/<target>/ and exits non-zero: add that input to the seed corpus
# once fixed, so every build replays it (ctest "fuzz corpus: <target>").
# CTI_FUZZ_SEED fixes libFuzzer's random seed (CI sets it, so a run can be repeated exactly);
# unset, every run explores differently.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(command_decoder config_loader sip_message dialog_info baresip_ctrl tapi_provider log_sanitiser)
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}"

for target in "${targets[@]}"; do
    scratch="build/fuzz/corpus/$target"
    artifacts="build/fuzz/artifacts/$target"
    mkdir -p "$scratch" "$artifacts"
    echo "== fuzzing $target for ${seconds}s"
    # Inputs are small (a frame, a datagram, a config); -rss_limit_mb keeps a leak from eating the machine.
    status=0
    seed=()
    if [ -n "${CTI_FUZZ_SEED:-}" ]; then seed=(-seed="$CTI_FUZZ_SEED"); fi
    "build/fuzz/fuzz/fuzz_$target" "$scratch" "fuzz/corpus/$target" "${seed[@]}" \
        -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=1024 -timeout=10 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$artifacts/../$target.log" 2>&1 || status=$?
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|SUMMARY)' "$artifacts/../$target.log" || true
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$artifacts/../$target.log" >&2
        echo "!! $target failed (exit $status); input kept in $artifacts/" >&2
        exit 1
    fi
done
echo "== every target ran ${seconds}s without a failure"
