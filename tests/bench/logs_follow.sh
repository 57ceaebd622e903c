#!/usr/bin/env bash
# `logs -f` of a large log: `kubectl mattermost logs NAME --job update -f` vs `kubectl logs -f` of
# the same pod, same sandbox, one run each (ours first, then kubectl, then ours again). The pod is
# an update job whose image is tagged biglog-<MiB> (the sandbox writes that much log at once) and
# has finished, so both commands stream the whole log and end. Prints bytes, wall time,
# throughput, peak RSS and the ratios. Issue 8's goals: throughput >= 2x kubectl's.
# usage: logs_follow.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost [MiB (default 100)]
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost [MiB]}
mib=${3:-100}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
start_sandbox --quiet --pod-ready-delay 200

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
"$plugin" install big --size 100users --ingress-host big.local --database-secret db \
  --filestore-local 1Gi >/dev/null 2>&1 || fail "install big"
"$kubectl" apply -f - >/dev/null <<YAML
apiVersion: batch/v1
kind: Job
metadata: {name: mattermost-update-check}
spec:
  backoffLimit: 0
  template:
    metadata: {labels: {app: mattermost-update-check}}
    spec:
      restartPolicy: Never
      containers:
      - {name: mattermost, image: "mattermost/mattermost-enterprise-edition:biglog-$mib", args: [db, migrate]}
YAML
"$kubectl" wait job/mattermost-update-check --for=condition=Complete --timeout=300s >/dev/null ||
  fail "the biglog job did not complete"
pod=$("$kubectl" get pods -l job-name=mattermost-update-check -o jsonpath='{.items[0].metadata.name}')

# run NAME COMMAND...: one run, its output counted (not kept); prints "NAME BYTES SECONDS KIB".
run() {
  local name=$1
  shift
  local start end bytes
  start=$(date +%s.%N)
  bytes=$(/usr/bin/time -f '%M' -o "$work/rss" "$@" 2>"$work/err" | wc -c)
  end=$(date +%s.%N)
  [[ $bytes -gt $((mib * 1024 * 1024)) ]] || fail "$name: only $bytes bytes: $(cat "$work/err")"
  echo "$name $bytes $(echo "$end - $start" | bc) $(tail -1 "$work/rss")"
}
{
  run ours "$plugin" logs big --job update -f
  run kubectl "$kubectl" logs -f "pod/$pod"
  run ours "$plugin" logs big --job update -f
} >"$work/results"
/usr/bin/python3 - "$work/results" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
best = {}
for name, size, seconds, kib in rows:
    rate = int(size) / float(seconds) / 1e6
    print(f"{name:8} {int(size)/1e6:8.1f} MB {float(seconds):7.2f} s {rate:8.1f} MB/s  peak RSS {int(kib)/1024:7.1f} MiB")
    if name not in best or rate > best[name][0]:
        best[name] = (rate, int(kib))
ours, kubectl = best["ours"], best["kubectl"]
print(f"throughput ours/kubectl: {ours[0]/kubectl[0]:.2f}x (goal >= 2x); "
      f"peak memory ours/kubectl: {ours[1]/kubectl[1]:.3f} (goal <= 0.25)")
PY
