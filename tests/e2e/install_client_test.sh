#!/usr/bin/env bash
# Client-side mode end to end: the built binary installs, reconciles and reports a Mattermost in a
# fresh sandbox over TLS; real kubectl checks what it created. Bad input writes nothing; secrets
# come from files.
# usage: install_client_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
# Pods never become ready here (--pod-ready-delay of an hour), so installations stay
# `reconciling` and every state below is deterministic; install_wait_test.sh covers `stable`.
start_sandbox --quiet --pod-ready-delay 3600000

mm() { "$plugin" "$@"; }
# writes [RESOURCE:VERB...]: the create/update/patch/delete requests the sandbox counted since the
# last call, except one of each RESOURCE:VERB given, as "COUNT METRICS_JSON"; resets the counters.
writes() {
  "$kubectl" get --raw /sandbox/metrics | /usr/bin/python3 -c '
import json, sys
text = sys.stdin.read()
metrics = json.loads(text)["resources"]
allowed = sys.argv[1:]
print(sum(n - (resource + ":" + verb in allowed) for resource, verbs in metrics.items()
          for verb, n in verbs.items()
          if verb in ("create", "update", "patch", "delete", "deletecollection")), text)' "$@"
  "$kubectl" delete --raw /sandbox/metrics >/dev/null
}
# nothing_written WHAT [RESOURCE:VERB...]: fails unless `writes` counts 0.
nothing_written() {
  local what=$1 counted
  shift
  counted=$(writes "$@")
  [[ ${counted%% *} == 0 ]] || fail "$what wrote to the cluster: $counted"
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
writes >/dev/null

# Bad input: one clear error, exit 1, nothing written.
args=(install demo --ingress-host demo.local --database-secret db --filestore-local 10Gi)
expect 1 "error: --size: unknown size \"50users\"; known sizes: 100users, 1000users, 5000users, \
10000users, 25000users, cloud10users, cloud100users, miniSingleton, miniHA
See 'kubectl mattermost install -h' for help and examples" mm "${args[@]}" --size 50users
nothing_written "an unknown size"
expect 1 "error: --version: invalid version \"10.8!\": must be an image tag (letters, digits, \
'_', '.', '-'; at most 128 characters, not starting with '.' or '-') or sha256:<64 hex digits>
See 'kubectl mattermost install -h' for help and examples" mm "${args[@]}" --version '10.8!'
nothing_written "a bad version"
expect 1 'mode: client-side (no operator is running)
error: database secret "nodb" not found in namespace "default"' \
  mm install demo --ingress-host demo.local --database-secret nodb --filestore-local 10Gi
nothing_written "a missing secret"
expect 1 'mode: client-side (no operator is running)
error: namespace "chat" not found (create it, or pass --create-namespace)' \
  mm "${args[@]}" -n chat
nothing_written "a missing namespace"
expect 1 "error: --mode operator: the Mattermost operator is not available (deployment \
mattermost-operator/mattermost-operator); install it with 'kubectl mattermost install operator' or \
use --mode client" mm "${args[@]}" --mode operator
nothing_written "--mode operator without an operator"
expect 1 'mode: client-side (no operator is running)
Error from server (Forbidden): secrets "db" is forbidden: User "sandbox-viewer" cannot get resource "secrets" in API group "" in the namespace "default"' \
  mm "${args[@]}" --context sandbox-viewer
expect 1 "mode: client-side (no operator is running)
error: the Mattermost CRD (mattermosts.installation.mattermost.com) is not installed and you may \
not create customresourcedefinitions.apiextensions.k8s.io: ask a cluster administrator to run \
'kubectl mattermost install operator' (or to apply the CRD)" \
  mm install demo --ingress-host demo.local --filestore-local 10Gi --context sandbox-viewer
writes >/dev/null  # the sandbox counts the refused PATCH; what exists is checked below
[[ -z $("$kubectl" get crd -o name) ]] || fail "bad input installed the CRD"

# The install: the operator's objects, owned by the Mattermost, and its status.
mm "${args[@]}" --size 100users >"$work/install.out" 2>"$work/install.err" ||
  fail "install failed: $(cat "$work/install.err")"
expect 0 "mattermost.installation.mattermost.com/demo created" cat "$work/install.out"
expect 0 "mode: client-side (no operator is running)
customresourcedefinition.apiextensions.k8s.io/mattermosts.installation.mattermost.com created
reconciling Mattermost default/demo client-side
  create PersistentVolumeClaim demo
  create Service demo
  create ServiceAccount demo
  create Role demo
  create RoleBinding demo
  create Ingress demo
  create Deployment demo
state: reconciling" cat "$work/install.err"
expect 0 "deployment.apps/demo
service/demo
ingress.networking.k8s.io/demo
persistentvolumeclaim/demo" "$kubectl" get deploy,svc,ingress,pvc -o name
expect 0 "serviceaccount/demo
role.rbac.authorization.k8s.io/demo
rolebinding.rbac.authorization.k8s.io/demo" "$kubectl" get sa,role,rolebinding demo -o name
expect 0 "reconciling 1 1 demo.local ClusterIP" "$kubectl" get mm,deploy,svc demo -o \
  jsonpath='{.items[0].status.state} {.items[1].spec.replicas} {.items[0].status.observedGeneration} {.items[0].spec.ingress.host} {.items[2].spec.type}'
expect 0 "Mattermost demo true" "$kubectl" get deploy demo -o \
  jsonpath='{.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].controller}'
expect 0 "MM_SQLSETTINGS_DATASOURCE db DB_CONNECTION_STRING" "$kubectl" get deploy demo -o \
  jsonpath='{.spec.template.spec.containers[0].env[1].name} {.spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name} {.spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key}'
[[ $("$kubectl" get mm demo -o jsonpath='{.spec.size}') == "" ]] || fail "size not erased"
# The simulated controller records the rollout's revision on the Deployment just after the install;
# one pass lets the installation's status catch up with it before the re-runs below.
"$kubectl" wait deploy/demo --timeout=60s \
  --for=jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}'=1 >/dev/null ||
  fail "the simulated controller did not record the Deployment's revision"
