#!/usr/bin/python3
"""The Debian python3-kubernetes client against a fresh kube-sandbox: CRUD, a stale
resourceVersion conflict, paginated lists, watch with resume, and a forced 410 Gone.

usage: /usr/bin/python3 python_client_test.py PATH_TO_kube-sandbox
"""
import os
import subprocess
import sys
import tempfile
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def start_sandbox(binary, work):
    # A window of 20 events lets the test push an old resourceVersion out of it quickly.
    process = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--kubeconfig-out", f"{work}/kubeconfig",
         "--watch-window", "20", "--quiet", "--exit-with-parent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("listening on https://"):
        process.kill()
        raise SystemExit(f"FAIL: kube-sandbox did not start: {line!r} {process.stderr.read()}")
    return process


def expect_api_error(status, reason, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except ApiException as e:
        assert e.status == status, (e.status, e.body)
        if reason:
            assert reason in (e.body or e.reason), (reason, e.body, e.reason)
        return e
    raise AssertionError(f"{call.__name__} succeeded, want HTTP {status}")


def run_with_sandbox(run, what):
    """Runs run(work) against a fresh kube-sandbox (the binary in argv[1], its kubeconfig in
    work); fails unless the sandbox then stops cleanly on SIGTERM."""
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        process = start_sandbox(binary, work)
        try:
            run(work)
        finally:
            process.terminate()
            process.wait(timeout=10)
        assert process.returncode == 0, f"kube-sandbox exited {process.returncode}"
    print(f"{what} against kube-sandbox: ok")


def main():
    run_with_sandbox(run, "python3-kubernetes")


def run(work):
    api_client = config.new_client_from_config(config_file=f"{work}/kubeconfig")
    core = client.CoreV1Api(api_client)
    apps = client.AppsV1Api(api_client)

    # CRUD.
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
    cm = core.create_namespaced_config_map(
        "py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c", labels={"a": "1"}),
                                 data={"k": "v"}))
    assert cm.metadata.uid and cm.metadata.resource_version, cm.metadata
    read = core.read_namespaced_config_map("c", "py")
    assert read.data == {"k": "v"}, read.data
    read.data["k"] = "w"
    replaced = core.replace_namespaced_config_map("c", "py", read)
    assert replaced.data == {"k": "w"}
    assert int(replaced.metadata.resource_version) > int(read.metadata.resource_version)
    patched = core.patch_namespaced_config_map("c", "py", {"metadata": {"labels": {"b": "2"}}})
    assert patched.metadata.labels == {"a": "1", "b": "2"}, patched.metadata.labels
    expect_api_error(409, "AlreadyExists", core.create_namespaced_config_map, "py",
                     client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c")))
    expect_api_error(404, "NotFound", core.read_namespaced_config_map, "nope", "py")

    # A stale resourceVersion on update is a 409 Conflict.
    e = expect_api_error(409, "the object has been modified", core.replace_namespaced_config_map,
                         "c", "py", read)
    assert '"reason":"Conflict"' in e.body, e.body

    # Deployments through the apps group, with scale.
    body = {"metadata": {"name": "d"}, "spec": {
        "replicas": 1, "selector": {"matchLabels": {"app": "d"}},
        "template": {"metadata": {"labels": {"app": "d"}},
                     "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    apps.create_namespaced_deployment("py", body)
    scale = apps.patch_namespaced_deployment_scale("d", "py", {"spec": {"replicas": 3}})
    assert scale.spec.replicas == 3 and scale.status.selector == "app=d", scale

    # Paginated list: limit/continue until the end.
    for i in range(5):
        core.create_namespaced_config_map(
            "py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name=f"p{i}", labels={"page": "y"})))
    names, token, pages = [], None, 0
    while True:
        page = core.list_namespaced_config_map("py", label_selector="page=y", limit=2,
                                               _continue=token)
        pages += 1
        names += [item.metadata.name for item in page.items]
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"p{i}" for i in range(5)] and pages == 3, (names, pages)
    core.delete_namespaced_config_map("p0", "py")
    expect_api_error(404, None, core.read_namespaced_config_map, "p0", "py")

    # Watch from a list's resourceVersion, then resume from the last event seen.
    listed = core.list_namespaced_config_map("py")
    rv = listed.metadata.resource_version
    core.create_namespaced_config_map("py", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="w1")))
    events = []
    for event in watch.Watch().stream(core.list_namespaced_config_map, "py", resource_version=rv,
                                      timeout_seconds=2):
        events.append((event["type"], event["object"].metadata.name))
        rv = event["object"].metadata.resource_version
        if len(events) == 1:
            break
    assert events == [("ADDED", "w1")], events
    core.delete_namespaced_config_map("w1", "py")
    resumed = []
    for event in watch.Watch().stream(core.list_namespaced_config_map, "py", resource_version=rv,
                                      timeout_seconds=2):
        resumed.append((event["type"], event["object"].metadata.name))
        break
    assert resumed == [("DELETED", "w1")], resumed

    # Push rv out of the 20-event window: the watch answers 410 Gone.
    for i in range(25):
        core.patch_namespaced_config_map("c", "py", {"data": {"n": str(i)}})
    expect_api_error(410, "too old resource version",
                     lambda: list(watch.Watch().stream(core.list_namespaced_config_map, "py",
                                                       resource_version=rv, timeout_seconds=2)))

    # Namespace deletion removes its contents.
    core.delete_namespace("py")
    expect_api_error(404, None, core.read_namespaced_config_map, "c", "py")


if __name__ == "__main__":
    main()
