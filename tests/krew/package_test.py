#!/usr/bin/env python3
"""Checks krew/package.py's output against the rules krew enforces when it installs a plugin
(see ../shared/reference/plugin-anchors.md §2.2): gzip content, regular files only, no absolute or
'..' paths, the executable bit on the binary, LICENSE included, sha256 matching the manifest, every
`files`/`bin` entry present; and that the archive is reproducible and its binary runs.

Usage: package_test.py PATH_TO_kubectl-mattermost PROJECT_ROOT
"""
import hashlib
import pathlib
import subprocess
import sys
import tarfile
import tempfile

import yaml  # python3-yaml, a dependency of python3-kubernetes


def fail(message):
    sys.exit(f"FAIL: {message}")


def package(root, binary, out_dir):
    subprocess.run([sys.executable, str(root / "krew/package.py"), binary, str(root / "LICENSE"),
                    "v9.8.7", str(out_dir)], check=True, capture_output=True)
    return out_dir / "kubectl-mattermost_v9.8.7_linux_amd64.tar.gz"


def main():
    binary, root = sys.argv[1], pathlib.Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        # Package a stripped copy, as scripts/package does: the test build carries debug info.
        subprocess.run(["strip", "-o", str(tmp / "kubectl-mattermost"), binary], check=True)
        binary = str(tmp / "kubectl-mattermost")
        archive = package(root, binary, tmp / "a")
        again = package(root, binary, tmp / "b")
        data = archive.read_bytes()
        if data[:2] != b"\x1f\x8b":
            fail("archive is not gzip content")
        if data != again.read_bytes():
            fail("two packagings of the same binary differ: the archive is not reproducible")

        with tarfile.open(archive) as tar:
            members = {m.name: m for m in tar.getmembers()}
            for m in members.values():
                if not m.isfile():
                    fail(f"{m.name} is not a regular file (krew refuses links and devices)")
                if m.name.startswith(("/", "\\")) or ".." in m.name.split("/"):
                    fail(f"unsafe path {m.name}")
            if set(members) != {"kubectl-mattermost", "LICENSE"}:
                fail(f"unexpected archive contents {sorted(members)}")
            if members["kubectl-mattermost"].mode & 0o111 != 0o111:
                fail("the binary lacks its executable bit")
            tar.extractall(tmp / "x")

        manifest = yaml.safe_load((tmp / "a/mattermost.yaml").read_text())
        spec = manifest["spec"]
        if manifest["kind"] != "Plugin" or manifest["metadata"]["name"] != "mattermost":
            fail(f"bad manifest header {manifest['kind']} {manifest['metadata']}")
        if spec["version"] != "v9.8.7":
            fail(f"manifest version {spec['version']}")
        if len(spec["shortDescription"]) > 50:
            fail("shortDescription longer than krew's 50 characters")
        platform = spec["platforms"][0]
        digest = hashlib.sha256(data).hexdigest()
        if platform["sha256"] != digest:
            fail(f"manifest sha256 {platform['sha256']} != archive {digest}")
        if (tmp / "a" / (archive.name + ".sha256")).read_text() != f"{digest}  {archive.name}\n":
            fail("the .sha256 file does not match the archive")
        if not platform["uri"].endswith("/v9.8.7/" + archive.name):
            fail(f"uri {platform['uri']} does not name the archive")
        for entry in platform["files"]:
            if entry["from"] not in members:
                fail(f"files entry {entry['from']} is not in the archive")
        if platform["bin"] not in members:
            fail(f"bin {platform['bin']} is not in the archive")

        out = subprocess.run([str(tmp / "x/kubectl-mattermost"), "version", "--client"],
                             capture_output=True, text=True, check=True).stdout
        if not out.startswith("Client Version: v"):
            fail(f"extracted binary printed {out!r}")
    print(f"krew archive ok: {len(data)} bytes, sha256 {digest[:12]}..., reproducible")


if __name__ == "__main__":
    main()
