#!/usr/bin/env bash
# The built binary renders a Mattermost manifest offline; Python's YAML parser (not ours) reads
# the output back and checks the objects the operator would create.
set -euo pipefail
binary=${1:?usage: render_test.sh PATH_TO_kubectl-mattermost}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$work/mattermost.yaml" <<'YAML'
apiVersion: installation.mattermost.com/v1beta1
kind: Mattermost
metadata:
  name: mm-demo
spec:
  size: 1000users
  ingress:
    enabled: true
    host: demo.example.com
    ingressClass: nginx
  licenseSecret: mm-license
YAML

"$binary" render -f "$work/mattermost.yaml" -n demo >"$work/out.yaml" ||
  fail "render exited $?"
/usr/bin/python3 - "$work/out.yaml" <<'PY' || fail "unexpected render output: $(cat "$work/out.yaml")"
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
kinds = [d["kind"] + "/" + d["metadata"]["name"] for d in docs]
assert kinds == ["Mattermost/mm-demo", "MysqlCluster/db-" + __import__("hashlib").md5(b"mm-demo").hexdigest()[:6],
                 "MinIOInstance/mm-demo-minio", "Service/mm-demo", "ServiceAccount/mm-demo",
                 "Role/mm-demo", "RoleBinding/mm-demo", "Ingress/mm-demo", "Deployment/mm-demo"], kinds
mm, deployment = docs[0], docs[-1]
assert "size" not in mm["spec"] and mm["spec"]["replicas"] == 2, mm["spec"]
assert deployment["metadata"]["namespace"] == "demo"
pod = deployment["spec"]["template"]
assert pod["metadata"]["annotations"]["prometheus.io/port"] == "8067"
assert pod["spec"]["volumes"] == [{"name": "mattermost-license", "secret": {"secretName": "mm-license"}}]
assert docs[7]["spec"]["ingressClassName"] == "nginx"
assert "kubernetes.io/ingress.class" not in docs[7]["metadata"]["annotations"]
PY

"$binary" render -f "$work/mattermost.yaml" -o json | /usr/bin/python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert doc["kind"] == "List" and len(doc["items"]) == 9, doc["kind"]
' || fail "render -o json is not a List of 9 items"
echo "render: ok"
