#!/usr/bin/env bash
# Private PostgreSQL cluster for TicketFlash (dev, tests, CI).
#
#   deploy/pg.sh start    install PostgreSQL if missing, create the cluster if missing, start it,
#                         ensure the application role and database exist (idempotent)
#   deploy/pg.sh stop     stop the cluster (pg_ctl stop -m fast)
#   deploy/pg.sh status   exit 0 when running
#   deploy/pg.sh psql     psql into the application database over TCP (extra args passed on)
#   deploy/pg.sh url      print the Npgsql connection string
#
# Environment: TF_PGDATA (default <repo>/.data/pg), TF_PGPORT (25432), TF_PGPASSWORD (ticketflash),
# TF_PGDATABASE (ticketflash), TF_PGCREATEDB=1 (lets the role create databases: tests make one per fixture).
# The cluster is never the system one: it lives in TF_PGDATA, listens
# on 127.0.0.1 only (scram-sha-256 password auth over TCP, peer auth on its private unix socket),
# and keeps its socket next to the data folder, not in /var/run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDATA_DIR="${TF_PGDATA:-$REPO/.data/pg}"
PORT="${TF_PGPORT:-25432}"
PASSWORD="${TF_PGPASSWORD:-ticketflash}"
DATABASE="${TF_PGDATABASE:-ticketflash}"
APP_USER="ticketflash"
PG_OS_USER="postgres"

# Absolute path without requiring the folder to exist yet.
case "$PGDATA_DIR" in /*) ;; *) PGDATA_DIR="$PWD/$PGDATA_DIR" ;; esac
PGDATA_DIR="${PGDATA_DIR%/}"
PARENT_DIR="$(dirname "$PGDATA_DIR")"

# Socket folder: beside the data folder. A unix socket path is limited to ~107 bytes, so a deep
# checkout falls back to a short, deterministic folder under /tmp.
SOCK_DIR="$PARENT_DIR/$(basename "$PGDATA_DIR").sock"
if [ $(( ${#SOCK_DIR} + 20 )) -gt 107 ]; then
  SOCK_DIR="/tmp/tf-pgsock-$PORT-$(printf '%s' "$PGDATA_DIR" | sha256sum | cut -c1-12)"
fi

log() { echo "pg.sh: $*" >&2; }

as_pg() {
  if [ "$(id -un)" = "$PG_OS_USER" ]; then "$@"; else runuser -u "$PG_OS_USER" -- "$@"; fi
}

pg_bin() {
  local want="" d
  if [ -f "$PGDATA_DIR/PG_VERSION" ]; then want="$(cat "$PGDATA_DIR/PG_VERSION")"; fi
  if [ -n "$want" ] && [ -x "/usr/lib/postgresql/$want/bin/pg_ctl" ]; then
    echo "/usr/lib/postgresql/$want/bin"; return
  fi
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  [ -n "$d" ] || { log "PostgreSQL binaries not found (run: $0 start)"; exit 1; }
  echo "$d"
}

ensure_installed() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    log "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends postgresql
  fi
  if ! id "$PG_OS_USER" >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$PG_OS_USER"
  fi
}

# The checkout may sit under a root-owned mode-700 folder (e.g. a mktemp dir) that the postgres
# user cannot traverse. Add o+x (search/traversal only: no listing, no reading) to each ancestor
# that the postgres user cannot enter, so the cluster can live inside the repo.
ensure_traversable() {
  local target="$1" path="" part
  IFS='/' read -r -a parts <<< "${target#/}"
  for part in "${parts[@]}"; do
    path="$path/$part"
    [ -d "$path" ] || break
    if ! as_pg test -x "$path"; then
      log "adding o+x (traversal only) to $path so the $PG_OS_USER user can reach the cluster"
      chmod o+x "$path"
    fi
  done
}

is_running() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] && as_pg "$(pg_bin)/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

admin_psql() {
  as_pg "$(pg_bin)/psql" -X -q -h "$SOCK_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

cmd_start() {
  ensure_installed
  local bin; bin="$(pg_bin)"
  mkdir -p "$PARENT_DIR" "$PGDATA_DIR" "$SOCK_DIR"
  ensure_traversable "$PARENT_DIR"
  ensure_traversable "$SOCK_DIR"
  chown "$PG_OS_USER:$PG_OS_USER" "$PGDATA_DIR" "$SOCK_DIR"
  chmod 700 "$PGDATA_DIR"
  chmod 755 "$SOCK_DIR"

  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    log "initializing a new cluster in $PGDATA_DIR"
    local pwfile; pwfile="$(mktemp)"
    # The superuser gets a random password (needed for scram over TCP); locally it uses peer auth.
    head -c 32 /dev/urandom | base64 | tr -d '\n/+=' > "$pwfile"
    chown "$PG_OS_USER" "$pwfile"
    as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres --pwfile="$pwfile" -E UTF8 --locale=C \
      --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "include_if_exists = 'ticketflash.conf'" >> "$PGDATA_DIR/postgresql.conf"
  fi

  # Rewritten on every start so the port/socket follow the environment.
  cat > "$PGDATA_DIR/ticketflash.conf" <<EOF
# Managed by deploy/pg.sh; rewritten on each start.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK_DIR'
password_encryption = 'scram-sha-256'
EOF
  chown "$PG_OS_USER:$PG_OS_USER" "$PGDATA_DIR/ticketflash.conf"

  if is_running; then
    log "already running ($PGDATA_DIR)"
  else
    as_pg "$bin/pg_ctl" start -D "$PGDATA_DIR" -w -t 120 -l "$PGDATA_DIR/server.log" >/dev/null
  fi
  as_pg "$bin/pg_isready" -q -h "$SOCK_DIR" -p "$PORT" -t 60

  # Role (password kept in sync with TF_PGPASSWORD so `url` is always right) and database.
  admin_psql -v role="$APP_USER" -v pw="$PASSWORD" -v db="$DATABASE" -v createdb="${TF_PGCREATEDB:-0}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('ALTER ROLE %I CREATEDB', :'role') WHERE :'createdb' = '1' \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8''', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
  log "running on 127.0.0.1:$PORT (data $PGDATA_DIR)"
}

cmd_stop() {
  if is_running; then
    as_pg "$(pg_bin)/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w >/dev/null
    log "stopped ($PGDATA_DIR)"
  else
    log "not running ($PGDATA_DIR)"
  fi
}

cmd_url() {
  echo "Host=127.0.0.1;Port=$PORT;Database=$DATABASE;Username=$APP_USER;Password=$PASSWORD"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status)
    if is_running; then echo "running on 127.0.0.1:$PORT ($PGDATA_DIR)"; else echo "stopped ($PGDATA_DIR)"; exit 3; fi ;;
  psql)
    shift
    PGPASSWORD="$PASSWORD" exec "$(pg_bin)/psql" -h 127.0.0.1 -p "$PORT" -U "$APP_USER" -d "$DATABASE" "$@" ;;
  url) cmd_url ;;
  *) echo "usage: $0 start|stop|status|psql|url" >&2; exit 2 ;;
esac