mm reconcile demo >/dev/null || fail "settling reconcile failed"
writes >/dev/null

# A dry run prints the plan and writes nothing.
mm install demo2 --ingress-host demo.local --database-secret db --filestore-local 1Gi \
  --size 100users --dry-run=server >"$work/dry.out" 2>"$work/dry.err" ||
  fail "dry run failed: $(cat "$work/dry.err")"
[[ $(cat "$work/dry.out") == "mattermost.installation.mattermost.com/demo2 applied (server dry run)" ]] ||
  fail "dry run printed: $(cat "$work/dry.out")"
grep -qx 'create Deployment demo2 (not found)' "$work/dry.err" || fail "no plan: $(cat "$work/dry.err")"
writes >/dev/null  # counts the ?dryRun=All PATCH
[[ $("$kubectl" get mm,deploy -o name) == "mattermost.installation.mattermost.com/demo
deployment.apps/demo" ]] || fail "the dry run wrote: $("$kubectl" get mm,deploy -o name)"

# A read-only user, once the CRD exists: the server refuses the first write.
expect 1 'mode: client-side (no operator is running)
Error from server (Forbidden): mattermosts.installation.mattermost.com "demo3" is forbidden: User "sandbox-viewer" cannot patch resource "mattermosts" in API group "installation.mattermost.com" in the namespace "default"' \
  mm install demo3 --ingress-host demo.local --filestore-local 10Gi --context sandbox-viewer
writes >/dev/null

# A second run changes nothing.
mm "${args[@]}" --size 100users >"$work/again.out" 2>"$work/again.err" || fail "second run failed"
expect 0 "mattermost.installation.mattermost.com/demo unchanged" cat "$work/again.out"
grep -qx 'state: reconciling (nothing to change)' "$work/again.err" ||
  fail "second run: $(cat "$work/again.err")"
# Only the (no-op) server-side apply of the Mattermost itself.
nothing_written "a second install" mattermosts:patch
expect 0 "mattermost.installation.mattermost.com/demo reconciled (state reconciling, 0 writes)" \
  mm reconcile demo
nothing_written "a no-op reconcile"
expect 0 "mattermost.installation.mattermost.com/demo reconciled (state reconciling, 0 writes)" \
  mm reconcile --all
nothing_written "a no-op reconcile --all"

# status shows the installation; one NAME adds details and the next step.
mm status >"$work/status"
[[ $(head -1 "$work/status" | squeeze) == "NAME STATE VERSION REPLICAS ENDPOINT AGE MODE ERROR" ]] ||
  fail "status header: $(cat "$work/status")"
read -r name state version replicas endpoint age mode error < <(sed -n 2p "$work/status")
[[ "$name $state $version $replicas $endpoint $mode $error" == \
  "demo reconciling 10.8.1 0/1 <none> client <none>" ]] || fail "status row: $(cat "$work/status")"
mm status demo >"$work/detail"
grep -qx "Next: run 'kubectl mattermost reconcile demo' (no operator is running), or 'kubectl mattermost reconcile --watch'" \
  "$work/detail" || fail "status demo: $(cat "$work/detail")"

# --wait gives up at --timeout with exit 124 and says what it was waiting for.
code=0
mm "${args[@]}" --size 100users --wait --timeout 2s >/dev/null 2>"$work/wait.err" || code=$?
((code == 124)) || fail "--wait exited $code, want 124: $(cat "$work/wait.err")"
[[ $(tail -1 "$work/wait.err") == "error: timed out after 2s waiting for Mattermost default/demo to become stable: "* ]] ||
  fail "--wait: $(cat "$work/wait.err")"
# Ctrl-C (SIGTERM here: background jobs of scripts ignore SIGINT) ends the wait with 130.
"$plugin" "${args[@]}" --size 100users --wait --timeout 120s >/dev/null 2>"$work/int.err" &
waiting=$!
within 60 "install --wait to start waiting" grep -q 'Waiting for Mattermost' "$work/int.err"
kill -TERM "$waiting"
code=0
wait "$waiting" || code=$?
((code == 130)) || fail "interrupted --wait exited $code, want 130: $(cat "$work/int.err")"
[[ $(tail -1 "$work/int.err") == "error: interrupted" ]] || fail "interrupted --wait: $(cat "$work/int.err")"

# A child taken over by someone else is put back; one not owned is refused.
"$kubectl" scale deploy demo --replicas=3 >/dev/null
"$kubectl" wait deploy/demo --for=jsonpath='{.status.replicas}'=3 --timeout=60s >/dev/null ||
  fail "the simulated controller did not scale the Deployment"
# Two writes: the Deployment put back to 1 replica, and the status now counting 3 pods.
expect 0 "mattermost.installation.mattermost.com/demo reconciled (state reconciling, 2 writes)" \
  mm reconcile demo
expect 0 "1" "$kubectl" get deploy demo -o jsonpath='{.spec.replicas}'
"$kubectl" delete ingress demo >/dev/null
"$kubectl" apply -f - >/dev/null <<'YAML'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: demo}
spec:
  rules:
  - host: demo.local
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}]}
YAML
writes >/dev/null
expect 1 "mattermost.installation.mattermost.com/demo reconciled (state reconciling, 1 write)
error: Ingress \"demo\" exists and is not owned by Mattermost \"demo\"" mm reconcile demo
expect 0 'Ingress "demo" exists and is not owned by Mattermost "demo"' \
  "$kubectl" get mm demo -o jsonpath='{.status.error}'

