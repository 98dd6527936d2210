#!/usr/bin/env bash
# Checks the deployment files offline, as far as this machine can (no container engine, no cluster):
#   1. Kubernetes manifests (ops/k8s/*.yaml) against the Kubernetes 1.33 API schemas, strictly (unknown
#      fields are errors), with kubernetes-validate from PyPI (pinned, hash-checked);
#   2. ops/docker-compose.yml loaded as `docker compose config` loads it (compose-go: schema, ${VAR}
#      interpolation from ops/compose.env.example, normalisation), by ops/tools/compose-config (Go, pinned);
#   3. the image tarballs, when given (`check-deploy.sh IMAGE.tar...`): OCI layout, the base and app layers,
#      the entrypoint, a non-root user, and the Java runtime and the app started inside the image's own
#      root filesystem (ops/images/run_image.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tools="$here/.tools"

command -v python3 >/dev/null || { echo "check-deploy: python3 is needed" >&2; exit 1; }
if ! "$tools/venv/bin/kubernetes-validate" --version 2>/dev/null | grep -q '1.37.0'; then
  rm -rf "$tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    -r "$here/requirements-validate.txt"
fi
"$tools/venv/bin/kubernetes-validate" --strict --quiet -k 1.33.0 "$here"/k8s/*.yaml
echo "check-deploy: Kubernetes manifests valid for 1.33 (strict): $(ls "$here"/k8s/*.yaml | wc -l) files"

command -v go >/dev/null || [ ! -x /usr/local/go/bin/go ] || export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "check-deploy: go is needed for the compose check (the Go toolchain; modules come from the Go proxy)" >&2; exit 1; }
(cd "$here/tools/compose-config" && GOFLAGS=-mod=readonly go build -o "$tools/compose-config" .)
"$tools/compose-config" -env-file "$here/compose.env.example" "$here/docker-compose.yml" >"$tools/compose.resolved.yml"
services=$("$tools/venv/bin/python" -c 'import sys, yaml; print(" ".join(sorted(yaml.safe_load(open(sys.argv[1]))["services"])))' "$tools/compose.resolved.yml")
echo "check-deploy: docker-compose.yml valid; services: $services"

for image in "$@"; do
  python3 "$here/images/run_image.py" check "$image"
done
echo "check-deploy: OK"
