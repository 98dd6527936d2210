#!/usr/bin/env python3
"""Checks and runs an image tarball without a container engine (this project's machines have none).

  run_image.py check IMAGE.tar          the image's config (entrypoint, non-root user, ports) and a start of
                                        its entrypoint in the image's own root filesystem, which must get as
                                        far as the app's "refusing to start: DATABASE_URL is not set"
  run_image.py run IMAGE.tar NAME=VALUE...   runs the entrypoint with the image's environment plus these

"Inside the image" means: the layers unpacked in order into a directory, then `unshare` (own mount and
pid namespaces, a fresh /proc) and `chroot --userspec` to the image's user, with exactly the image's
environment. The network namespace is the host's (loopback only here). Not a container runtime: no
cgroups, no seccomp, no network isolation; it shows that the image's userland, Java runtime, classpath
and entrypoint work. Needs root (unshare, chroot). Reads Jib's tarballs (OCI or Docker format).
"""
import inspect
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile


# Python >= 3.11.4 filters what tar extraction may do; our own image is trusted (older ones do not filter).
TRUSTED = {"filter": "fully_trusted"} if "filter" in inspect.signature(tarfile.TarFile.extract).parameters else {}


def read_image(path):
    with tarfile.open(path) as t:
        names = t.getnames()
        if "manifest.json" in names:  # docker-archive (Jib writes it for both formats)
            manifest = json.load(t.extractfile("manifest.json"))[0]
            config = json.load(t.extractfile(manifest["Config"]))
            layers = manifest["Layers"]
        else:
            index = json.load(t.extractfile("index.json"))
            digest = index["manifests"][0]["digest"].split(":")[1]
            manifest = json.load(t.extractfile("blobs/sha256/" + digest))
            config = json.load(t.extractfile("blobs/sha256/" + manifest["config"]["digest"].split(":")[1]))
            layers = ["blobs/sha256/" + l["digest"].split(":")[1] for l in manifest["layers"]]
    return config, layers


def unpack(path, layers, root):
    with tarfile.open(path) as t:
        for layer in layers:
            with tarfile.open(fileobj=t.extractfile(layer), mode="r:*") as lt:
                for m in lt.getmembers():
                    base = os.path.basename(m.name)
                    if base.startswith(".wh."):  # a whiteout: the lower layer's file is deleted
                        target = os.path.join(root, os.path.dirname(m.name), base[len(".wh."):])
                        if os.path.isdir(target) and not os.path.islink(target):
                            shutil.rmtree(target)
                        elif os.path.lexists(target):
                            os.remove(target)
                        continue
                    lt.extract(m, root, set_attrs=True, numeric_owner=True, **TRUSTED)


def command(config):
    c = config["config"]
    return (c.get("Entrypoint") or []) + (c.get("Cmd") or []), c.get("Env") or [], c.get("User") or "0", c.get("WorkingDir") or "/"


def start(path, extra_env, capture):
    config, layers = read_image(path)
    argv, env, user, workdir = command(config)
    root = tempfile.mkdtemp(prefix="image-root-")
    os.chmod(root, 0o755)  # it becomes "/": the image's user must be able to walk it
    unpack(path, layers, root)
    os.makedirs(os.path.join(root, "proc"), exist_ok=True)
    uid, _, gid = user.partition(":")
    env = dict(e.split("=", 1) for e in env)
    env.update(dict(e.split("=", 1) for e in extra_env))
    # /usr/bin/env is not in the image (no shell, no coreutils): run it from the host, outside the chroot.
    cmd = ["unshare", "--mount", "--pid", "--fork", "--kill-child=SIGTERM", "--mount-proc=" + os.path.join(root, "proc"),
           "env", "-i"] + ["%s=%s" % kv for kv in env.items()] \
        + [shutil.which("chroot"), "--userspec=%s:%s" % (uid, gid or uid), root] + argv
    if workdir != "/":
        print("note: the image's WorkingDir %s is not applied (chroot starts in /)" % workdir, file=sys.stderr)
    # Its own process group: a stop signal goes to unshare and the app alike (unshare does not forward it).
    return config, root, subprocess.Popen(cmd, stdout=subprocess.PIPE if capture else None,
                                          stderr=subprocess.STDOUT if capture else None, text=True, start_new_session=True)


def check(path):
    config, layers = read_image(path)
    argv, env, user, _ = command(config)
    name = os.path.basename(path)
    assert argv and argv[0] == "java", "%s: the entrypoint is not java: %s" % (name, argv)
    assert user not in ("", "0", "root") and not user.startswith("0:"), "%s: runs as root" % name
    assert any(e.startswith("PATH=") and "/opt/java/bin" in e for e in env), "%s: java is not on PATH" % name
    assert len(layers) >= 2, "%s: expected the base layer and the app's layers, got %d" % (name, len(layers))
    config_, root, proc = start(path, [], capture=True)
    try:
        out, _ = proc.communicate(timeout=120)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert "refusing to start: DATABASE_URL is not set" in out, "%s: the app did not start as expected:\n%s" % (name, out)
    ports = sorted((config["config"].get("ExposedPorts") or {}).keys())
    print("%s: %d layers, user %s, ports %s, entrypoint %s ... %s; started inside it: %s" % (
        name, len(layers), user, ports, argv[0], argv[-1], out.strip().splitlines()[-1]))


def run(path, extra_env):
    _, root, proc = start(path, extra_env, capture=False)

    def stop(signum, frame):
        os.killpg(proc.pid, signal.SIGTERM)  # the app shuts down as on a container stop

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        code = proc.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        for p in sys.argv[2:]:
            check(p)
    elif len(sys.argv) >= 3 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
