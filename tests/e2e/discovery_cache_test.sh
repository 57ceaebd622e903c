#!/usr/bin/env bash
# The discovery cache end to end: the plugin keeps discovery in kubectl's on-disk cache
# ($KUBECACHEDIR/discovery/<host_port>, or --cache-dir), reuses it across runs (the sandbox's
# request counters show no discovery requests), re-discovers when a kind is missing from it (a CRD
# created after the cache was written is found), and writes files real kubectl reads as its own.
# usage: discovery_cache_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
start_sandbox --quiet --no-simulation
host_port=${server#https://}
cache=$work/cache/discovery/${host_port//:/_}

# discovery_requests: "<GET /api> <GET /apis>" since the last call, then resets the counters.
discovery_requests() {
  "$kubectl" get --raw /sandbox/metrics | /usr/bin/python3 -c '
import json, sys
resources = json.load(sys.stdin)["resources"]
print(resources.get("/api", {}).get("get", 0), resources.get("/apis", {}).get("get", 0))'
  "$kubectl" delete --raw /sandbox/metrics >/dev/null
}
status() { "$plugin" status -A "$@"; }

discovery_requests >/dev/null
expect 1 'error: no matches for kind "Mattermost" in version "installation.mattermost.com/v1beta1"' \
  status
expect 0 "1 1" discovery_requests # discovered once; a miss in a fresh answer is final
[[ -f $cache/servergroups.json && -f $cache/v1/serverresources.json ]] ||
  fail "no discovery cache in $cache: $(find "$work/cache" 2>&1)"

# A CRD created after the cache was written: the miss re-discovers, and the kind is found.
cat >"$work/crd.yaml" <<'EOF'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: mattermosts.installation.mattermost.com}
spec:
  group: installation.mattermost.com
  scope: Namespaced
  names: {plural: mattermosts, singular: mattermost, kind: Mattermost, listKind: MattermostList,
          shortNames: [mm]}
  versions:
  - name: v1beta1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
EOF
"$kubectl" create -f "$work/crd.yaml" --validate=false >/dev/null
"$kubectl" wait --for=condition=Established crd/mattermosts.installation.mattermost.com >/dev/null
discovery_requests >/dev/null
expect 0 "No Mattermost installations found." status
expect 0 "1 1" discovery_requests
[[ -f $cache/installation.mattermost.com/v1beta1/serverresources.json ]] ||
  fail "the re-discovery did not rewrite the cache"

# Now everything comes from the cache: no discovery request at all.
expect 0 "No Mattermost installations found." status
expect 0 "0 0" discovery_requests

# Real kubectl, sharing the cache directory, takes our files as its own (no discovery either) and
# resolves the short name from them.
expect 0 "No resources found" "$kubectl" get mm -A
expect 0 "0 0" discovery_requests

# --cache-dir puts the cache elsewhere (and starts it empty).
expect 0 "No Mattermost installations found." status --cache-dir "$work/other"
expect 0 "1 1" discovery_requests
[[ -f $work/other/discovery/${host_port//:/_}/servergroups.json ]] ||
  fail "--cache-dir was not used"

# A cache older than kubectl's 6 hours is not trusted.
touch -d '7 hours ago' "$cache/servergroups.json"
expect 0 "No Mattermost installations found." status
expect 0 "1 1" discovery_requests
echo PASS
