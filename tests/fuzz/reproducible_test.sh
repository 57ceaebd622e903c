#!/usr/bin/env bash
# fuzz.reproducible: two runs of the same fuzz targets at the same commit and seed explore the
# same inputs (run_fuzzers.sh's final counts are equal), so fuzz.parsers cannot pass on one CI run
# and fail on the next. manifest is the target whose coverage once followed ASLR's addresses.
# usage: reproducible_test.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: $0 BUILD_DIR}
export MM_FUZZ_TARGETS="manifest json" MM_FUZZ_RUNS=${MM_FUZZ_RUNS:-6000}
unset MM_FUZZ_SECONDS MM_FUZZ_SEED
first=$(bash "$here/run_fuzzers.sh" "$build" | grep -E 'DONE|^stat::')
# A different environment and working directory must not matter either.
second=$(cd / && MM_FUZZ_UNRELATED=$(printf '%0500d' 0) bash "$here/run_fuzzers.sh" "$build" |
  grep -E 'DONE|^stat::')
echo "$first"
if [[ $first != "$second" ]]; then
  echo "FAIL: the second run explored differently:" >&2
  diff <(echo "$first") <(echo "$second") >&2 || true
  exit 1
fi
echo "PASS: two runs, same final counts"
