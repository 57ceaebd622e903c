#!/usr/bin/python3
"""Throughput of the simulated bulk port (9999) of a mattermost pod in a fresh kube-sandbox,
side by side: a direct loopback TCP connection to the listener, and python3-kubernetes'
WebSocket port-forward (v4.channel.k8s.io over TLS through the sandbox). Prints figures, asserts
nothing (not a test). The Python client's own copying is part of its figure.

usage: /usr/bin/python3 portforward_bench.py PATH_TO_kube-sandbox [MIB (default 64)]
"""
import os
import socket
import sys
import tempfile
import time

from kubernetes.stream import portforward

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
from python_client_test import start_sandbox  # noqa: E402
from python_streams_test import NS, start_mattermost_pod  # noqa: E402


def drain(sock, size):
    sock.sendall(b"%d\n" % size)
    got = 0
    start = time.monotonic()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            break
        got += len(chunk)
    elapsed = time.monotonic() - start
    assert got == size, (got, size)
    return elapsed


def main():
    binary = sys.argv[1]
    size = int(sys.argv[2] if len(sys.argv) > 2 else 64) << 20
    with tempfile.TemporaryDirectory() as work:
        process = start_sandbox(binary, work)
        try:
            ports = dict(kv.split("=") for kv in process.stdout.readline().split()[2:])
            host, port = ports["bulk"].rsplit(":", 1)
            core, pod = start_mattermost_pod(work)
            direct = drain(socket.create_connection((host, int(port))), size)
            pf = portforward(core.connect_get_namespaced_pod_portforward, pod, NS, ports="9999")
            forwarded = drain(pf.socket(9999), size)
            pf.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    mib = size / (1 << 20)
    print(f"bulk port, {mib:.0f} MiB, {os.cpu_count()} cores")
    print(f"  direct loopback TCP:                 {mib / direct:8.1f} MiB/s")
    print(f"  python3-kubernetes port-forward (ws): {mib / forwarded:8.1f} MiB/s")
    print(f"  ratio port-forward / direct:          {direct / forwarded:8.3f}")

if __name__ == "__main__":
    main()
