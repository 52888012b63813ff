#!/usr/bin/env bash
# A local cluster on loopback sharing one PostgreSQL: N silos and M API nodes.
#   deploy/cluster.sh start [--silos N] [--apis M]   silo i: ports 11111+i / 30000+i; API j: http://127.0.0.1:(5080+j)
#   deploy/cluster.sh stop                           stops the processes it started (by PID) and PostgreSQL
#   deploy/cluster.sh status
# Logs and PIDs are in .data/cluster/. Add a silo to a running cluster: deploy/cluster.sh add-silo I
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DIR="$DATA/cluster"; mkdir -p "$DIR"

start_silo() { # index
  TF_Orleans__SiloPort=$((11111 + $1)) TF_Orleans__GatewayPort=$((30000 + $1)) TF_Keys__MasterKey="${TF_Keys__MasterKey:-$(dev_master_key)}" \
    dotnet "$SILO_DLL" > "$DIR/silo-$1.log" 2>&1 &
  echo $! > "$DIR/silo-$1.pid"; say "silo $1 pid $!"
}

cmd="${1:-status}"; shift || true
SILOS=2; APIS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) SILOS="$2"; shift ;;
    --apis) APIS="$2"; shift ;;
    *) break ;;
  esac
  shift
done

case "$cmd" in
  start)
    ensure_tools; build_app; build_web; use_postgres
    for ((i = 0; i < SILOS; i++)); do start_silo "$i"; done
    key="$(dev_signing_key)"; loopback_rate_limits
    for ((j = 0; j < APIS; j++)); do
      TF_Auth__SigningKey="$key" ASPNETCORE_ENVIRONMENT=Development TF_Web__Root="$WEB_SITE" \
        dotnet "$API_DLL" --urls "http://127.0.0.1:$((5080 + j))" > "$DIR/api-$j.log" 2>&1 &
      echo $! > "$DIR/api-$j.pid"; say "api $j pid $! http://127.0.0.1:$((5080 + j))"
    done
    for ((j = 0; j < APIS; j++)); do wait_ready "http://127.0.0.1:$((5080 + j))" 90 "$(cat "$DIR/api-$j.pid")"; done
    say "cluster ready: $SILOS silos, $APIS API nodes" ;;
  add-silo)
    export TF_ConnectionStrings__Orleans="$("$REPO/deploy/pg.sh" url)"; start_silo "${1:?index}" ;;
  stop)
    for f in "$DIR"/*.pid; do [ -e "$f" ] || continue; kill -TERM "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
    "$REPO/deploy/pg.sh" stop || true ;;
  status)
    for f in "$DIR"/*.pid; do [ -e "$f" ] || continue
      if kill -0 "$(cat "$f")" 2>/dev/null; then echo "$(basename "$f" .pid): running ($(cat "$f"))"; else echo "$(basename "$f" .pid): dead"; fi
    done ;;
  *) sed -n '2,7p' "$0"; exit 2 ;;
esac
