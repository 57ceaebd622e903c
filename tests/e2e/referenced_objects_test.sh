#!/usr/bin/env bash
# Client-side reconcile of the objects a Mattermost refers to but the operator never creates
# (operator.md §3.5, §3.7, §3.10, §3.11): a missing or incomplete license secret, file-store
# secret or S3 ServiceAccount, or external DB secret fails the pass with the operator's own
# message in status.error (checked with real kubectl), after the children of the earlier steps;
# fixing the object clears it, also under `reconcile --watch` (whose passes read Secrets from
# their informer). A local claim keeps its live access modes and volume binding and is resized in
# place (the sandbox, like kube-apiserver, refuses any other change to a claim's spec), and an
# access-mode change is refused with the operator's message. An external volume's claim, bound by
# the sandbox, is mounted; a missing or Lost one fails the pass. With operator-managed MySQL and MinIO
# the MinIOInstance is created before the MinIO operator's Service exists, and the MinIO secret
# keeps its keys, gets its metadata back, and fresh keys when one is missing.
# usage: referenced_objects_test.sh PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost
plugin=${2:?usage: $0 PATH_TO_kube-sandbox PATH_TO_kubectl-mattermost}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../sandbox/conformance/lib.sh
source "$here/../sandbox/conformance/lib.sh" "$1"
kubectl=/usr/lib/google-cloud-sdk/bin/kubectl
operator=""
trap '[[ -n $operator ]] && kill -KILL "$operator" 2>/dev/null; cleanup' EXIT
start_sandbox --quiet --pod-ready-delay 3600000

mm() { "$plugin" "$@"; }
status_error() { "$kubectl" get mm "$1" -o jsonpath='{.status.state}: {.status.error}'; }
# reconcile_fails NAME MESSAGE: one pass fails (exit 1) and status.error is MESSAGE.
reconcile_fails() {
  local code=0
  mm reconcile "$1" >"$work/out" 2>"$work/err" || code=$?
  ((code == 1)) || fail "reconcile $1 exited $code, want 1: $(cat "$work/err")"
  grep -qF "error: $2" "$work/err" || fail "reconcile $1: $(cat "$work/err")"
  [[ $(status_error "$1") == "reconciling: $2" ]] ||
    fail "status of $1: $(status_error "$1"), want: reconciling: $2"
}
reconcile_ok() {
  mm reconcile "$1" >"$work/out" 2>"$work/err" || fail "reconcile $1: $(cat "$work/err")"
  [[ $(status_error "$1") == "reconciling: " ]] || fail "status of $1: $(status_error "$1")"
}
# apply_mm NAME SPEC_JSON: creates or replaces Mattermost NAME with that spec.
apply_mm() {
  printf '{"apiVersion":"installation.mattermost.com/v1beta1","kind":"Mattermost",
    "metadata":{"name":"%s"},"spec":%s}' "$1" "$2" |
    "$kubectl" apply --server-side --field-manager=test -f - >/dev/null
}

printf '%s' 'postgres://mm@db:5432/mm?sslmode=disable' >"$work/db-url"
"$kubectl" create secret generic db --from-file=DB_CONNECTION_STRING="$work/db-url" >/dev/null
# The first install brings the CRD.
mm install base --ingress-host base.local --database-secret db --filestore-local 1Gi \
  --size 100users --mode client >/dev/null 2>"$work/install.err" ||
  fail "install: $(cat "$work/install.err")"

# The license secret (§3.7): checked after the file store, before the Service.
apply_mm lic '{"ingress":{"enabled":true,"host":"lic.local"},"licenseSecret":"lic-license",
  "database":{"external":{"secret":"db"}},"fileStore":{"local":{"enabled":true}},"replicas":1}'
reconcile_fails lic 'failed to check mattermost license secret.: error getting secret: secrets "lic-license" not found'
[[ $("$kubectl" get pvc lic -o name) == persistentvolumeclaim/lic ]] ||
  fail "the claim of the earlier file-store step was not created"
