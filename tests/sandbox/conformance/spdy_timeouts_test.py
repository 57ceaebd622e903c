#!/usr/bin/python3
"""The kubelet's SPDY stream creation timeout in a fresh kube-sandbox, over real TLS connections
(--stream-creation-timeout-ms 1000 instead of the kubelet's 30 s):

- an exec whose client never opens its streams is closed by the server;
- a port-forward whose error streams never get their data streams: each gets the kubelet's
  "(conn=..., request=N) timed out waiting for streams" on its error stream, and the connection
  stays up (the streams are replayed from a capture of real kubectl 1.32, which opens a data
  stream only after its error stream was answered).

usage: /usr/bin/python3 spdy_timeouts_test.py PATH_TO_kube-sandbox
"""
import base64
import http.client
import json
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

import yaml

# tests/sandbox/spdy/kubectl_capture.h: SYN_STREAM 1 {streamtype: error, port: 8065,
# requestid: 0}, SYN_STREAM 3 {streamtype: error, port: 8065, requestid: 1}, PING 1.
KUBECTL_ERROR_STREAMS = bytes.fromhex(
    "800300010000003d0000000100000000000078f9e3c6a7c202253a703a2b294a4dcc851625aca9a080861"
    "4cb45e01c606160062a84388b20d198094ade8c0600000000ffff8003000100000013000000030000000000"
    "00a244b321000000ffff800300060000000400000001")


def start(binary, work):
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--kubeconfig-out", f"{work}/kubeconfig",
         "--pod-ready-delay", "100", "--stream-creation-timeout-ms", "1000", "--quiet",
         "--exit-with-parent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith("listening on https://"), (line, process.stderr.read())
    host, port = line.split("https://")[1].strip().split(":")
    config = yaml.safe_load(open(f"{work}/kubeconfig"))
    ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
    context = ssl.create_default_context(cadata=ca.decode())
    token = next(u["user"]["token"] for u in config["users"] if u["name"] == "sandbox-token")
    return process, host, int(port), context, token


def call(host, port, context, token, method, path, body=None):
    conn = http.client.HTTPSConnection(host, port, context=context, timeout=30)
    conn.request(method, path, body=body, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def running_pod(host, port, context, token):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
           "spec": {"containers": [{"name": "web",
                                    "image": "mattermost/mattermost-team-edition:10.5.2"}]}}
    code, data = call(host, port, context, token, "POST", "/api/v1/namespaces/default/pods",
                      json.dumps(pod))
    assert code == 201, (code, data)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        code, data = call(host, port, context, token, "GET", "/api/v1/namespaces/default/pods/web")
        if json.loads(data).get("status", {}).get("phase") == "Running":
            return "/api/v1/namespaces/default/pods/web"
        time.sleep(0.1)
    raise AssertionError("pod web not Running within 60 s")


def upgrade(host, port, context, token, target, protocol):
    """A raw SPDY upgrade (POST); returns the TLS socket after the 101."""
    sock = context.wrap_socket(socket.create_connection((host, port), timeout=60),
                               server_hostname=host)
    sock.sendall((f"POST {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                  f"Authorization: Bearer {token}\r\nConnection: Upgrade\r\n"
                  f"Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: {protocol}\r\n"
                  "Content-Length: 0\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, head
        head += chunk
    assert head.startswith(b"HTTP/1.1 101 "), head
    assert f"X-Stream-Protocol-Version: {protocol}".encode() in head, head
    return sock


def read_frames(sock, until):
    """Reads SPDY frames until `until(frames)` holds; returns (frames, whether the peer closed).
    A frame is ("control", type, payload) or ("data", stream id, payload)."""
    buffer, frames = b"", []
    while not until(frames):
        chunk = sock.recv(65536)
        if not chunk:
            return frames, True
        buffer += chunk
        while len(buffer) >= 8:
            first, length = struct.unpack(">II", buffer[:8])
            length &= 0xFFFFFF
            if len(buffer) < 8 + length:
                break
            payload, buffer = buffer[8:8 + length], buffer[8 + length:]
            if first & 0x80000000:
                frames.append(("control", first & 0xFFFF, payload))
            else:
                frames.append(("data", first, payload))
    return frames, False


def check_exec_closed(host, port, context, token, pod):
    sock = upgrade(host, port, context, token, pod + "/exec?command=ls&stdout=true",
                   "v4.channel.k8s.io")
    frames, closed = read_frames(sock, lambda frames: False)
    assert closed and frames == [], frames
    sock.close()


def check_port_forward_pairs(host, port, context, token, pod):
    sock = upgrade(host, port, context, token, pod + "/portforward", "portforward.k8s.io")
    sock.sendall(KUBECTL_ERROR_STREAMS)

    def both_timed_out(frames):
        return len([f for f in frames if f[0] == "data"]) >= 2

    frames, closed = read_frames(sock, both_timed_out)
    assert not closed, frames
    controls = [f[1] for f in frames if f[0] == "control"]
    assert controls == [2, 2, 6], controls  # SYN_REPLY 1, SYN_REPLY 3, PING
    data = [(f[1], f[2].decode()) for f in frames if f[0] == "data"]
    assert [stream for stream, _ in data] == [1, 3], data
    for (stream, text), request in zip(data, ("0", "1")):
        assert text.startswith("(conn=") and text.endswith(
            f", request={request}) timed out waiting for streams"), text
    sock.close()


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        process, host, port, context, token = start(binary, work)
        try:
            pod = running_pod(host, port, context, token)
            check_exec_closed(host, port, context, token, pod)
            check_port_forward_pairs(host, port, context, token, pod)
        finally:
            process.terminate()
            assert process.wait(timeout=30) == 0
        # The exec was closed by the timeout (not by a failure): the sandbox says so.
        log = process.stderr.read()
        assert "remote command: timed out waiting for client to create streams" in log, log
    print("SPDY stream creation timeouts of kube-sandbox: ok")


if __name__ == "__main__":
    main()
