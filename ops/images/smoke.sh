#!/usr/bin/env bash
# Runs the API and worker images (ops/images/run_image.py: the image's own root filesystem, its user and
# environment, no container engine) as the only API and worker of a platform whose infrastructure is the
# dev stack's (COMMDESK_DEV_APPS=none: embedded PostgreSQL, Temporal's Java test server, the Cashfree
# simulator), and pays six orders through them:
#   smoke.sh API_IMAGE.tar WORKER_IMAGE.tar DEV_STACK.jar
# Ports 18180 (API), 18181 (worker), 17233 (Temporal), 18099 (simulator), loopback only. Passes when the
# API image accepted the payments, they COMPLETED, the worker image ran their tasks, and both images log
# JSON lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
api_image="$1"; worker_image="$2"; dev_jar="$3"
logs=$(mktemp -d)
COMMDESK_DEV_APPS=none COMMDESK_DEV_ENV_FILE="$logs/app.env" COMMDESK_TEMPORAL=test-server TEMPORAL_PORT=17233 CASHFREE_SIM_PORT=18099 \
  java -jar "$dev_jar" >"$logs/infra.log" 2>&1 &
infra=$!
api=""; worker=""
stop() {
  if [ -n "$api$worker" ]; then kill -TERM $api $worker 2>/dev/null || true; wait $api $worker 2>/dev/null || true; fi
  kill -TERM "$infra" 2>/dev/null || true; wait "$infra" 2>/dev/null || true
}
trap 'rc=$?; stop; if [ $rc -ne 0 ]; then for f in infra api worker; do echo "--- $f log (tail) ---"; tail -5 "$logs/$f.log" 2>/dev/null; done; fi; rm -rf "$logs"' EXIT
for _ in $(seq 1 120); do grep -q 'API/Worker' "$logs/infra.log" && break; kill -0 "$infra" 2>/dev/null || break; sleep 1; done
[ -s "$logs/app.env" ] || { echo "smoke: the dev stack's infrastructure did not start"; tail -20 "$logs/infra.log"; exit 1; }
# The settings the dev stack would give its own apps (the simulator's public development keys; the Payouts 2FA
# public key is a file beside them, passed on as PEM text: the image cannot see the host's files).
common=()
while IFS='=' read -r key value; do
  case "$key" in LOG_FORMAT|API_*|WORKER_*) continue ;; esac
  if [[ "$value" == *.pem && -f "$value" ]]; then value=$(cat "$value"); fi
  common+=("$key=$value")
  case "$key" in CASHFREE_BASE_URL|CASHFREE_CLIENT_ID|CASHFREE_CLIENT_SECRET|OIDC_ISSUER_URI) printf -v "$key" '%s' "$value" ;; esac
done <"$logs/app.env"
common+=(commdesk.db.migrate=false commdesk.metrics.temporal-report-interval=PT1S LOG_FORMAT=ecs)
python3 "$here/run_image.py" run "$worker_image" "${common[@]}" WORKER_HOST=127.0.0.1 WORKER_PORT=18181 >"$logs/worker.log" 2>&1 &
worker=$!
python3 "$here/run_image.py" run "$api_image" "${common[@]}" API_HOST=127.0.0.1 API_PORT=18180 >"$logs/api.log" 2>&1 &
api=$!

up() { curl -fs "http://127.0.0.1:$1/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; }
for _ in $(seq 1 180); do up 18180 && up 18181 && break; sleep 1; done
up 18180 && up 18181 || { echo "smoke: the images did not become healthy"; exit 1; }
# Once Spring has started its logging, every line is one JSON object (before it, the one-line start-up
# check may print in logback's default shape).
for log in "$logs/api.log" "$logs/worker.log"; do
  plain=$(awk 'seen && !/^\{"@timestamp"/ && NF {print} /^\{"@timestamp"/ {seen = 1}' "$log" | head -3)
  grep -q '^{"@timestamp"' "$log" && [ -z "$plain" ] || { echo "smoke: $(basename "$log") is not JSON lines: $plain"; exit 1; }
done

# The API image trusts the dev stack's authorization server (OIDC_ISSUER_URI above): the CommDesk app's
# client_credentials token (development-only client, printed by the dev stack), as the app would call it.
[ -n "${OIDC_ISSUER_URI:-}" ] || { echo "smoke: the dev stack's settings name no OIDC issuer"; exit 1; }
TOKEN=$(curl -fs -u commdesk-app:dev-app-secret-not-a-secret -d grant_type=client_credentials "$OIDC_ISSUER_URI/oauth2/token" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "smoke: no client_credentials token from $OIDC_ISSUER_URI"; exit 1; }
AUTH=(-H "Authorization: Bearer $TOKEN")
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18180/api/v1/payments/no-such-payment)
[ "$code" = 401 ] || { echo "smoke: the API image answered $code without a token"; exit 1; }

run=$(date +%s)  # order and payment ids of their own, so the script can run again on the same stack
CF=(-H "x-client-id: $CASHFREE_CLIENT_ID" -H "x-client-secret: $CASHFREE_CLIENT_SECRET" -H 'x-api-version: 2023-08-01')
for i in 1 2 3 4 5 6; do
  curl -fs -X POST "$CASHFREE_BASE_URL/pg/orders" "${CF[@]}" -H 'Content-Type: application/json' \
    -d "{\"order_id\":\"image_${run}_$i\",\"order_amount\":100.00,\"order_currency\":\"INR\",\"customer_details\":{\"customer_id\":\"c-${run}-$i\",\"customer_phone\":\"9876543210\"},\"order_tags\":{\"community_id\":\"demo-community\"}}" >/dev/null
  curl -fs -X POST "$CASHFREE_BASE_URL/__sim/orders/image_${run}_$i/pay" -d '{"payment_method":"UPI"}' >/dev/null
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:18180/api/v1/payments "${AUTH[@]}" -H "Idempotency-Key: image-${run}-$i" \
    -H 'Content-Type: application/json' -d "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"image_${run}_$i\",\"amountPaise\":10000}")
  [ "$code" = 202 ] || { echo "smoke: the API image answered $code"; exit 1; }
done
for i in 1 2 3 4 5 6; do
  stage=""
  for _ in $(seq 1 60); do
    stage=$(curl -fs "${AUTH[@]}" "http://127.0.0.1:18180/api/v1/payments/image-${run}-$i" | sed -n 's/.*"stage":"\([A-Z_]*\)".*/\1/p')
    [ "$stage" = COMPLETED ] && break
    sleep 1
  done
  [ "$stage" = COMPLETED ] || { echo "smoke: payment image-${run}-$i ended in '$stage'"; exit 1; }
done
# The worker image is the platform's only worker: it journaled every payment.
posted=$(curl -fs http://127.0.0.1:18181/actuator/prometheus | awk '/^commdesk_payments_posted_total/ {s += $2} END {print int(s)}')
[ "$posted" -eq 6 ] || { echo "smoke: the worker image journaled $posted payments, not 6"; exit 1; }
echo "smoke: the API and worker images ran in their own root filesystems as user 65532; without a token 401; 6 payments with the app's token COMPLETED, journaled by the worker image; JSON logs"
