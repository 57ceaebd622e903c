#!/usr/bin/env bash
# The kubectl dispatcher (/usr/bin/kubectl) runs kubectl.1.<minor> for the minor /version
# reports: --version-minor 29 must make it run kubectl 1.29 (and 32, the default, its own 1.32).
# usage: dispatcher_test.sh PATH_TO_kube-sandbox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
dispatcher=/usr/lib/google-cloud-sdk/bin/kubectl
minors() {
  "$dispatcher" version -o json 2>/dev/null | /usr/bin/python3 -c \
    'import json,sys; v=json.load(sys.stdin); print(v["clientVersion"]["minor"], v["serverVersion"]["minor"])'
}
start_sandbox --version-minor 29
expect 0 "29 29" minors
stop_sandbox
start_sandbox
expect 0 "32+ 32" minors  # the dispatcher's own build reports "32+"
stop_sandbox
echo "kubectl dispatcher follows kube-sandbox --version-minor: ok"
