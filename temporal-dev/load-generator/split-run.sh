#!/usr/bin/env bash
# The load generator against the platform as it is deployed: the API and the worker as JVMs of their own, with
# the dev stack's infrastructure (embedded PostgreSQL, the real Temporal dev server, the Cashfree simulator,
# the development authorization server) beside them — on ONE machine, with the API given the CPU first:
#   API JVM, PostgreSQL, simulator + authorization server, load generator: nice 0
#   worker JVM and the Temporal server:                                    nice WORKER_NICE (10)
# On a machine of its own the API would run on its own cores (separate pods or nodes); on one 2-core box,
# CPU priority is the stand-in: the API answers first, the workflows catch up behind it. The kernel's
# autogroup scheduling would make nice meaningless between the processes' sessions, so it is switched off
# while the run lasts (needs root; the previous value is restored).
#
#   temporal-dev/load-generator/split-run.sh [load-generator options...]
# e.g. split-run.sh --rate 100 --duration PT60S --webhook-share 0 --drain-timeout PT600S --allow-parked
# Needs: ./mvnw -q install -DskipTests, and the Temporal CLI (temporal-dev/real-temporal/temporal-cli.sh install).
# Ports: API 38080, worker 38081, Temporal 37233 (UI 38233), simulator 38099, authorization server 39000.
# API_JFR=on records a JFR profile of the API JVM for the whole run into the logs directory (api.jfr);
# API_JAVA_OPTS / WORKER_JAVA_OPTS add JVM options to the API / worker JVM. The API runs with -XX:+UseZGC, as its
# image does (API_GC names another collector, e.g. API_GC=-XX:+UseG1GC).
# WORKER_START_AFTER=N starts the worker JVM N seconds after the load generator instead of before it: the API records
# and starts every payment while no workflow task runs on this machine (the Temporal server still takes the starts),
# the stand-in for an API on cores of its own; the worker then drains the backlog and the books are checked as usual.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dev_jar="$root/temporal-dev/dev-stack/target/commdesk-dev.jar"
api_jar=$(ls "$root"/api/target/api-*-boot.jar | head -1)
worker_jar=$(ls "$root"/worker/target/worker-*-boot.jar | head -1)
load_jar="$root/temporal-dev/load-generator/target/commdesk-load.jar"
worker_nice="${WORKER_NICE:-10}"
worker_start_after="${WORKER_START_AFTER:-0}"
[[ "$worker_start_after" =~ ^[0-9]+$ ]] || { echo "split-run: WORKER_START_AFTER must be a number of seconds"; exit 1; }
# One collector for the API: two -XX:+Use...GC flags stop the JVM ("Conflicting collector combinations").
for opt in ${API_JAVA_OPTS:-}; do
  [[ ! "$opt" =~ ^-XX:\+Use[A-Za-z0-9]*GC$ ]] || { echo "split-run: name the API's collector with API_GC, not API_JAVA_OPTS ($opt)"; exit 1; }
done
for f in "$dev_jar" "$api_jar" "$worker_jar" "$load_jar"; do [ -f "$f" ] || { echo "split-run: $f missing (./mvnw -q install -DskipTests)"; exit 1; }; done
dir=$(mktemp -d /tmp/split-run.XXXXXX)
echo "split-run: logs in $dir"

autogroup=/proc/sys/kernel/sched_autogroup_enabled
autogroup_was=""
if [ -w "$autogroup" ]; then autogroup_was=$(cat "$autogroup"); echo 0 >"$autogroup"; fi
infra=""; api=""; worker=""
stop() {
  [ -z "${load:-}" ] || kill -TERM "$load" 2>/dev/null || true
  [ -z "$api$worker" ] || { kill -TERM $api $worker 2>/dev/null || true; wait $api $worker 2>/dev/null || true; }
  [ -z "$infra" ] || { kill -TERM "$infra" 2>/dev/null || true; wait "$infra" 2>/dev/null || true; }
  [ -z "$autogroup_was" ] || echo "$autogroup_was" >"$autogroup"
}
trap 'stop' EXIT

COMMDESK_DEV_APPS=none COMMDESK_DEV_ENV_FILE="$dir/app.env" COMMDESK_TEMPORAL=cli TEMPORAL_PORT=37233 TEMPORAL_UI_PORT=38233 \
  CASHFREE_SIM_PORT=38099 AUTH_PORT=39000 java -jar "$dev_jar" >"$dir/infra.log" 2>&1 &
