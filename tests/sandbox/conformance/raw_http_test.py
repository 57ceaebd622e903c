#!/usr/bin/python3
"""Raw HTTPS requests against a fresh kube-sandbox: bad input gets kube-apiserver's status code
and Status body (never a crash), and the watch protocol details kubectl's informers use
(bookmarks, sendInitialEvents, timeoutSeconds, 410 for expired continue tokens).

usage: /usr/bin/python3 raw_http_test.py PATH_TO_kube-sandbox
"""
import base64
import http.client
import json
import ssl
import subprocess
import sys
import tempfile
import time

import yaml


class Sandbox:
    def __init__(self, binary, work):
        self.process = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--kubeconfig-out", f"{work}/kubeconfig",
             "--watch-window", "10", "--bookmark-interval-ms", "200", "--quiet", "--exit-with-parent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("listening on https://"), (line, self.process.stderr.read())
        self.host, self.port = line.split("https://")[1].strip().split(":")
        config = yaml.safe_load(open(f"{work}/kubeconfig"))
        ca = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
        self.context = ssl.create_default_context(cadata=ca.decode())
        self.token = next(u["user"]["token"] for u in config["users"]
                          if u["name"] == "sandbox-token")

    def request(self, method, path, body=None, content_type="application/json",
                accept="application/json", token=True):
        conn = http.client.HTTPSConnection(self.host, int(self.port), context=self.context,
                                           timeout=10)
        headers = {"Accept": accept}
        if token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, conn

    def call(self, method, path, body=None, **kwargs):
        response, conn = self.request(method, path, body, **kwargs)
        data = response.read()
        conn.close()
        return response.status, response.getheader("Content-Type"), data

    def stop(self):
        self.process.terminate()
        assert self.process.wait(timeout=10) == 0


def status_of(data):
    status = json.loads(data)
    assert status["kind"] == "Status" and status["apiVersion"] == "v1", status
    return status


def check_bad_input(s):
    cms = "/api/v1/namespaces/default/configmaps"
    code, _, data = s.call("POST", cms, "{not json")
    assert code == 400 and status_of(data)["reason"] == "BadRequest", (code, data)
    code, _, data = s.call("POST", cms, "[1,2]")
    assert code == 400, (code, data)
    code, _, data = s.call("POST", cms, "a: b", content_type="text/plain")
    assert code == 415 and status_of(data)["reason"] == "UnsupportedMediaType", (code, data)
    code, _, data = s.call("POST", cms, "x" * (3 * 1024 * 1024 + 10))
    assert code == 413, code
    assert status_of(data)["message"] == "Request entity too large: limit is 3145728", data
    code, _, data = s.call("GET", "/api/v1/namespaces/default/nosuchthings")
    assert code == 404, code
    assert status_of(data)["message"] == "the server could not find the requested resource"
    code, ctype, data = s.call("GET", "/not/an/api/path")
    assert code == 404 and ctype.startswith("text/plain") and data == b"404 page not found\n"
    code, _, data = s.call("POST", cms + "/named", "{}")
    assert code == 405 and status_of(data)["reason"] == "MethodNotAllowed", (code, data)
    code, _, data = s.call("GET", cms, accept="application/vnd.kubernetes.protobuf")
    assert code == 406 and status_of(data)["reason"] == "NotAcceptable", (code, data)
    code, _, data = s.call("GET", cms, token=False)
    assert code == 401 and status_of(data)["message"] == "Unauthorized", (code, data)
    code, _, data = s.call("GET", cms + "?labelSelector=a%20in%20b")
    assert code == 400, (code, data)
    code, _, data = s.call("GET", cms + "?fieldSelector=spec.x%3D1")
    assert status_of(data)["message"] == "field label not supported: spec.x", data
    code, _, data = s.call("PATCH", cms + "/nope", "{}", content_type="application/merge-patch+json")
    assert code == 404, code
    code, _, data = s.call("POST", cms, '{"metadata":{"name":"yaml-ok"}}',
                           content_type="application/yaml")
    assert code == 201, (code, data)
    code, ctype, data = s.call("GET", cms + "/yaml-ok", accept="application/yaml")
    assert code == 200 and ctype == "application/yaml" and b"name: yaml-ok" in data, data
    # Still serving after all that.
    code, _, data = s.call("GET", "/readyz", token=False)
    assert (code, data) == (200, b"ok")


def read_events(response, until):
    """Reads newline-delimited watch events until `until(events)` is true or the stream ends."""
    events, buffer = [], b""
    while not until(events):
        chunk = response.read1(65536) if hasattr(response, "read1") else response.read(1)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            events.append(json.loads(line))
    return events


def check_watch(s):
    cms = "/api/v1/namespaces/default/configmaps"
    s.call("POST", cms, '{"metadata":{"name":"first"}}')
    # sendInitialEvents: ADDED for what exists, then the initial-events-end bookmark.
    response, conn = s.request(
        "GET", cms + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
        "&allowWatchBookmarks=true&timeoutSeconds=5")
    assert response.status == 200
    events = read_events(response, lambda e: any(x["type"] == "BOOKMARK" for x in e))
    names = [e["object"]["metadata"]["name"] for e in events if e["type"] == "ADDED"]
    assert "first" in names and "yaml-ok" in names, events
    bookmark = events[-1]
    assert bookmark["type"] == "BOOKMARK", events
    assert bookmark["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    # Periodic bookmarks carry the current resourceVersion.
    events = read_events(response, lambda e: len(e) >= 1)
    assert events[0]["type"] == "BOOKMARK" and events[0]["object"]["metadata"]["resourceVersion"]
    conn.close()
    code, _, data = s.call("GET", cms + "?watch=true&sendInitialEvents=true")
    assert code == 422, (code, data)

    # timeoutSeconds ends the stream cleanly.
    started = time.monotonic()
    response, conn = s.request("GET", cms + "?watch=true&timeoutSeconds=1&resourceVersion=0")
    response.read()
    assert 0.9 < time.monotonic() - started < 10, time.monotonic() - started
    conn.close()

    # An expired continue token is 410 Expired.
    code, _, data = s.call("GET", cms + "?limit=1")
    token = json.loads(data)["metadata"]["continue"]
    for i in range(12):
        s.call("PATCH", cms + "/first", json.dumps({"data": {"n": str(i)}}),
               content_type="application/merge-patch+json")
    code, _, data = s.call("GET", cms + "?limit=1&continue=" + token)
    assert code == 410 and status_of(data)["reason"] == "Expired", (code, data)


def main():
    with tempfile.TemporaryDirectory() as work:
        s = Sandbox(sys.argv[1], work)
        try:
            check_bad_input(s)
            check_watch(s)
        finally:
            s.stop()
    print("raw HTTP against kube-sandbox: ok")


if __name__ == "__main__":
    main()
