#!/usr/bin/env python3
"""Writes a root filesystem as a one-layer image in docker-archive format (`docker save`'s layout:
manifest.json, an image config, an uncompressed layer tar), which Jib reads as a `tar://` base image.

Deterministic: entries sorted, every mtime SOURCE_DATE_EPOCH (default 0), owners root except paths given
with --owner PATH=UID:GID, so the same root filesystem always gives the same image id.
"""
import argparse
import hashlib
import io
import json
import os
import stat
import tarfile


def layer_bytes(rootfs, owners, mtime):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = []
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                entries.append(os.path.join(dirpath, name))
        for path in sorted(entries):
            rel = os.path.relpath(path, rootfs)
            info = tar.gettarinfo(path, arcname=rel)
            info.mtime = mtime
            uid, gid = owners.get(rel, (0, 0))
            info.uid, info.gid, info.uname, info.gname = uid, gid, "", ""
            if info.isreg():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    return buf.getvalue()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("rootfs")
    p.add_argument("out")
    p.add_argument("--tag", required=True)
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--label", action="append", default=[])
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="/")
    p.add_argument("--owner", action="append", default=[], help="PATH=UID:GID (PATH relative to the rootfs)")
    a = p.parse_args()

    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    owners = {}
    for o in a.owner:
        path, ids = o.split("=", 1)
        uid, gid = ids.split(":")
        owners[path.strip("/")] = (int(uid), int(gid))
    layer = layer_bytes(a.rootfs, owners, mtime)
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    created = "1970-01-01T00:00:00Z" if mtime == 0 else __import__("datetime").datetime.utcfromtimestamp(mtime).strftime("%Y-%m-%dT%H:%M:%SZ")
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {
            "Env": a.env,
            "User": a.user,
            "WorkingDir": a.workdir,
            "Labels": dict(l.split("=", 1) for l in a.label),
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": created, "created_by": "ops/images/build-base.sh"}],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_name = diff_id[len("sha256:"):] + "/layer.tar"
    manifest = [{"Config": config_name, "RepoTags": [a.tag], "Layers": [layer_name]}]

    tmp = a.out + ".tmp"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as out:
        for name, data in ((layer_name, layer), (config_name, config_bytes),
                           ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), mtime, 0o644
            out.addfile(info, io.BytesIO(data))
    os.replace(tmp, a.out)
    print(f"{a.out}: {a.tag}, layer {diff_id}, {len(layer) // (1024 * 1024)} MiB")


if __name__ == "__main__":
    main()
