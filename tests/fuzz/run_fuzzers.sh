#!/usr/bin/env bash
# The fuzz.parsers test: builds the libFuzzer targets (CMakeLists.txt here) with clang into
# BUILD_DIR and runs each one briefly from its seed corpus (corpus/<target>/). Any crash, hang,
# leak, AddressSanitizer or UndefinedBehaviorSanitizer report, or abort() fails the run; libFuzzer
# saves the input that did it as BUILD_DIR/artifacts/<target>-crash-* (or -timeout-, -leak-, -oom-):
# add it to the corpus and fix the bug.
#
# Reproducible by default: the same commit runs the same inputs on every machine and under any
# load, so a green commit stays green. That takes a fixed input count (no time cap), no corpus
# reload (-reload=0: it is timed), and fixed addresses: the parsers' coverage depends on pointer
# values (std::set<node*> in yaml-cpp's headers), so each target runs with ASLR off (setarch -R),
# from a scratch dir with fixed relative paths, under a fixed environment (argv and environment
# sit on the stack, so their lengths move addresses too). Exploratory runs pick another seed or
# more inputs, or a time cap (which is not reproducible).
# usage: run_fuzzers.sh BUILD_DIR
#   MM_FUZZ_RUNS  inputs per target (default 20000)    MM_FUZZ_SECONDS  time cap per target (none)
#   MM_FUZZ_SEED  libFuzzer's -seed (default 1)         MM_FUZZ_TARGETS  targets to run (all six)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(mkdir -p "${1:?usage: $0 BUILD_DIR}" && cd "$1" && pwd)
runs=${MM_FUZZ_RUNS:-20000}
seconds=${MM_FUZZ_SECONDS:-0}
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
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
no_aslr=("$(command -v setarch || echo setarch)" "$(uname -m)" -R)
if ! "${no_aslr[@]}" true 2>/dev/null; then
  echo "warning: setarch -R is not permitted here: addresses vary, so runs are not reproducible" >&2
  no_aslr=()
fi
# The environment the fuzzers see: fixed (a symbolizer only where one is installed).
fuzz_env=(ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[[ -n $symbolizer ]] && fuzz_env+=(ASAN_SYMBOLIZER_PATH="$symbolizer")
for target in "${targets[@]}"; do
  # New inputs go to a scratch directory: the committed corpus stays the hand-written seeds.
  rm -rf "${scratch:?}"/*
  ln -s "$build/${target}_fuzzer" "$scratch/fuzzer"
  ln -s "$here/corpus/$target" "$scratch/seeds"
  mkdir "$scratch/new" "$scratch/artifacts"
  cap=${seconds}s
  ((seconds > 0)) || cap="no time cap"
  echo "== ${target}_fuzzer: $runs inputs ($cap), seed $seed, from corpus/$target"
  code=0
  (cd "$scratch" && env -i "${fuzz_env[@]}" "${no_aslr[@]}" ./fuzzer -runs="$runs" \
    -max_total_time="$seconds" -seed="$seed" -reload=0 -max_len=4096 -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/${target}-" new seeds) 2>"$build/${target}.log" || code=$?
  cp "$scratch/artifacts/." "$build/artifacts/" -r
  if ((code != 0)); then
    tail -n 60 "$build/${target}.log" >&2
    echo "FAIL: ${target}_fuzzer found a problem; the input is in $build/artifacts:" >&2
    ls "$build/artifacts" >&2
    exit 1
  fi
  # The final counts: equal on every run of the same commit and seed (reproducible_test.sh).
  grep -E '^#[0-9]+[[:space:]]+DONE' "$build/${target}.log" | sed -E 's/ exec\/s: .*//' || true
  grep -E '^stat::(number_of_executed_units|new_units_added)' "$build/${target}.log" || true
done
echo PASS