"$kubectl" get svc lic >/dev/null 2>&1 && fail "the Service was created past the failed check"
printf 'x' >"$work/license"
"$kubectl" create secret generic lic-license --from-file=other="$work/license" >/dev/null
reconcile_fails lic 'failed to check mattermost license secret.: secret lic-license is missing data key: license'
"$kubectl" delete secret lic-license >/dev/null
"$kubectl" create secret generic lic-license --from-file=license="$work/license" >/dev/null
reconcile_ok lic
[[ $("$kubectl" get deploy lic -o jsonpath='{.spec.template.spec.volumes[1].secret.secretName}') == \
  lic-license ]] || fail "no license volume"

# The external file store's secret (§3.1.3), then its keys.
s3='{"ingress":{"enabled":true,"host":"s3.local"},"database":{"external":{"secret":"db"}},
  "fileStore":{"external":{"url":"s3.amazonaws.com","bucket":"files","secret":"s3-keys"}}}'
apply_mm s3 "$s3"
reconcile_fails s3 'secrets "s3-keys" not found'
"$kubectl" create secret generic s3-keys --from-literal=accesskey=a >/dev/null
reconcile_fails s3 "external filestore Secret s3-keys does not have an 'secretkey' value"
"$kubectl" patch secret s3-keys -p '{"stringData":{"secretkey":"b"}}' >/dev/null
reconcile_ok s3

# The S3 ServiceAccount (§3.5): user-managed, with the EKS role annotation.
apply_mm irsa '{"ingress":{"enabled":true,"host":"irsa.local"},"database":{"external":{"secret":"db"}},
  "fileStore":{"external":{"url":"s3.amazonaws.com","bucket":"files","useServiceAccount":true}}}'
reconcile_fails irsa 'service account needs to be created manually if fileStore.external.useServiceAccount is true: serviceaccounts "irsa" not found'
"$kubectl" create serviceaccount irsa >/dev/null
reconcile_fails irsa 'service account does not have "eks.amazonaws.com/role-arn" annotation, which is required if fileStore.external.useServiceAccount is true'
"$kubectl" annotate serviceaccount irsa eks.amazonaws.com/role-arn=arn:aws:iam::1:role/mm >/dev/null
reconcile_ok irsa
[[ -z $("$kubectl" get sa irsa -o jsonpath='{.metadata.ownerReferences}') ]] ||
  fail "the user's ServiceAccount was taken over"

# The external database secret: the first step, nothing is created.
apply_mm nodb '{"ingress":{"enabled":true,"host":"nodb.local"},"database":{"external":{"secret":"nodb"}},
  "fileStore":{"local":{"enabled":true}}}'
reconcile_fails nodb 'failed to get external db Secret: secrets "nodb" not found'
"$kubectl" get pvc nodb >/dev/null 2>&1 && fail "a child was created past the failed DB step"

# §3.11: a claim the operator created earlier as ReadWriteOnce, now bound to a volume: its access
# modes and binding are kept and only the size changes (the sandbox refuses other spec changes).
apply_mm claim '{"ingress":{"enabled":true,"host":"claim.local"},"database":{"external":{"secret":"db"}},
  "fileStore":{"local":{"enabled":true,"storageSize":"10Gi"}},"replicas":1}'
uid=$("$kubectl" get mm claim -o jsonpath='{.metadata.uid}')
printf '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"claim",
  "labels":{"app":"mattermost"},"ownerReferences":[{"apiVersion":"installation.mattermost.com/v1beta1",
  "kind":"Mattermost","name":"claim","uid":"%s","controller":true,"blockOwnerDeletion":true}]},
  "spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"fast","volumeName":"pv-1",
  "resources":{"requests":{"storage":"10Gi"}}}}' "$uid" | "$kubectl" create -f - >/dev/null
reconcile_ok claim
"$kubectl" patch mm claim --type merge -p '{"spec":{"fileStore":{"local":{"storageSize":"20Gi"}}}}' >/dev/null
reconcile_ok claim
[[ $("$kubectl" get pvc claim -o jsonpath='{.spec.resources.requests.storage} {.spec.accessModes} {.spec.volumeName} {.spec.storageClassName} {.metadata.ownerReferences[0].name} {.metadata.labels.installation\.mattermost\.com/installation}') == \
  '20Gi ["ReadWriteOnce"] pv-1 fast claim claim' ]] ||
  fail "claim after the resize: $("$kubectl" get pvc claim -o json)"
