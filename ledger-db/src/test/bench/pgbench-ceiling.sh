#!/usr/bin/env bash
# What PostgreSQL alone can journal with this schema: applies the changelog to a fresh database
# (plain SQL, in db.changelog-master.yaml order), seeds it, runs payment-shape.pgbench.sql with
# pgbench, prints payments/s (= transactions/s x 250), then drops the database.
# Usage: ledger-db/src/test/bench/pgbench-ceiling.sh [seconds=60] [clients=2]   (PG* env vars pick the server)
set -euo pipefail
seconds=${1:-60}
clients=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
changelog=$here/../../main/resources/db/changelog
db=commdesk_pgbench_$$
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
psql -q -d postgres -c "create database $db"
trap 'psql -q -d postgres -c "drop database if exists $db" >/dev/null' EXIT
for part in $(sed -n 's/.*file: db\/changelog\/\([^ ]*\) }.*/\1/p' "$changelog/db.changelog-master.yaml"); do
    psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$changelog/$part" >/dev/null
done
psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/payment-shape-setup.sql"
out=$(pgbench -n -c "$clients" -j "$clients" -T "$seconds" -f "$here/payment-shape.pgbench.sql" "$db" 2>&1)
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
echo "$out" | grep -E "number of (transactions|failed)|latency average"
psql -q -At -d "$db" -c "select 'rows per payment: ' || round(((select count(*) from journal) + (select count(*) from posting)
    + (select count(*) from revenue_transaction) + (select count(*) from revenue_distribution)
    + (select count(*) from platform_revenue))::numeric / (select count(*) from journal), 1)"
awk -v t="$tps" -v c="$clients" 'BEGIN { printf "pgbench ceiling: %.0f payments/s (%.1f group commits of 250 per second, %d clients)\n", t * 250, t, c }'
