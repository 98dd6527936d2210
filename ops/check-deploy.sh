#!/usr/bin/env bash
# Checks the deployment files offline, as far as this machine can (no container engine, no cluster):
#   1. Kubernetes manifests (ops/k8s/*.yaml) against the Kubernetes 1.33 API schemas, strictly (unknown
#      fields are errors), with kubernetes-validate from PyPI (pinned, hash-checked);
#   2. ops/docker-compose.yml loaded as `docker compose config` loads it (compose-go: schema, ${VAR}
#      interpolation from ops/compose.env.example, normalisation), by ops/tools/compose-config (Go, pinned);
#      Prometheus' config as compose assembles it, by `promtool check config`; and compose refusing to start
#      without the identity settings;
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

# Prometheus as compose runs it: the configuration compose writes from the env file (configs: prometheus; the API's
# job fetches an OPS token with an OAuth2 client), checked by promtool with the alert rules and the client secret at
# this machine's paths; and compose refusing to start while the identity settings are unset (never a Prometheus that
# silently scrapes no API, nor an API without its issuer).
command -v promtool >/dev/null || { echo "check-deploy: promtool is needed (Debian's prometheus package, as .ci/run installs it)" >&2; exit 1; }
prom="$tools/prometheus-compose"
rm -rf "$prom" && mkdir -p "$prom"
"$tools/venv/bin/python" - "$tools/compose.resolved.yml" "$here" "$prom" <<'PY'
import os, sys, yaml
resolved, here, prom = yaml.safe_load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
svc = resolved["services"]["prometheus"]
config = next((c for c in svc.get("configs", []) if c["source"] == "prometheus"), None)
assert config, "compose gives Prometheus no configuration (configs: prometheus)"
assert f"--config.file={config['target']}" in svc["command"], f"Prometheus reads {svc['command']}, compose writes {config['target']}"
secret = next((s for s in svc.get("secrets", []) if s["source"] == "prometheus-oauth-client-secret"), None)
assert secret, "compose gives Prometheus no OAuth2 client secret (secrets: prometheus-oauth-client-secret)"
secret_path = secret["target"] if secret["target"].startswith("/") else "/run/secrets/" + secret["target"]
rules_dir = next(v["target"] for v in svc["volumes"] if os.path.realpath(v["source"]) == os.path.realpath(here + "/prometheus"))
cfg = yaml.safe_load(resolved["configs"]["prometheus"]["content"])
assert cfg["rule_files"] == [rules_dir + "/alerts.yml"], f"rule_files {cfg['rule_files']}, ops/prometheus is at {rules_dir}"
jobs = {j["job_name"]: j for j in cfg["scrape_configs"]}
api = jobs["commdesk-api"]
oauth2 = api["oauth2"]
assert api["static_configs"] == [{"targets": ["api:8080"]}] and api["metrics_path"] == "/actuator/prometheus", api
assert oauth2["client_secret_file"] == secret_path, f"the API's job reads {oauth2['client_secret_file']}, compose mounts {secret_path}"
assert oauth2["client_id"] and oauth2["token_url"].startswith("https://"), oauth2
assert jobs["commdesk-worker"]["dns_sd_configs"][0]["names"] == ["worker"], jobs["commdesk-worker"]
assert resolved["services"]["api"]["environment"].get("OIDC_ISSUER_URI"), "the API has no OIDC_ISSUER_URI"
# promtool reads the files at this machine's paths
cfg["rule_files"] = [here + "/prometheus/alerts.yml"]
oauth2["client_secret_file"] = prom + "/client-secret"
open(prom + "/client-secret", "w").write("placeholder\n")
yaml.safe_dump(cfg, open(prom + "/prometheus.yml", "w"), sort_keys=False)
print(f"check-deploy: compose's Prometheus scrapes {sorted(jobs)}; the API with OAuth2 client {oauth2['client_id']!r} at {oauth2['token_url']}")
PY
promtool check config "$prom/prometheus.yml"
for var in OIDC_ISSUER_URI PROMETHEUS_OAUTH_TOKEN_URL PROMETHEUS_OAUTH_CLIENT_ID PROMETHEUS_OAUTH_CLIENT_SECRET; do
  grep -v "^$var=" "$here/compose.env.example" >"$tools/compose.env.without"
  if env -u "$var" "$tools/compose-config" -env-file "$tools/compose.env.without" "$here/docker-compose.yml" >/dev/null 2>"$tools/compose.err"; then
    echo "check-deploy: docker-compose.yml loads without $var; it must refuse" >&2; exit 1
  fi
  grep -q "$var" "$tools/compose.err" || { echo "check-deploy: without $var compose failed for another reason:" >&2; cat "$tools/compose.err" >&2; exit 1; }
done
echo "check-deploy: compose refuses to start without OIDC_ISSUER_URI or Prometheus' OAuth2 client (id, secret, token URL)"

for image in "$@"; do
  python3 "$here/images/run_image.py" check "$image"
done
echo "check-deploy: OK"
