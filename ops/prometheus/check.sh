#!/usr/bin/env bash
# Checks the Prometheus side of observability with promtool (Debian's `prometheus` package):
#   1. the alert rules are valid and pass their unit tests (alerts.test.yml);
#   2. (the Prometheus configuration of docker-compose is written by compose from its env file: ops/check-deploy.sh
#      checks it with promtool);
#   3. each scrape the end-to-end ObservabilityTest saved (temporal-dev/dev-stack/target/metrics-scrape/*.prom,
#      written by `./mvnw verify`) parses, and every commdesk_* metric in it passes promtool's lint. Metrics
#      of libraries (Temporal SDK, JVM, Tomcat) are linted too, but only reported: their names are not ours.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
command -v promtool >/dev/null || { echo "prometheus-check: promtool not found (apt-get install --no-install-recommends prometheus)" >&2; exit 1; }

promtool check rules "$here/alerts.yml"
(cd "$here" && promtool test rules alerts.test.yml)

scrapes=("$repo"/temporal-dev/dev-stack/target/metrics-scrape/*.prom)
[ -e "${scrapes[0]}" ] || { echo "prometheus-check: no scrapes; run ./mvnw verify first (ObservabilityTest writes them)" >&2; exit 1; }
for f in "${scrapes[@]}"; do
  set +e
  lint=$(promtool check metrics <"$f" 2>&1)
  rc=$?
  set -e
  case $rc in
    0) echo "prometheus-check: $(basename "$f"): clean" ;;
    3) ours=$(grep '^commdesk_' <<<"$lint" || true)
       if [ -n "$ours" ]; then echo "prometheus-check: $(basename "$f"): our metrics fail the lint:"; echo "$ours"; exit 1; fi
       echo "prometheus-check: $(basename "$f"): parses; $(wc -l <<<"$lint") lint notes on library metrics (not ours)" ;;
    *) echo "prometheus-check: $(basename "$f") does not parse:"; echo "$lint"; exit 1 ;;
  esac
done
echo "prometheus-check: OK"
