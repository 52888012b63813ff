#!/usr/bin/env bash
# Runs TicketFlash locally: PostgreSQL (private, in .data/pg), migrations, one silo, one API node serving the web app
# (built when its sources changed), a demo event.
#   deploy/run.sh [--memory] [--two-processes] [--api-port 5080] [--pg-port 25432]
#   --memory          in-memory storage, no PostgreSQL (state is gone when it stops)
#   --two-processes   the API as its own process (an Orleans client), as deploy/cluster.sh runs it; by default the
#                     silo co-hosts the API (one process, no client -> gateway hop)
# Ctrl-C stops everything this script started; the next run keeps the data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MEMORY=0; API_PORT=5080; COHOST=1
while [ $# -gt 0 ]; do
  case "$1" in
    --memory) MEMORY=1 ;;
    --two-processes) COHOST=0 ;;
    --api-port) API_PORT="$2"; shift ;;
    --pg-port) export TF_PGPORT="$2"; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) say "unknown option $1"; exit 2 ;;
  esac
  shift
done

ensure_tools
build_app
build_web
PIDS=(); STARTED_PG=0
cleanup() {
  trap - INT TERM EXIT
  say "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$STARTED_PG" = 1 ]; then "$REPO/deploy/pg.sh" stop || true; fi
}
trap cleanup INT TERM EXIT

if [ "$MEMORY" = 1 ]; then
  export TF_Storage__Mode=Memory
else
  "$REPO/deploy/pg.sh" status >/dev/null 2>&1 || STARTED_PG=1
  use_postgres
fi

mkdir -p "$DATA/logs"
export TF_Keys__MasterKey="${TF_Keys__MasterKey:-$(dev_master_key)}"
loopback_rate_limits
API_ENV=(TF_Auth__SigningKey="$(dev_signing_key)" TF_Seed__Demo=true ASPNETCORE_ENVIRONMENT=Development TF_Web__Root="$WEB_SITE")
if [ "$COHOST" = 1 ]; then
  env "${API_ENV[@]}" dotnet "$SILO_DLL" --api --urls "http://127.0.0.1:$API_PORT" > "$DATA/logs/silo.log" 2>&1 & PIDS+=($!)
  say "silo with the API started (pid $!, log .data/logs/silo.log)"
else
  dotnet "$SILO_DLL" > "$DATA/logs/silo.log" 2>&1 & PIDS+=($!)
  say "silo started (pid $!, log .data/logs/silo.log)"
  env "${API_ENV[@]}" dotnet "$API_DLL" --urls "http://127.0.0.1:$API_PORT" > "$DATA/logs/api.log" 2>&1 & PIDS+=($!)
fi
wait_ready "http://127.0.0.1:$API_PORT" 90 "$!"
say "TicketFlash is running: open http://127.0.0.1:$API_PORT  (OpenAPI: /openapi/v1.json)"
say "Ctrl-C to stop"
wait -n "${PIDS[@]}" || true
