#!/usr/bin/python3
"""Client-to-pod backpressure of the sandbox's port-forward: a pod that stops reading must not make
the sandbox buffer whatever the client sends. Through real kubectl (SPDY tunnelled in a WebSocket,
which also runs the WebSocket server's paused reader, and raw SPDY), a client connection to the
simulated bulk port sends `hold` (the pod then reads nothing more) and then floods the forward
until it stops accepting bytes for a while. (The python3-kubernetes client is too slow for this
under load: it masks every byte in Python. The v4 handler's pause is unit-tested in
PodSessionsTest.PortForwardStopsReadingTheClientWhileThePodIsSlow.) The sandbox's
portForwardQueuedToPodsPeak (GET /sandbox/metrics) must stay near the 4 MiB mark instead of
growing with what was sent, and the sender must have been stopped well before its 256 MiB. What
was held for the pod is dropped when the pod is deleted.

usage: /usr/bin/python3 port_forward_backpressure_test.py PATH_TO_kube-sandbox PATH_TO_kubectl
"""
import json
import os
import re
import select
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_client_test import run_with_sandbox  # noqa: E402

KUBECTL = sys.argv[2] if len(sys.argv) > 2 else "/usr/lib/google-cloud-sdk/bin/kubectl"
FLOOD = 256 << 20    # what a client tries to send to the held pod
STALL = 5            # seconds without progress: the forward stopped taking bytes
PEAK_LIMIT = 6 << 20  # the 4 MiB mark plus one client message or read of slack
DEADLINE = 60        # seconds; generous, the machine may be loaded


def flood(sock):
    """Sends `hold`, then bytes until the socket takes none for STALL seconds; returns the count."""
    sock.sendall(b"hold\n")
    sock.setblocking(False)
    chunk = b"x" * (1 << 20)
    sent = 0
    while sent < FLOOD:
        _, writable, _ = select.select([], [sock], [], STALL)
        if not writable:
            break
        try:
            sent += sock.send(chunk)
        except BlockingIOError:
            continue
    return sent


def metrics(env):
    out = subprocess.run([KUBECTL, "get", "--raw", "/sandbox/metrics"], env=env, check=True,
                         capture_output=True, text=True, timeout=DEADLINE).stdout
    return json.loads(out)


def kubectl_forward(env, pod, mode, work):
    """Starts `kubectl port-forward` in `mode`; returns the process and its local port."""
    log = f"{work}/forward-{mode}.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [KUBECTL, "port-forward", "-n", "sim", f"pod/{pod}", ":9999"], stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(env, KUBECTL_PORT_FORWARD_WEBSOCKETS="true" if mode == "websocket" else
                     "false"))
    deadline = time.time() + DEADLINE
    while time.time() < deadline:
        with open(log, encoding="utf-8") as stream:
            match = re.search(r"^Forwarding from 127\.0\.0\.1:(\d+)", stream.read(), re.M)
        if match:
            return proc, int(match.group(1))
        assert proc.poll() is None, f"kubectl port-forward exited: {open(log).read()}"
        time.sleep(0.1)
    raise AssertionError(f"kubectl port-forward did not listen: {open(log).read()}")


def wait_until_queued(env, want):
    """Waits until the sandbox holds exactly `want` bytes for pods."""
    deadline = time.time() + DEADLINE
    while metrics(env)["portForwardQueuedToPods"] != want:
        assert time.time() < deadline, f"want {want} queued: {metrics(env)}"
        time.sleep(0.2)


def check_bounded(way, env, connect):
    """Floods a held pod through `connect()`'s socket and checks what the sandbox queued."""
    baseline = metrics(env)["portForwardQueuedToPods"]
    subprocess.run([KUBECTL, "delete", "--raw", "/sandbox/metrics"], env=env, check=True,
                   capture_output=True, timeout=DEADLINE)  # the peak restarts from what is queued now
    sock = connect()
    sent = flood(sock)
    grew = metrics(env)["portForwardQueuedToPodsPeak"] - baseline
    sock.close()
    print(f"{way}: the client sent {sent >> 20} MiB to a held pod; the sandbox queued at most "
          f"{grew / (1 << 20):.1f} MiB for it", flush=True)
    assert sent < FLOOD, f"{way}: all {FLOOD} bytes were taken: nothing pushed back"
    assert grew <= PEAK_LIMIT, f"{way}: the sandbox queued {grew} bytes for the held pod"
    assert grew > 0, f"{way}: nothing reached the sandbox"


def main():
    run_with_sandbox(run, "port-forward backpressure")


def run(work):
    env = dict(os.environ, KUBECONFIG=f"{work}/kubeconfig", KUBECACHEDIR=f"{work}/cache",
               HOME=work)
    here = os.path.dirname(os.path.abspath(__file__))
    for argv in (["create", "ns", "sim"], ["apply", "-f", f"{here}/testdata/sim-web.yaml"],
                 ["wait", "--for=condition=Available", "deploy/web", "-n", "sim",
                  f"--timeout={DEADLINE}s"]):
        subprocess.run([KUBECTL] + argv, env=env, check=True, capture_output=True,
                       timeout=2 * DEADLINE)
    pod = subprocess.run([KUBECTL, "get", "pods", "-n", "sim", "-l", "app=web", "-o",
                          "jsonpath={.items[0].metadata.name}"], env=env, check=True,
                         capture_output=True, text=True).stdout

    # A client stuck sending to a held pod cannot close its connection (its FIN waits behind the
    # bytes the paused sandbox does not read), so the held connections end with the pod.
    for mode in ("websocket", "spdy"):
        proc, port = kubectl_forward(env, pod, mode, work)
        try:
            check_bounded(f"kubectl port-forward ({mode})", env,
                          lambda port=port: socket.create_connection(("127.0.0.1", port), 60))
        finally:
            proc.kill()
            proc.wait()
    subprocess.run([KUBECTL, "delete", "pod", "-n", "sim", pod, "--wait=false"], env=env,
                   check=True, capture_output=True, timeout=DEADLINE)
    wait_until_queued(env, 0)


if __name__ == "__main__":
    main()
