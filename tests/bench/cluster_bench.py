#!/usr/bin/python3
"""Benchmarks of kubectl-mattermost against kube-sandbox, side by side with real kubectl.

  install    `install operator` vs `kubectl apply --server-side -f` of the same objects (the
             embedded manifest, `render --operator`), each on a fresh sandbox: wall time, requests
             the sandbox served, peak RSS. Targets: >= 3x faster, <= objects + 2 requests, <= 1/4
             of kubectl's memory.
  reconcile  `reconcile -A` over N installations (default 1000): the initial pass (creates every
             child), then a steady-state pass once the simulated cluster has rolled every pod:
             wall time, list/get requests, writes, peak RSS; and `kubectl get` of the same kinds
             for the memory ratio. Targets: steady state < 1 s, O(kinds) lists, 0 writes.

Figures and ratios are printed; nothing is asserted (benchmarks are not tests).
usage: cluster_bench.py install|reconcile SANDBOX PLUGIN [--runs N] [--installations N]
                        [--baseline PLUGIN]
"""
import argparse
import base64
import http.client
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl"
WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
last_cpu = 0.0  # user + system CPU seconds of the last measured command


class Sandbox:
    """A fresh kube-sandbox in a temp dir, and a raw HTTPS client for it (admin token)."""

    def __init__(self, binary, extra=()):
        self.dir = tempfile.TemporaryDirectory()
        self.kubeconfig = os.path.join(self.dir.name, "kubeconfig")
        self.process = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--kubeconfig-out", self.kubeconfig, "--quiet",
             "--exit-with-parent", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on https://"):
            sys.exit(f"error: kube-sandbox did not start: {line!r}")
        host, port = line.split("https://")[1].strip().split(":")
        config = yaml.safe_load(open(self.kubeconfig))
        ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
        self.token = next(u["user"]["token"] for u in config["users"]
                          if u["name"] == "sandbox-token")
        context = ssl.create_default_context(cadata=ca.decode())
        self.conn = http.client.HTTPSConnection(host, int(port), context=context)

    def request(self, method, path, body=None, content_type="application/json"):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": content_type}
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            sys.exit(f"error: {method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def cpu_seconds(self):
        """User + system CPU the sandbox process has used so far (from /proc)."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def reset_metrics(self):
        self.request("DELETE", "/sandbox/metrics")

    def metrics(self):
        """Requests per resource and verb since the last reset (without the metrics calls)."""
        resources = self.request("GET", "/sandbox/metrics")["resources"]
        resources.pop("/sandbox/metrics", None)
        return resources

    def env(self, cache):
        return {"PATH": "/usr/bin:/bin", "HOME": self.dir.name, "KUBECONFIG": self.kubeconfig,
                "KUBECACHEDIR": cache}

    def close(self):
        self.conn.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.dir.cleanup()


def measured(argv, env, stdin=None, with_stderr=False, check=True):
    """Runs argv; returns (wall seconds, peak RSS KiB, stdout[, stderr]). Fails loudly on a
    non-zero exit. The RSS comes from /usr/bin/time: wait4's ru_maxrss of a child forked from
    this Python process would include Python's own pages (copied at fork, before the exec)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        process = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name, *argv], env=env,
                                 input=stdin or "", stdout=out, stderr=err, text=True)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if check and process.returncode != 0:
            sys.exit(f"error: {' '.join(argv)} exited {process.returncode}: "
                     f"{err.read().strip()[-2000:]}")
        peak, user, system = rss.read().strip().splitlines()[-1].split()
        global last_cpu
        last_cpu = float(user) + float(system)
        if with_stderr:
            return wall, int(peak), out.read(), err.read()
        return wall, int(peak), out.read()


def count(metrics, verbs=None, resources=None):
    return sum(n for resource, by_verb in metrics.items()
               if resources is None or resource in resources
               for verb, n in by_verb.items() if verbs is None or verb in verbs)


