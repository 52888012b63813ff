#!/usr/bin/env bash
# Runs every test: installs what they need (PostgreSQL from apt), starts a throwaway PostgreSQL for them, builds,
# runs `dotnet test`, then the browser tests (deploy/web-test.sh), and stops what it started.   deploy/test.sh [extra dotnet test args, e.g. --filter Storm]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools

export TF_PGDATA="${TF_TEST_PGDATA:-$DATA/test-pg}" TF_PGPORT="${TF_TEST_PGPORT:-25442}" TF_PGCREATEDB=1
rm -rf "$TF_PGDATA" # a fresh cluster each run: migrations are tested from empty
export TF_TEST_PIDS="$DATA/test-pids"; rm -rf "$TF_TEST_PIDS"; mkdir -p "$TF_TEST_PIDS"
cleanup() {
  # Silo/API processes the tests started and could not stop (a crashed test host): by PID, only ours.
  for f in "$TF_TEST_PIDS"/*.pid; do [ -e "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$TF_TEST_PIDS"
  "$REPO/deploy/pg.sh" stop || true; rm -rf "$TF_PGDATA"
}
trap cleanup EXIT
"$REPO/deploy/pg.sh" start
export TF_TEST_PG="$("$REPO/deploy/pg.sh" url)"

# The QR round-trip tests decode rendered codes with a real decoder: zbarimg, from Debian's zbar-tools.
if ! command -v zbarimg >/dev/null; then
  say "installing zbar-tools (zbarimg)"; export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q --no-install-recommends zbar-tools
fi

ensure_oidc_issuer # the OIDC tests run a real issuer (oidc-provider) under the pinned Node
dotnet build "$REPO/TicketFlash.sln" -c "$CONFIG" -nologo -v q
dotnet test "$REPO/TicketFlash.sln" -c "$CONFIG" --no-build -nologo --logger "console;verbosity=normal" "$@"

# The web app in a real browser against a real stack (and the typed client checked against the API it was generated from).
if [ $# -eq 0 ] || [ "${TF_WEB_TESTS:-}" = 1 ]; then "$REPO/deploy/web-test.sh"; fi