"$kubectl" patch mm claim --type merge \
  -p '{"spec":{"fileStore":{"local":{"accessModes":["ReadWriteMany"]}}}}' >/dev/null
reconcile_fails claim 'cannot change PVC access modes from [ReadWriteOnce] to [ReadWriteMany] as this requires PVC recreation which may cause data loss. Please manually migrate data and recreate the PVC with a different name if you need to change access modes'
# The same modes spelled explicitly are no change.
"$kubectl" patch mm claim --type merge \
  -p '{"spec":{"fileStore":{"local":{"accessModes":["ReadWriteOnce"]}}}}' >/dev/null
reconcile_ok claim

# §3.11, external volume: a claim the user made is bound by the cluster (the sandbox binds it to a
# provisioned volume as kube-controller-manager with a default StorageClass would) and mounted
# as the file store; a missing claim, or one whose volume is Lost, fails the pass.
"$kubectl" create -f - >/dev/null <<<'{"apiVersion":"v1","kind":"PersistentVolumeClaim",
  "metadata":{"name":"files"},"spec":{"accessModes":["ReadWriteMany"],
  "resources":{"requests":{"storage":"5Gi"}}}}'
within 30 "the claim to be bound" bash -c \
  "[[ \$('$kubectl' get pvc files -o jsonpath='{.status.phase}') == Bound ]]"
volume=$("$kubectl" get pvc files -o jsonpath='{.spec.volumeName}')
[[ $volume == "pvc-$("$kubectl" get pvc files -o jsonpath='{.metadata.uid}')" ]] ||
  fail "bound to \"$volume\": $("$kubectl" get pvc files -o json)"
expect 0 'Bound ["ReadWriteMany"] 5Gi yes' "$kubectl" get pvc files -o jsonpath=\
'{.status.phase} {.status.accessModes} {.status.capacity.storage} {.metadata.annotations.pv\.kubernetes\.io/bind-completed}'
expect 0 "files 5Gi Delete" "$kubectl" get pv "$volume" -o jsonpath=\
'{.spec.claimRef.name} {.spec.capacity.storage} {.spec.persistentVolumeReclaimPolicy}'
ext='{"ingress":{"enabled":true,"host":"ext.local"},"database":{"external":{"secret":"db"}},
  "fileStore":{"externalVolume":{"volumeClaimName":"%s"}},"replicas":1}'
apply_mm ext "$(printf "$ext" files)"
reconcile_ok ext
expect 0 "files /mattermost/data" "$kubectl" get deploy ext -o jsonpath=\
'{.spec.template.spec.volumes[?(@.name=="mattermost-data")].persistentVolumeClaim.claimName} {.spec.template.spec.containers[0].volumeMounts[?(@.name=="mattermost-data")].mountPath}'
"$kubectl" get pvc ext >/dev/null 2>&1 && fail "a claim was created for an external volume"
apply_mm extmissing "$(printf "$ext" nothere)"
reconcile_fails extmissing 'persistentvolumeclaims "nothere" not found'
"$kubectl" patch pvc files --subresource=status --type merge -p '{"status":{"phase":"Lost"}}' \
  >/dev/null
reconcile_fails ext 'specified PVC for external volume storage is not Bound or Pending (Lost)'

# Operator-managed MySQL and MinIO (§3.9, §3.10), their operators' CRDs only (no operator runs):
# the MinIOInstance is created although the MinIO operator's Service is not there yet (the
# operator creates it from the instance), and the pass fails at that step; once the Service exists
# the pass completes with its port. The MinIO secret keeps its keys, gets its label back, and gets
# fresh keys when one is missing.
for crd in minioinstances.miniocontroller.min.io:MinIOInstance:v1beta1 \
  mysqlclusters.mysql.presslabs.org:MysqlCluster:v1alpha1; do
  IFS=: read -r name kind version <<<"$crd"
  plural=${name%%.*} group=${name#*.}
  printf '{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
    "metadata":{"name":"%s"},"spec":{"group":"%s","scope":"Namespaced","names":{"kind":"%s",
    "plural":"%s","singular":"%s","listKind":"%sList"},"versions":[{"name":"%s","served":true,
    "storage":true,"schema":{"openAPIV3Schema":{"type":"object",
    "x-kubernetes-preserve-unknown-fields":true}}}]}}' "$name" "$group" "$kind" "$plural" \
    "${kind,,}" "$kind" "$version" | "$kubectl" create -f - >/dev/null
  "$kubectl" wait --for=condition=Established "crd/$name" --timeout=30s >/dev/null
