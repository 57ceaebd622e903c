#!/usr/bin/env python3
"""Port-forward throughput: ours vs a direct loopback connection vs real `kubectl port-forward`.

Starts a fresh kube-sandbox, installs a client-side Mattermost with the plugin, and downloads the
same N MB from the simulated pod's bulk port (the client writes N and a newline; the pod sends N
bytes) three ways, interleaved, R rounds: straight to the sandbox's loopback listener, through
`kubectl-mattermost port-forward`, and through `kubectl port-forward` (SPDY; skipped with a note
when the sandbox cannot serve it). Prints the median MB/s and the ratios. DESIGN.md's target: at
least half of loopback, and at least kubectl.

Usage: port_forward.py KUBE_SANDBOX KUBECTL_MATTERMOST [--mb N] [--rounds R]
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl"


def download(port, size):
    """Returns MB/s of downloading `size` bytes from the bulk protocol on 127.0.0.1:port."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=300) as sock:
        sock.sendall(b"%d\n" % size)
        received = 0
        buffer = bytearray(1 << 20)
        while True:
            n = sock.recv_into(buffer)
            if n == 0:
                break
            received += n
    elapsed = time.perf_counter() - start
    if received != size:
        sys.exit(f"error: port {port}: received {received} of {size} bytes")
    return size / elapsed / 1e6


def wait_for_line(path, pattern, proc, what, timeout=120):
    """Returns the first match of `pattern` in file `path`, waiting for it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(path, encoding="utf-8", errors="replace") as stream:
            match = re.search(pattern, stream.read(), re.M)
        if match:
            return match
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    with open(path, encoding="utf-8", errors="replace") as stream:
        sys.exit(f"error: {what}: no {pattern!r} in its output: {stream.read()[-2000:]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sandbox")
    parser.add_argument("plugin")
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    size = args.mb * 1000 * 1000
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, KUBECONFIG=f"{work}/kubeconfig", KUBECACHEDIR=f"{work}/cache",
                   HOME=work)
        procs = []

        def start(name, argv):
            out = open(f"{work}/{name}.out", "w")
            proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
            procs.append(proc)
            return proc, f"{work}/{name}.out"

        try:
            sandbox, sandbox_out = start("sandbox", [
                args.sandbox, "--listen", "127.0.0.1:0", "--kubeconfig-out", f"{work}/kubeconfig",
                "--quiet", "--pod-ready-delay", "300"])
            direct = int(wait_for_line(sandbox_out, r"bulk=127\.0\.0\.1:(\d+)", sandbox,
                                       "kube-sandbox").group(1))
            subprocess.run([KUBECTL, "create", "secret", "generic", "db",
                            "--from-literal=DB_CONNECTION_STRING=postgres://mm@db:5432/mm"],
                           env=env, check=True, capture_output=True)
            subprocess.run([args.plugin, "install", "demo", "--size", "100users",
                            "--ingress-host", "demo.local", "--database-secret", "db",
                            "--filestore-local", "10Gi", "--wait", "--timeout", "120s"],
                           env=env, check=True, capture_output=True)
            ours_proc, ours_out = start("ours", [args.plugin, "port-forward", "demo", "0:9999"])
            ours = int(wait_for_line(ours_out, r"^Forwarding from 127\.0\.0\.1:(\d+)", ours_proc,
                                     "port-forward").group(1))
            pod = subprocess.run([KUBECTL, "get", "pods", "-l", "app=mattermost", "-o",
                                  "jsonpath={.items[0].metadata.name}"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            ways = {"direct loopback": direct, "kubectl-mattermost port-forward": ours}
            kubectl_proc, kubectl_out = start("kubectl", [KUBECTL, "port-forward", f"pod/{pod}",
                                                          ":9999"])
            try:
                match = wait_for_line(kubectl_out, r"^Forwarding from 127\.0\.0\.1:(\d+)",
                                      kubectl_proc, "kubectl port-forward", timeout=30)
                kubectl_port = int(match.group(1))
                download(kubectl_port, 1000)  # does the sandbox serve kubectl's SPDY?
                ways["kubectl port-forward"] = kubectl_port
            except (SystemExit, OSError) as problem:
                print(f"note: kubectl port-forward skipped: {problem}")
            samples = {name: [] for name in ways}
            for name, port in ways.items():  # warm up
                download(port, size // 10)
            for _ in range(args.rounds):
                for name, port in ways.items():
                    samples[name].append(download(port, size))
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait()

    print(f"port-forward throughput: {args.mb} MB from the bulk port, median of {args.rounds} "
          f"interleaved rounds")
    medians = {name: statistics.median(runs) for name, runs in samples.items()}
    for name, value in medians.items():
        print(f"  {name:34} {value:8.1f} MB/s")
    ours_speed = medians["kubectl-mattermost port-forward"]
    print(f"  ours / loopback: {ours_speed / medians['direct loopback']:.2f} (target >= 0.50)")
    if "kubectl port-forward" in medians:
        print(f"  ours / kubectl:  {ours_speed / medians['kubectl port-forward']:.2f} "
              f"(target >= 1.00)")


if __name__ == "__main__":
    main()