infra=$!
for _ in $(seq 1 180); do grep -q 'API/Worker' "$dir/infra.log" && break; kill -0 "$infra" 2>/dev/null || break; sleep 1; done
[ -s "$dir/app.env" ] || { echo "split-run: the infrastructure did not start"; tail -20 "$dir/infra.log"; exit 1; }
# The Temporal server is a child of the infrastructure JVM; it is the workflows' side of the machine.
for pid in $(pgrep -f 'temporal.* server start-dev' || true); do renice -n "$worker_nice" -p "$pid" >/dev/null; done

env_args=()
while IFS='=' read -r key value; do
  case "$key" in LOG_FORMAT|API_*|WORKER_*) continue ;; esac
  if [[ "$value" == *.pem && -f "$value" ]]; then value=$(cat "$value"); fi
  env_args+=("$key=$value")
  case "$key" in DATABASE_URL|DATABASE_USER|DATABASE_PASSWORD) printf -v "$key" '%s' "$value" ;; esac
done <"$dir/app.env"
env_args+=(commdesk.db.migrate=false)
# The API image's collector (api/pom.xml: generational ZGC); API_GC=-XX:+UseG1GC runs it with another one.
# (JDK 23 or later: there -XX:+UseZGC is the generational collector the image runs.)
api_opts=(${API_GC:--XX:+UseZGC} ${API_JAVA_OPTS:-})
[ "${API_JFR:-off}" != on ] || api_opts+=("-XX:StartFlightRecording=filename=$dir/api.jfr,settings=profile,dumponexit=true")
start_worker() {
  env "${env_args[@]}" WORKER_HOST=127.0.0.1 WORKER_PORT=38081 nice -n "$worker_nice" java ${WORKER_JAVA_OPTS:-} -jar "$worker_jar" >"$dir/worker.log" 2>&1 &
  worker=$!
}
[ "$worker_start_after" != 0 ] || start_worker
env "${env_args[@]}" API_HOST=127.0.0.1 API_PORT=38080 java "${api_opts[@]}" -jar "$api_jar" >"$dir/api.log" 2>&1 &
api=$!
up() { curl -fs "http://127.0.0.1:$1/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; }
healthy() { up 38080 && { [ -z "$worker" ] || up 38081; }; }
for _ in $(seq 1 180); do healthy && break; sleep 1; done
healthy || { echo "split-run: the API or worker did not become healthy"; tail -20 "$dir/api.log" "$dir/worker.log" 2>/dev/null; exit 1; }
# The simulator delivers Cashfree's signed webhooks to this API (the dev stack does this for its own API).
curl -fs -X PUT -H 'Content-Type: application/json' -d '{"url":"http://127.0.0.1:38080/webhooks/cashfree/pg"}' \
  http://127.0.0.1:38099/__sim/webhook >/dev/null
curl -fs -X PUT -H 'Content-Type: application/json' -d '{"url":"http://127.0.0.1:38080/webhooks/cashfree/payouts"}' \
  http://127.0.0.1:38099/__sim/payouts/webhook >/dev/null
echo "split-run: API pid $api (nice 0), worker pid ${worker:-"starts after ${worker_start_after} s"} (nice $worker_nice), Temporal reniced to $worker_nice; $(uptime)"

rc=0
java -jar "$load_jar" --api http://127.0.0.1:38080 --simulator http://127.0.0.1:38099 \
  --database-url "$DATABASE_URL" --database-user "${DATABASE_USER:-postgres}" ${DATABASE_PASSWORD:+--database-password "$DATABASE_PASSWORD"} \
  --token-url http://127.0.0.1:39000/oauth2/token --client-id commdesk-app --client-secret dev-app-secret-not-a-secret \
  --report-dir "$dir/report" "$@" &
load=$!
if [ "$worker_start_after" != 0 ]; then
  # Started by this shell, not a subshell, so that stop() knows the worker's pid.
  for _ in $(seq 1 "$worker_start_after"); do kill -0 "$load" 2>/dev/null || break; sleep 1; done
  if kill -0 "$load" 2>/dev/null; then start_worker; echo "split-run: worker pid $worker started; $(uptime)"; fi
fi
wait "$load" || rc=$?
echo "split-run: load generator exit $rc; $(uptime)"
exit $rc
