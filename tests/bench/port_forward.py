#!/usr/bin/env python3
"""Port-forward throughput, every way side by side in one sandbox (the only port-forward bench).

Starts a fresh kube-sandbox, installs a client-side Mattermost with the plugin, and downloads the
same N MB from one simulated pod's bulk port (the client writes N and a newline; the pod sends N
bytes) these ways, interleaved, R rounds, after one warm-up transfer each:

  direct loopback          TCP straight to the sandbox's bulk listener (the same simulated port)
  kubectl-mattermost       our `port-forward` (WebSocket v4.channel.k8s.io over TLS)
  kubectl (SPDY in WS)     real `kubectl port-forward`, its default (SPDY tunnelled in a WebSocket)
  kubectl (raw SPDY)       real `kubectl port-forward` with KUBECTL_PORT_FORWARD_WEBSOCKETS=false
  python3-kubernetes       the Debian Python client's WebSocket port-forward (--python; in-process)

Prints the median MB/s, the ratio to direct loopback and ours / kubectl, and the CPU time per MB
spent by the sandbox and by the forwarding process (from /proc, so it does not depend on how
loaded the machine is), with the reader's (this process), and from those the CPU bound: the most
MB/s each path can reach on this machine's cores. DESIGN.md's targets: ours >= 0.50 of loopback
and >= kubectl.

With --tls-hop TLS_HOP_BENCH, each round also runs the ceiling (tests/bench/tls_hop_bench.cc): the
same N MB between two C++ processes over one loopback connection, plain and through one TLS 1.3
hop (AES-128-GCM, the sandbox's TLS engine, both ends written for throughput) with no forwarding
at all. A port-forward is that TLS hop plus the kubelet's and the forwarder's local hops, so
"one TLS hop / plain" bounds what "ours / loopback" can reach on this machine.

Usage: port_forward.py KUBE_SANDBOX KUBECTL_MATTERMOST [--mb N] [--rounds R] [--python]
                       [--tls-hop TLS_HOP_BENCH]
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
TICK = os.sysconf("SC_CLK_TCK")


def download(sock, size):
    """Returns MB/s of downloading `size` bytes from the bulk protocol on the connected `sock`."""
    start = time.perf_counter()
    try:
        sock.sendall(b"%d\n" % size)
        received = 0
        buffer = bytearray(1 << 20)
        while True:
            n = sock.recv_into(buffer)
            if n == 0:
                break
            received += n
    finally:
        sock.close()
    elapsed = time.perf_counter() - start
    if received != size:
        sys.exit(f"error: received {received} of {size} bytes")
    return size / elapsed / 1e6


def cpu_seconds(pid):
    """User+system CPU seconds of process `pid` and its live descendants (0 when gone)."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stream:
            fields = stream.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / TICK
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as stream:
                total += sum(cpu_seconds(int(child)) for child in stream.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


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


class Way:
    """One path to the bulk port: `connect()` returns a connected socket; `pid` forwards."""

    def __init__(self, name, connect, pid=None):
        self.name, self.connect, self.pid = name, connect, pid
        self.rates, self.forwarder_cpu, self.sandbox_cpu, self.reader_cpu = [], [], [], []

    def cpu(self, mb):
        """Median CPU ms/MB of the sandbox, the forwarder (None without one) and the reader."""
        def median(seconds):
            return 1000 * statistics.median(seconds) / mb if seconds else None
        return median(self.sandbox_cpu), median(self.forwarder_cpu), median(self.reader_cpu)


def cpu_bound(ms_per_mb, cores):
    """The most MB/s a chain of processes spending `ms_per_mb` CPU each can reach on `cores`
    cores: none goes faster than one core, all together not faster than all the cores."""
    return 1000 / max(max(ms_per_mb), sum(ms_per_mb) / cores)


def local(port):
    return lambda: socket.create_connection(("127.0.0.1", port), timeout=300)


def python_way(work, pod):
    """The python3-kubernetes WebSocket port-forward, or None (with a note) without the module."""
    try:
        from kubernetes import client, config  # pylint: disable=import-outside-toplevel
        from kubernetes.stream import portforward  # pylint: disable=import-outside-toplevel
    except ImportError as problem:
        print(f"note: python3-kubernetes skipped: {problem}")
        return None
    config.load_kube_config(config_file=f"{work}/kubeconfig")
    core = client.CoreV1Api()

    def connect():
        forward = portforward(core.connect_get_namespaced_pod_portforward, pod, "default",
                              ports="9999")
        return forward.socket(9999)

    return Way("python3-kubernetes (WebSocket)", connect)


def start_ways(args, work, env, start, direct):
    """Starts every forwarder; returns the Ways that answered a small transfer."""
    ours_proc, ours_out = start("ours", [args.plugin, "port-forward", "demo", "0:9999"])
    ours = int(wait_for_line(ours_out, r"^Forwarding from 127\.0\.0\.1:(\d+)", ours_proc,
                             "port-forward").group(1))
    ways = [Way("direct loopback", local(direct)),
            Way("kubectl-mattermost port-forward", local(ours), ours_proc.pid)]
    pod = subprocess.run([KUBECTL, "get", "pods", "-l", "app=mattermost", "-o",
                          "jsonpath={.items[0].metadata.name}"], env=env, check=True,
                         capture_output=True, text=True).stdout
    for label, websockets in (("SPDY in WebSocket", "true"), ("raw SPDY", "false")):
        name = f"kubectl-{websockets}"
        proc, out = start(name, [KUBECTL, "port-forward", f"pod/{pod}", ":9999"],
                          KUBECTL_PORT_FORWARD_WEBSOCKETS=websockets)
        try:
            match = wait_for_line(out, r"^Forwarding from 127\.0\.0\.1:(\d+)", proc, name, 60)
            way = Way(f"kubectl port-forward ({label})", local(int(match.group(1))), proc.pid)
            download(way.connect(), 1000)  # does the sandbox serve this mode?
            ways.append(way)
        except (SystemExit, OSError) as problem:
            print(f"note: kubectl port-forward ({label}) skipped: {problem}")
    if args.python:
        way = python_way(work, pod)
        if way is not None:
            ways.append(way)
    return ways


class Hop:
    """The ceiling: tls_hop_bench sending N MB from a child process to itself, plain or TLS."""

    def __init__(self, name, binary, plain):
        self.name, self.binary, self.plain = name, binary, plain
        self.rates, self.sender_cpu, self.receiver_cpu = [], [], []

    def run(self, mb):
        """Returns (MB/s, sender CPU ms, receiver CPU ms) of one transfer of `mb` MB."""
        argv = [self.binary, "--mb", str(mb)] + (["--plain"] if self.plain else [])
        done = subprocess.run(argv, check=False, capture_output=True, text=True)
        fields = done.stdout.split()
        if done.returncode != 0 or len(fields) != 6:
            sys.exit(f"error: {' '.join(argv)}: {done.stderr.strip() or done.stdout.strip()}")
        return float(fields[1]), float(fields[3]), float(fields[5])

    def measure(self, mb):
        rate, sender, receiver = self.run(mb)
        self.rates.append(rate)
        self.sender_cpu.append(sender)
        self.receiver_cpu.append(receiver)


def measure(ways, hops, size, rounds, sandbox_pid):
    for way in ways:  # warm up
        download(way.connect(), size // 10)
    for hop in hops:
        hop.run(max(1, size // 10 // 1000000))
    for _ in range(rounds):
        for way in ways:
            sock = way.connect()
            before = (cpu_seconds(sandbox_pid), cpu_seconds(way.pid) if way.pid else 0,
                      time.process_time())
            way.rates.append(download(sock, size))
            way.reader_cpu.append(time.process_time() - before[2])
            way.sandbox_cpu.append(cpu_seconds(sandbox_pid) - before[0])
            if way.pid:
                way.forwarder_cpu.append(cpu_seconds(way.pid) - before[1])
        for hop in hops:
            hop.measure(size // 1000000)


def report_hops(hops, mb, ours, direct):
    """The ceiling rows, ours / loopback next to one TLS hop / plain, and what one thread that
    only encrypts and sends could reach: `direct` is (this run's loopback MB/s, its CPU bound)."""
    medians = {hop.name: statistics.median(hop.rates) for hop in hops}
    plain = medians[hops[0].name]
    print("  ceiling, same run: one loopback connection between two C++ processes, "
          "no forwarding (tls_hop_bench)")
    print(f"  {'path':40} {'MB/s':>8} {'/plain':>7}   CPU ms/MB: {'sender':>8} {'receiver':>9}")
    for hop in hops:
        cpu = (statistics.median(hop.sender_cpu) / mb, statistics.median(hop.receiver_cpu) / mb)
        print(f"  {hop.name:40} {medians[hop.name]:8.1f} {medians[hop.name] / plain:7.2f}"
              f"              {cpu[0]:8.2f} {cpu[1]:9.2f}")
    tls = medians[hops[1].name] / plain
    print(f"  ours / loopback: {ours:.2f}; one TLS hop, no forwarding / plain: {tls:.2f} "
          f"(the ceiling: a port-forward adds two hops to that one)")
    sender = statistics.median(hops[1].sender_cpu) / mb
    print(f"  a TLS sender that does nothing else spends {sender:.2f} ms/MB: a port-forward whose "
          f"server encrypts in one\n    thread stays below {1000 / sender:.0f} MB/s, "
          f"{1000 / sender / direct[0]:.2f} of this run's loopback, "
          f"{1000 / sender / direct[1]:.2f} of loopback's CPU bound")


def report(ways, hops, args, size):
    mb = size / 1e6
    print(f"port-forward throughput: {args.mb} MB from the bulk port, median of {args.rounds} "
          f"interleaved rounds, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"  {'path':40} {'MB/s':>8} {'/direct':>7}   CPU ms/MB: {'sandbox':>8} {'forwarder':>9}"
          f" {'reader':>7}   CPU bound MB/s")
    medians = {way.name: statistics.median(way.rates) for way in ways}
    direct = medians["direct loopback"]
    bounds = {}
    for way in ways:
        sandbox, forwarder, reader = way.cpu(mb)
        bounds[way.name] = cpu_bound([c for c in (sandbox, forwarder, reader) if c is not None],
                                     os.cpu_count())
        shown = f"{forwarder:9.2f}" if forwarder is not None else f"{'-':>9}"
        print(f"  {way.name:40} {medians[way.name]:8.1f} {medians[way.name] / direct:7.2f}"
              f"              {sandbox:8.2f} {shown} {reader:7.2f}   {bounds[way.name]:8.0f}")
    ours_name = "kubectl-mattermost port-forward"
    ours = medians[ours_name]
    print(f"  ours / loopback: {ours / direct:.2f} (target >= 0.50)")
    for name, value in medians.items():
        if name.startswith("kubectl port-forward"):
            print(f"  ours / {name}: {ours / value:.2f} (target >= 1.00)")
    ours_bound, direct_bound = bounds[ours_name], bounds["direct loopback"]
    print(f"  CPU bound: the most MB/s the CPU ms/MB above allow on {os.cpu_count()} cores (no "
          f"process faster than one\n    core, all together no faster than all the cores; "
          f"independent of load): ours <= {ours_bound:.0f} MB/s,\n    "
          f"{ours_bound / direct:.2f} of this run's loopback, {ours_bound / direct_bound:.2f} "
          f"of loopback's CPU bound")
    if hops:
        report_hops(hops, mb, ours / direct, (direct, direct_bound))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sandbox")
    parser.add_argument("plugin")
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", action="store_true",
                        help="also measure the python3-kubernetes client (in this process)")
    parser.add_argument("--tls-hop", metavar="TLS_HOP_BENCH",
                        help="also measure the ceiling: one TLS hop with no forwarding")
    args = parser.parse_args()
    hops = []
    if args.tls_hop:
        hops = [Hop("loopback, no TLS", args.tls_hop, True),
                Hop("one TLS 1.3 hop, no forwarding", args.tls_hop, False)]
    size = args.mb * 1000 * 1000
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, KUBECONFIG=f"{work}/kubeconfig", KUBECACHEDIR=f"{work}/cache",
                   HOME=work)
        procs = []

        def start(name, argv, **extra):
            out = open(f"{work}/{name}.out", "w", encoding="utf-8")
            proc = subprocess.Popen(argv, env=dict(env, **extra), stdout=out,
                                    stderr=subprocess.STDOUT)
            procs.append(proc)
            return proc, f"{work}/{name}.out"

        try:
            sandbox, sandbox_out = start("sandbox", [
                args.sandbox, "--listen", "127.0.0.1:0", "--kubeconfig-out", f"{work}/kubeconfig",
                "--quiet", "--exit-with-parent", "--pod-ready-delay", "300"])
            direct = int(wait_for_line(sandbox_out, r"bulk=127\.0\.0\.1:(\d+)", sandbox,
                                       "kube-sandbox").group(1))
            subprocess.run([KUBECTL, "create", "secret", "generic", "db",
                            "--from-literal=DB_CONNECTION_STRING=postgres://mm@db:5432/mm"],
                           env=env, check=True, capture_output=True)
            subprocess.run([args.plugin, "install", "demo", "--size", "100users",
                            "--ingress-host", "demo.local", "--database-secret", "db",
                            "--filestore-local", "10Gi", "--wait", "--timeout", "120s"],
                           env=env, check=True, capture_output=True)
            ways = start_ways(args, work, env, start, direct)
            measure(ways, hops, size, args.rounds, sandbox.pid)
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait()
    report(ways, hops, args, size)


if __name__ == "__main__":
    main()
