#!/usr/bin/env bash
# Fails when any C++ source in the project is not clang-format clean (.clang-format at the root).
set -euo pipefail
root=${1:?usage: clang_format.sh PROJECT_ROOT}
cd "$root"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.h' '*.cc' '*.cpp' 2>/dev/null ||
                     find core kubeapi plugin tests -name '*.h' -o -name '*.cc')
existing=()
for f in "${files[@]}"; do [[ -f "$f" ]] && existing+=("$f"); done
clang-format --dry-run -Werror "${existing[@]}"
echo "clang-format: ${#existing[@]} files clean"