done
apply_mm ops '{"ingress":{"enabled":true,"host":"ops.local"},"replicas":1}'
reconcile_fails ops 'failed to get Minio URL: services "ops-minio-hl-svc" not found'
[[ $("$kubectl" get mysqlclusters,minioinstances,secrets -o name | grep -E 'db-e84789|ops' | sort) == \
  'minioinstance.miniocontroller.min.io/ops-minio
mysqlcluster.mysql.presslabs.org/db-e84789
secret/ops-minio
secret/ops-mysql-root-password' ]] ||
  fail "the database and MinIO steps' objects: $("$kubectl" get mysqlclusters,minioinstances,secrets -o name)"
"$kubectl" get svc ops >/dev/null 2>&1 && fail "the Service was created past the failed MinIO step"
access=$("$kubectl" get secret ops-minio -o jsonpath='{.data.accesskey}')
"$kubectl" create service clusterip ops-minio-hl-svc --tcp=9443:9000 >/dev/null
reconcile_ok ops
endpoint='{.spec.template.spec.containers[0].env[?(@.name=="MM_FILESETTINGS_AMAZONS3ENDPOINT")].value}'
[[ $("$kubectl" get deploy ops -o jsonpath="$endpoint") == ops-minio-hl-svc.default.svc.cluster.local:9443 ]] ||
  fail "MinIO endpoint: $("$kubectl" get deploy ops -o jsonpath="$endpoint")"
"$kubectl" label secret ops-minio v1alpha1.mattermost.com/resource- >/dev/null
reconcile_ok ops
[[ $("$kubectl" get secret ops-minio -o jsonpath='{.metadata.labels.v1alpha1\.mattermost\.com/resource} {.data.accesskey}') == \
  "ops $access" ]] || fail "MinIO secret after its label was removed: $("$kubectl" get secret ops-minio -o json)"
"$kubectl" patch secret ops-minio --type json -p '[{"op":"remove","path":"/data/secretkey"}]' >/dev/null
reconcile_ok ops
secret=$("$kubectl" get secret ops-minio -o jsonpath='{.data.accesskey} {.data.secretkey}')
[[ ${secret%% *} != "$access" && -n ${secret#* } ]] || fail "no fresh MinIO keys: $secret (was $access)"

# The local operator reads the license secret from its Secret informer: the error appears, and
# goes once the secret is fixed (the failed pass is retried after its back-off).
apply_mm watched '{"ingress":{"enabled":true,"host":"watched.local"},"licenseSecret":"watched-license",
  "database":{"external":{"secret":"db"}},"fileStore":{"local":{"enabled":true}},"replicas":1}'
log=$work/operator.log
"$plugin" reconcile --watch --all -v=6 2>"$log" &
operator=$!
want='reconciling: failed to check mattermost license secret.: error getting secret: secrets "watched-license" not found'
within 60 "the missing license in status.error" bash -c "[[ \$('$kubectl' get mm watched -o jsonpath='{.status.state}: {.status.error}') == '$want' ]]"
mark=$(wc -l <"$log")
"$kubectl" create secret generic watched-license --from-file=license="$work/license" >/dev/null
within 60 "status.error cleared" bash -c "[[ \$('$kubectl' get mm watched -o jsonpath='{.status.error}') == '' ]]"
"$kubectl" get svc watched >/dev/null || fail "no Service once the license exists"
# The retried passes read the Secret, ServiceAccount and claim facts from the informers: no GET
# other than watches once they are in sync.
reads=$(tail -n +"$((mark + 1))" "$log" | grep -E '^GET https://' | grep -v 'watch=true' || true)
[[ -z $reads ]] || fail "passes read from the API server instead of the caches:
$reads"
kill -INT "$operator"
code=0
wait "$operator" || code=$?
operator=""
((code == 130)) || fail "SIGINT: exit code $code, want 130"
echo "PASS"
