#!/usr/bin/env bash
# Fails when core/ includes the network, TLS, Boost, or another layer of ours: core is pure data.
set -euo pipefail
root=${1:?usage: core_is_pure.sh PROJECT_ROOT}
pattern='#[[:space:]]*include[[:space:]]*[<"](kubeapi/|plugin/|curl/|openssl/|boost/)'
if hits=$(grep -rnE "$pattern" "$root/core"); then
  echo "core/ must not include kubeapi/, plugin/, curl, OpenSSL or Boost:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "core/ is pure: $(find "$root/core" -name '*.h' -o -name '*.cc' | wc -l) files checked"