# Secrets from files, never from the command line: --database-url-file and --license-file become
# secrets NAME-database and NAME-license (in a namespace --create-namespace creates), the
# Mattermost refers to them, and no value reaches the terminal.
printf '%s' 'postgres://chat:db-pw-4711@db:5432/chat?sslmode=disable' >"$work/chat-db-url"
printf '%s' 'license-text-4711' >"$work/chat.license"
mm install chat -n team --create-namespace --ingress-host chat.local --filestore-local 1Gi \
  --database-url-file "$work/chat-db-url" --license-file "$work/chat.license" \
  >"$work/chat.out" 2>"$work/chat.err" || fail "install chat: $(cat "$work/chat.err")"
expect 0 "mattermost.installation.mattermost.com/chat created" cat "$work/chat.out"
for line in "namespace/team created" "secret/chat-database applied" "secret/chat-license applied"; do
  grep -qx "$line" "$work/chat.err" || fail "install chat: no '$line': $(cat "$work/chat.err")"
done
grep -q 4711 "$work/chat.out" "$work/chat.err" && fail "install chat printed a secret value"
expect 0 "$(cat "$work/chat-db-url")" bash -c "'$kubectl' get secret -n team chat-database \
  -o jsonpath='{.data.DB_CONNECTION_STRING}' | base64 -d"
expect 0 "$(cat "$work/chat.license")" bash -c "'$kubectl' get secret -n team chat-license \
  -o jsonpath='{.data.license}' | base64 -d"
expect 0 "chat-database chat-license" "$kubectl" get mm chat -n team \
  -o jsonpath='{.spec.database.external.secret} {.spec.licenseSecret}'

# install operator --wait: its pods never get ready here; SIGTERM ends the wait with 130.
"$plugin" install operator --wait --timeout 120s >/dev/null 2>"$work/opint.err" &
waiting=$!
log="$work/opint.err" within 60 "install operator --wait to start waiting" \
  grep -q 'Waiting for deployment' "$work/opint.err"
kill -TERM "$waiting"
code=0
wait "$waiting" || code=$?
((code == 130)) || fail "interrupted install operator --wait exited $code, want 130: $(cat "$work/opint.err")"
[[ $(tail -1 "$work/opint.err") == 'error: interrupted while waiting for deployment "mattermost-operator" in namespace "mattermost-operator" to be available' ]] || fail "install operator: $(cat "$work/opint.err")"
# ... and --timeout ends it with 124, naming what it waited for.
code=0
mm install operator --wait --timeout 2s >/dev/null 2>"$work/optime.err" || code=$?
((code == 124)) || fail "install operator --timeout 2s exited $code, want 124: $(cat "$work/optime.err")"
[[ $(tail -1 "$work/optime.err") == 'error: timed out after 2s waiting for deployment "mattermost-operator" in namespace "mattermost-operator" to be available' ]] || fail "install operator --timeout: $(cat "$work/optime.err")"
echo "PASS"
