#!/usr/bin/python3
"""The Debian python3-kubernetes client's WebSocket streams against a fresh kube-sandbox over
TLS: portforward (v4.channel.k8s.io) to a simulated mattermost pod's HTTP port and its bulk port,
several ports on one connection, a port nothing listens on, a pod deleted mid-forward; and
stream (exec): echo, the exit code of a failing command, cat with stdin.

usage: /usr/bin/python3 python_streams_test.py PATH_TO_kube-sandbox
"""
import json
import os
import string
import sys
import time

from kubernetes import client, config
from kubernetes.stream import portforward, stream

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_client_test import run_with_sandbox  # noqa: E402

NS = "streams"
IMAGE_TAG = "10.5.2"
DEADLINE = 60  # seconds; generous, the machine may be loaded


def main():
    run_with_sandbox(run, "python3-kubernetes streams")


def wait_for(what, check):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def running_pod(core):
    def check():
        pods = core.list_namespaced_pod(NS, label_selector="app=mm").items
        running = [p for p in pods if p.status.phase == "Running" and not p.metadata.deletion_timestamp]
        return running[0].metadata.name if running else None
    return wait_for("a Running pod", check)


def read_to_eof(sock):
    sock.settimeout(DEADLINE)
    data = bytearray()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return bytes(data)
        data += chunk


def pattern(n):
    letters = string.ascii_lowercase.encode()
    return (letters * (n // 26 + 1))[:n]


def ping_request():
    return b"GET /api/v4/system/ping HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n"


def check_ping(response):
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK"), response
    assert json.loads(body) == {"status": "OK", "version": IMAGE_TAG}, body


def start_mattermost_pod(work):
    """Creates namespace NS with a one-replica mattermost Deployment in the sandbox whose
    kubeconfig is in work; returns the CoreV1Api and the name of the pod once it runs."""
    api_client = config.new_client_from_config(config_file=f"{work}/kubeconfig")
    core = client.CoreV1Api(api_client)
    apps = client.AppsV1Api(api_client)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
    container = client.V1Container(
        name="mattermost", image=f"mattermost/mattermost-team-edition:{IMAGE_TAG}",
        env=[client.V1EnvVar(name="MM_SERVICESETTINGS_SITEURL", value="https://chat.example.com")])
    apps.create_namespaced_deployment(NS, client.V1Deployment(
        metadata=client.V1ObjectMeta(name="mm"),
        spec=client.V1DeploymentSpec(
            replicas=1, selector=client.V1LabelSelector(match_labels={"app": "mm"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "mm"}),
                spec=client.V1PodSpec(containers=[container])))))
    return core, running_pod(core)


def run(work):
    core, pod = start_mattermost_pod(work)

    # The HTTP port: one request through the forward.
    pf = portforward(core.connect_get_namespaced_pod_portforward, pod, NS, ports="8065")
    sock = pf.socket(8065)
    sock.sendall(ping_request())
    check_ping(read_to_eof(sock))
    assert pf.error(8065) is None, pf.error(8065)
    pf.close()

    # The bulk port: 10 MiB arrive intact.
    size = 10 * 1024 * 1024
    pf = portforward(core.connect_get_namespaced_pod_portforward, pod, NS, ports="9999")
    sock = pf.socket(9999)
    sock.sendall(b"%d\n" % size)
    data = read_to_eof(sock)
    assert len(data) == size, len(data)
    assert data == pattern(size), "bulk bytes differ from the pattern"
    pf.close()

    # Two ports on one websocket (channels 0/1 and 2/3).
    pf = portforward(core.connect_get_namespaced_pod_portforward, pod, NS, ports="8065,9999")
    pf.socket(8065).sendall(ping_request())
    pf.socket(9999).sendall(b"100000\n")
    assert read_to_eof(pf.socket(9999)) == pattern(100000)
    check_ping(read_to_eof(pf.socket(8065)))
    pf.close()

    # Nothing listens on 5432: the error channel says why and the socket closes.
    pf = portforward(core.connect_get_namespaced_pod_portforward, pod, NS, ports="5432")
    assert read_to_eof(pf.socket(5432)) == b""
    error = wait_for("the port's error", lambda: pf.error(5432))
    assert f"error forwarding port 5432 to pod {pod}_{NS}" in error, error
    assert "connection refused" in error, error
    pf.close()

    # exec: output, then exit codes from the status channel.
    out = stream(core.connect_get_namespaced_pod_exec, pod, NS, command=["echo", "hi"],
                 stderr=True, stdin=False, stdout=True, tty=False)
    assert out == "hi\n", repr(out)
    out = stream(core.connect_get_namespaced_pod_exec, pod, NS, command=["env"],
                 stderr=True, stdin=False, stdout=True, tty=False)
    assert "\nMM_SERVICESETTINGS_SITEURL=https://chat.example.com\n" in out, out
    resp = stream(core.connect_get_namespaced_pod_exec, pod, NS, command=["sh", "-c", "exit 3"],
                  stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
    resp.run_forever(timeout=DEADLINE)
    assert resp.returncode == 3, resp.returncode
    resp = stream(core.connect_get_namespaced_pod_exec, pod, NS, command=["no-such-tool"],
                  stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
    resp.run_forever(timeout=DEADLINE)
    assert resp.returncode == 127, resp.returncode
    # cat echoes stdin (sent as text frames by this client) until the websocket closes.
    resp = stream(core.connect_get_namespaced_pod_exec, pod, NS, command=["cat"],
                  stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    resp.write_stdin("hello cat\n")
    echoed = ""
    deadline = time.monotonic() + DEADLINE
    while "hello cat\n" not in echoed and time.monotonic() < deadline:
        resp.update(timeout=1)
        echoed += resp.read_stdout()
    assert echoed == "hello cat\n", repr(echoed)
    resp.close()

    # A pod deleted mid-forward resets the forwarded connection.
    pf = portforward(core.connect_get_namespaced_pod_portforward, pod, NS, ports="9999")
    sock = pf.socket(9999)
    sock.sendall(b"1000000000000\n")  # a terabyte: only the deletion ends it
    sock.settimeout(DEADLINE)
    first = sock.recv(1 << 16)
    assert first and first == pattern(len(first)), first[:32]
    core.delete_namespaced_pod(pod, NS)
    read_to_eof(sock)
    error = wait_for("the port's error", lambda: pf.error(9999))
    assert "connection reset by peer" in error, error
    pf.close()


if __name__ == "__main__":
    main()
