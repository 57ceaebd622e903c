#!/usr/bin/env bash
# The fuzz.parsers test: builds the libFuzzer targets (CMakeLists.txt here) with clang into
# BUILD_DIR and runs each one briefly from its seed corpus (corpus/<target>/). Any crash, hang,
# leak, AddressSanitizer or UndefinedBehaviorSanitizer report, or abort() fails the run; libFuzzer
# saves the input that did it as BUILD_DIR/artifacts/<target>-crash-* (or -timeout-, -leak-, -oom-):
# add it to the corpus and fix the bug.
# usage: run_fuzzers.sh BUILD_DIR
#   MM_FUZZ_RUNS  inputs per target (default 20000)    MM_FUZZ_SECONDS  time cap per target (30)
#   MM_FUZZ_SEED  libFuzzer's -seed (default 1)         MM_FUZZ_TARGETS  targets to run (all four)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: $0 BUILD_DIR}
runs=${MM_FUZZ_RUNS:-20000}
seconds=${MM_FUZZ_SECONDS:-30}
seed=${MM_FUZZ_SEED:-1}
targets=(${MM_FUZZ_TARGETS:-kubeconfig manifest json discovery h2_session gzip})
clang=$(command -v clang++-14 || true)
if [[ -z $clang ]]; then
  echo "error: clang++-14 is not installed: run scripts/bootstrap (clang-14, libclang-rt-14-dev)" >&2
  exit 1
fi
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # ccache hashes the command line, not the files it names: make the ignore list count.
  export CCACHE_EXTRAFILES=$here/sanitizer_ignorelist.txt
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$here" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$clang" \
    -DCMAKE_BUILD_TYPE=Debug "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --parallel "${MM_FUZZ_JOBS:-1}"
rm -rf "$build/artifacts"
mkdir -p "$build/artifacts"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for target in "${targets[@]}"; do
  # New inputs go to a scratch directory: the committed corpus stays the hand-written seeds.
  rm -rf "${corpus:?}"/*
  echo "== ${target}_fuzzer: up to $runs inputs or ${seconds}s from corpus/$target"
  if ! "$build/${target}_fuzzer" -runs="$runs" -max_total_time="$seconds" -seed="$seed" \
    -max_len=4096 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/${target}-" "$corpus" "$here/corpus/$target" \
    2>"$build/${target}.log"; then
    tail -n 60 "$build/${target}.log" >&2
    echo "FAIL: ${target}_fuzzer found a problem; the input is in $build/artifacts:" >&2
    ls "$build/artifacts" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added)' "$build/${target}.log" || true
done
echo PASS