def bench_install(args):
    manifest = measured([args.plugin, "render", "--operator"], {"PATH": "/usr/bin:/bin"})[2]
    objects = sum(1 for doc in yaml.safe_load_all(manifest) if doc)
    samples = {"kubectl-mattermost install operator": [],
               "kubectl apply --server-side (warm cache)": [],
               "kubectl apply --server-side (cold cache)": []}
    for _ in range(args.runs):
        for name in samples:
            # No simulated controllers: the sandbox then serves only the command's requests.
            sandbox = Sandbox(args.sandbox, ["--no-simulation"])
            with tempfile.TemporaryDirectory() as cache:
                env = sandbox.env(cache)
                if name.startswith("kubectl-mattermost"):
                    argv = [args.plugin, "install", "operator"]
                else:
                    argv = [KUBECTL, "apply", "--server-side", "-f", "-"]
                    if "warm" in name:  # discovery and OpenAPI in the cache, as a user has them
                        # (fails on the namespaced objects: their namespace does not exist yet)
                        measured([KUBECTL, "apply", "--server-side", "--dry-run=server", "-f", "-"],
                                 env, manifest, check=False)
                sandbox.reset_metrics()
                wall, rss, _ = measured(argv, env, manifest if argv[0] == KUBECTL else None)
                requests = count(sandbox.metrics())
            sandbox.close()
            samples[name].append((wall, rss, requests))
    print(f"install operator ({objects} objects, fresh sandbox each run), median of {args.runs}")
    print(f"{'command':44} {'wall ms':>9} {'requests':>9} {'peak RSS KiB':>13}")
    medians = {}
    for name, runs in samples.items():
        medians[name] = tuple(statistics.median(r[i] for r in runs) for i in range(3))
        wall, rss, requests = medians[name]
        print(f"{name:44} {wall * 1000:9.1f} {requests:9.0f} {rss:13.0f}")
    ours = medians["kubectl-mattermost install operator"]
    print(f"requests: {ours[2]:.0f} for {objects} objects (target <= {objects + 2})")
    for name in list(samples)[1:]:
        wall, rss, requests = medians[name]
        print(f"vs {name}: {wall / ours[0]:.1f}x faster (target >= 3), "
              f"memory {ours[1] / rss:.3f} (target <= 0.250)")


def create_installations(sandbox, plugin, env, count_, namespaces):
    """One client-side install (which also installs the CRD), then the rest by raw POSTs of the
    same defaulted resource."""
    for n in range(namespaces):
        ns = f"bench-{n}"
        sandbox.request("POST", "/api/v1/namespaces",
                        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        sandbox.request("POST", f"/api/v1/namespaces/{ns}/secrets",
                        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
                         "data": {"DB_CONNECTION_STRING": base64.b64encode(
                             b"postgres://mm@db:5432/mm?sslmode=disable").decode()}})
    flags = ["--size", "100users", "--database-secret", "db", "--filestore-local", "1Gi",
             "--mode", "client"]
    measured([plugin, "install", "mm-0", "-n", "bench-0", "--ingress-host", "mm-0.local", *flags],
             env)
    template = json.loads(measured([plugin, "install", "template", "-n", "bench-0",
                                    "--ingress-host", "template.local", *flags,
                                    "--dry-run=client", "-o", "json"], env)[2])
    path = "/apis/installation.mattermost.com/v1beta1/namespaces/{}/mattermosts"
    for i in range(1, count_):
        ns = f"bench-{i % namespaces}"
        template["metadata"] = {"name": f"mm-{i}", "namespace": ns}
        template["spec"]["ingress"]["host"] = f"mm-{i}.local"
        sandbox.request("POST", path.format(ns), template)


