#!/usr/bin/env python3
"""Builds the krew release archive and manifest for one platform.

Writes into OUT_DIR:
  kubectl-mattermost_<version>_<os>_<arch>.tar.gz  regular files only (krew refuses links), the
                                                   binary with mode 0755 and LICENSE; reproducible
                                                   (fixed mtime, owner and order)
  <archive>.sha256                                 "<sha256>  <archive>", as sha256sum prints
  mattermost.yaml                                  krew/mattermost.yaml.in filled in

Usage: package.py BINARY LICENSE VERSION OUT_DIR [--os linux] [--arch amd64]
"""
import argparse
import gzip
import hashlib
import io
import os
import pathlib
import re
import sys
import tarfile


def add_file(tar, path, name, mode):
    data = pathlib.Path(path).read_bytes()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    tar.addfile(info, io.BytesIO(data))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("license")
    parser.add_argument("version")
    parser.add_argument("out_dir")
    parser.add_argument("--os", default="linux")
    parser.add_argument("--arch", default="amd64")
    args = parser.parse_args()
    if not re.fullmatch(r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", args.version):
        sys.exit(f"error: version {args.version!r} is not a v-prefixed semantic version")

    out = pathlib.Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    archive = f"kubectl-mattermost_{args.version}_{args.os}_{args.arch}.tar.gz"
    buffer = io.BytesIO()
    # gzip with mtime 0 so the same inputs give the same bytes (and the same sha256).
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            add_file(tar, args.binary, "kubectl-mattermost", 0o755)
            add_file(tar, args.license, "LICENSE", 0o644)
    data = buffer.getvalue()
    (out / archive).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (out / f"{archive}.sha256").write_text(f"{digest}  {archive}\n")

    template = pathlib.Path(__file__).with_name("mattermost.yaml.in").read_text()
    manifest = (template.replace("{{VERSION}}", args.version)
                .replace("{{ARCHIVE}}", archive)
                .replace("{{SHA256}}", digest))
    (out / "mattermost.yaml").write_text(manifest)
    print(f"{out / archive} sha256 {digest}")


if __name__ == "__main__":
    main()
