#!/usr/bin/env bash
# Checks the deployment files offline, as far as this machine can (no container engine, no cluster):
#   1. Kubernetes manifests (ops/k8s/*.yaml) against the Kubernetes 1.33 API schemas, strictly (unknown
#      fields are errors), with kubernetes-validate from PyPI (pinned, hash-checked);
#   2. ops/docker-compose.yml loaded as `docker compose config` loads it (compose-go: schema, ${VAR}
#      interpolation from ops/compose.env.example, normalisation), by ops/tools/compose-config (Go, pinned);
#      Prometheus' config as compose assembles it, by `promtool check config`; and compose refusing to start
#      without the identity settings;
#   2b. Kubernetes' Prometheus job for the API (ops/k8s/prometheus/): it keeps the API's pods and port as the
#      Deployment names them, the pods carry no anonymous-scrape annotation, and Prometheus' own config loader
#      (ops/tools/prometheus-config, Go, pinned) accepts the job pasted into a configuration and included as a file;
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
"$tools/venv/bin/kubernetes-validate" --strict --quiet -k 1.33.0 "$here"/k8s/*.yaml "$here"/k8s/prometheus/*.yaml
echo "check-deploy: Kubernetes manifests valid for 1.33 (strict): $(ls "$here"/k8s/*.yaml "$here"/k8s/prometheus/*.yaml | wc -l) files"

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

# Prometheus in Kubernetes: the API's pods carry no prometheus.io/scrape annotation (a generic annotation-based job
# would scrape them without a token: 401 for ever, CommDeskApiNotScraped), and ops/k8s/prometheus/ ships the job that
# scrapes them with the OAuth2 client (kubernetes_sd_configs, pods of the API in its namespace). The job must find the
# API's pods and port as the Deployment names them, read its secret from the Secret template's key, and load inside a
# whole configuration.
prom_k8s="$tools/prometheus-k8s"
rm -rf "$prom_k8s" && mkdir -p "$prom_k8s"
"$tools/venv/bin/python" - "$here" "$prom_k8s" <<'PY'
import glob, os, re, sys, yaml
here, out = sys.argv[1], sys.argv[2]
def objects(pattern):
    return [d for f in sorted(glob.glob(pattern)) for d in yaml.safe_load_all(open(f)) if d]
platform = objects(here + "/k8s/*.yaml")
deployments = {d["metadata"]["name"]: d for d in platform if d["kind"] == "Deployment"}
api, worker = deployments["commdesk-api"], deployments["commdesk-worker"]
api_pod, worker_pod = api["spec"]["template"], worker["spec"]["template"]
annotations = api_pod["metadata"].get("annotations") or {}
assert annotations.get("prometheus.io/scrape", "false") != "true", \
    "ops/k8s/20-api.yaml: the API's pods carry prometheus.io/scrape=true: a generic annotation-based job scrapes them " \
    "without a token (401 on every scrape, CommDeskApiNotScraped); its job is ops/k8s/prometheus/"
w = worker_pod["metadata"].get("annotations") or {}
assert w.get("prometheus.io/scrape") == "true", "the workers' open endpoint is found by its annotations"
assert int(w["prometheus.io/port"]) in [p["containerPort"] for c in worker_pod["spec"]["containers"] for p in c["ports"]], w

monitoring = objects(here + "/k8s/prometheus/*.yaml")
maps = [d for d in monitoring if d["kind"] == "ConfigMap"]
secrets = [d for d in monitoring if d["kind"] == "Secret"]
assert len(maps) == 1 and len(secrets) == 1, "ops/k8s/prometheus/ holds the scrape job's ConfigMap and the client secret's Secret template"
files = maps[0]["data"]
assert len(files) == 1, files.keys()
(file_name, text), = files.items()
jobs = {j["job_name"]: j for j in yaml.safe_load(text)["scrape_configs"]}
job = jobs["commdesk-api"]
assert job["metrics_path"] == "/actuator/prometheus", job
sd, = job["kubernetes_sd_configs"]
assert sd["role"] == "pod" and sd["namespaces"]["names"] == [api["metadata"]["namespace"]], sd
# The targets the job keeps: pods whose labels pass the keep rules, on the container port the rules keep.
def keeps(labels, port_name):
    meta = {"__meta_kubernetes_pod_container_port_name": port_name}
    meta.update({"__meta_kubernetes_pod_label_" + re.sub(r"[^a-zA-Z0-9_]", "_", k): v for k, v in labels.items()})
    for rule in job["relabel_configs"]:
        if rule.get("action") not in ("keep", "drop"):
            continue
        value = rule.get("separator", ";").join(meta.get(l, "") for l in rule["source_labels"])
        if bool(re.fullmatch(rule["regex"], value)) != (rule["action"] == "keep"):
            return False
    for selector in sd.get("selectors", []):
        for term in selector["label"].split(","):
            k, v = term.split("=", 1)
            if labels.get(k) != v:
                return False
    return True
api_ports = [p for c in api_pod["spec"]["containers"] for p in c["ports"]]
kept = [p for p in api_ports if keeps(api_pod["metadata"]["labels"], p.get("name", ""))]
assert [p["containerPort"] for p in kept] == [8080], f"the job keeps the API's ports {kept}, not its http port 8080 alone"
assert not any(keeps(worker_pod["metadata"]["labels"], p.get("name", "")) for c in worker_pod["spec"]["containers"] for p in c["ports"]), \
    "the API's job also keeps the workers' pods"
oauth2 = job["oauth2"]
assert oauth2["client_id"] and oauth2["token_url"].startswith("https://"), oauth2
secret_keys = secrets[0]["stringData"]
assert os.path.basename(oauth2["client_secret_file"]) in secret_keys, \
    f"the job reads {oauth2['client_secret_file']}, the Secret template has {sorted(secret_keys)}"
assert all(v == "replace-me" for v in secret_keys.values()), "the Secret is a template: placeholders only"
# Whole configurations around the job, at this machine's paths: the job pasted into scrape_configs (Prometheus before
# 2.43, the Helm chart's extraScrapeConfigs) and the ConfigMap's file included as it is (scrape_config_files, 2.43+).
open(out + "/client-secret", "w").write("placeholder\n")
oauth2["client_secret_file"] = out + "/client-secret"
yaml.safe_dump({"scrape_configs": list(jobs.values())}, open(out + "/" + file_name, "w"), sort_keys=False)
head = {"global": {"scrape_interval": "15s", "evaluation_interval": "30s"}, "rule_files": [here + "/prometheus/alerts.yml"]}
yaml.safe_dump(dict(head, scrape_configs=list(jobs.values())), open(out + "/prometheus-pasted.yml", "w"), sort_keys=False)
yaml.safe_dump(dict(head, scrape_config_files=[out + "/" + file_name]), open(out + "/prometheus-included.yml", "w"), sort_keys=False)
print(f"check-deploy: the k8s API pods carry no prometheus.io/scrape; {maps[0]['metadata']['name']}/{file_name} scrapes them "
      f"(namespace {sd['namespaces']['names'][0]}, port {kept[0]['containerPort']}) with OAuth2 client {oauth2['client_id']!r}")
PY
# Debian's promtool 2.42 is built without Kubernetes discovery (kubernetes_sd_configs: "field not found"): the job is
# loaded by Prometheus' own config loader (3.5 LTS, Kubernetes discovery compiled in), built from a pinned Go module.
(cd "$here/tools/prometheus-config" && GOFLAGS=-mod=readonly go build -o "$tools/prometheus-config" .)
"$tools/prometheus-config" "$prom_k8s/prometheus-pasted.yml"
"$tools/prometheus-config" "$prom_k8s/prometheus-included.yml"

for image in "$@"; do
  python3 "$here/images/run_image.py" check "$image"
done
echo "check-deploy: OK"