def wait_rolled_out(sandbox, deployments, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        items = sandbox.request("GET", "/apis/apps/v1/deployments")["items"]
        ready = sum(1 for d in items if d.get("status", {}).get("availableReplicas", 0) >= 1)
        if ready >= deployments:
            return
        time.sleep(1)
    sys.exit(f"error: only {ready} of {deployments} deployments rolled out in {timeout} s")


def classify(log):
    """Counts the requests of a -v=6 request log: list, get, watch, write, discovery."""
    counts = {"list": 0, "get": 0, "watch": 0, "write": 0, "discovery": 0}
    for line in log.splitlines():
        method, _, rest = line.partition(" ")
        if not rest.startswith("https://") or method not in ("GET", "POST", "PUT", "PATCH",
                                                            "DELETE"):
            continue
        url = rest.split(" ")[0]
        path = "/" + url.split("/", 3)[3].split("?")[0]
        if method != "GET":
            counts["write"] += 1
            continue
        if "watch=true" in url:
            counts["watch"] += 1
            continue
        parts = path.strip("/").split("/")
        parts = parts[2:] if parts[0] == "api" else parts[3:]
        if not parts:
            counts["discovery"] += 1
        elif len(parts) in (1, 3) and not (len(parts) == 3 and parts[0] != "namespaces"):
            counts["list"] += 1
        else:
            counts["get"] += 1
    return counts


def reconcile_pass(sandbox, plugin, env, label, log=False):
    """One `reconcile -A`; with `log`, its requests are counted from its -v=6 log (the sandbox's
    own counters also see the simulated controllers). The sandbox's CPU during the pass shows
    how much of the wall time is the server's (its controllers are idle once rolled out)."""
    server_before = sandbox.cpu_seconds()
    wall, rss, out, err = measured([plugin, "reconcile", "-A"] + (["-v=6"] if log else []), env,
                                   with_stderr=True)
    server = sandbox.cpu_seconds() - server_before
    figures = {"wall": wall, "rss": rss, "cpu": last_cpu, "server_cpu": server,
               "installations": out.count(" reconciled (")}
    if log:
        figures.update(classify(err))
        print(f"{label:34} {wall * 1000:9.1f} {last_cpu * 1000:8.0f} {server * 1000:10.0f} "
              f"{figures['list']:6} {figures['get']:6} {figures['write']:7} {rss:13}  "
              f"(-v=6 request log on)")
    else:
        print(f"{label:34} {wall * 1000:9.1f} {last_cpu * 1000:8.0f} {server * 1000:10.0f} "
              f"{'':6} {'':6} {'':7} {rss:13}")
    return figures


def setup_reconcile(args, plugin):
    """A fresh sandbox with N installations, the initial pass of `plugin` (which creates every
    child), a wait until every pod rolled out, and the pass that records it. Returns the
    sandbox, its kubectl cache dir and the initial pass's figures."""
    n = args.installations
    # Nodes big enough for every installation's pod (the default three fit about 120).
    sandbox = Sandbox(args.sandbox, ["--pod-ready-delay", "100", "--node-cpu", "1000",
                                     "--node-memory", "4000Gi", "--node-pods", str(max(110, n))])
    cache = tempfile.TemporaryDirectory()
    env = sandbox.env(cache.name)
    start = time.perf_counter()
    create_installations(sandbox, plugin, env, n, max(1, n // 100))
    print(f"reconcile -A over {n} installations ({max(1, n // 100)} namespaces) with {plugin}; "
          f"setup {time.perf_counter() - start:.1f} s")
    print(f"{'pass':34} {'wall ms':>9} {'CPU ms':>8} {'server CPU':>10} {'lists':>6} "
          f"{'gets':>6} {'writes':>7} {'peak RSS KiB':>13}")
    initial = reconcile_pass(sandbox, plugin, env, "initial (creates children)", log=True)
    wait_rolled_out(sandbox, n, 600)
    reconcile_pass(sandbox, plugin, env, "rolled out (writes stable)", log=True)
    return sandbox, cache, initial


def bench_reconcile(args):
    """With --baseline, the same figures for a second binary (e.g. one built from main): its
    own sandbox for its initial pass, then steady passes of both, alternating on one sandbox so
    that both see the same load."""
    plugins = [args.plugin] + ([args.baseline] if args.baseline else [])
    initial = {}
    for plugin in reversed(plugins):
        sandbox, cache, initial[plugin] = setup_reconcile(args, plugin)
        if plugin != args.plugin:
            sandbox.close()
            cache.cleanup()
    env = sandbox.env(cache.name)
    counted = {p: reconcile_pass(sandbox, p, env, f"steady, counted: {label(p, args)}", log=True)
               for p in plugins}
    steady = {p: [] for p in plugins}
    for i in range(args.runs):
        for p in plugins:
            steady[p].append(reconcile_pass(sandbox, p, env, f"steady #{i + 1}: {label(p, args)}"))
    kinds = "mattermosts,deployments,replicasets,services,ingresses,jobs,secrets," \
            "persistentvolumeclaims,serviceaccounts,roles,rolebindings"
    kubectl = [measured([KUBECTL, "get", kinds, "-A", "-o", "json"], env)
               for _ in range(args.runs)]
    sandbox.close()
    cache.cleanup()
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for p in plugins:
        runs = steady[p]
        wall, cpu, server_cpu = (statistics.median(s[k] for s in runs)
                                 for k in ("wall", "cpu", "server_cpu"))
        c = counted[p]
        print(f"{label(p, args)}: initial pass {initial[p]['wall'] * 1000:.0f} ms "
              f"({initial[p]['cpu'] * 1000:.0f} ms of our CPU); steady state {wall * 1000:.0f} ms "
              f"(target < 1000; {cpu * 1000:.0f} ms of our CPU, {server_cpu * 1000:.0f} ms of the "
              f"sandbox's), {c['list']} lists, {c['get']} gets, {c['discovery']} discovery, "
              f"{c['write']} writes (target 0), {runs[0]['installations']} installations "
              f"reconciled")
    if args.baseline:
        ours, base = steady[args.plugin], steady[args.baseline]
        ratio = (lambda k: statistics.median(s[k] for s in base) /
                 statistics.median(s[k] for s in ours))
        print(f"this build vs baseline, steady state: {ratio('wall'):.2f}x wall, "
              f"{ratio('cpu'):.2f}x our CPU; initial pass "
              f"{initial[args.baseline]['wall'] / initial[args.plugin]['wall']:.2f}x wall")
    rss = statistics.median(s["rss"] for s in steady[args.plugin])
    kubectl_rss = statistics.median(k[1] for k in kubectl)
    kubectl_wall = statistics.median(k[0] for k in kubectl)
    print(f"kubectl get of the same kinds -A -o json: {kubectl_wall * 1000:.0f} ms, "
          f"{kubectl_rss} KiB; memory ratio {rss / kubectl_rss:.3f} (target <= 0.250)")


def label(plugin, args):
    return "baseline" if plugin == args.baseline and plugin != args.plugin else "this build"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("which", choices=["install", "reconcile"])
    parser.add_argument("sandbox")
    parser.add_argument("plugin")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--installations", type=int, default=1000)
    parser.add_argument("--baseline", help="reconcile: a second kubectl-mattermost to compare")
    args = parser.parse_args()
    if args.which == "install":
        bench_install(args)
    else:
        bench_reconcile(args)


if __name__ == "__main__":
    main()
