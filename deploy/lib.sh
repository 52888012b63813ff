# Shared helpers for deploy/*.sh (sourced, not run).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$REPO/.data"
CONFIG="${TF_BUILD_CONFIGURATION:-Release}"
SILO_DLL="$REPO/src/Silo/bin/$CONFIG/net10.0/TicketFlash.Silo.dll"
API_DLL="$REPO/src/Api/bin/$CONFIG/net10.0/TicketFlash.Api.dll"

say() { echo "ticketflash: $*" >&2; }

ensure_tools() {
  command -v dotnet >/dev/null || { say "the .NET 10 SDK is required (https://dot.net)"; exit 1; }
  if ! command -v curl >/dev/null; then
    say "installing curl"; export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends curl ca-certificates
  fi
}

build_app() {
  say "building ($CONFIG)"
  dotnet build "$REPO/src/Api/Api.csproj" -c "$CONFIG" -nologo -v q
  dotnet build "$REPO/src/Silo/Silo.csproj" -c "$CONFIG" -nologo -v q
}

# A signing key for development tokens, kept with the data so tokens survive restarts and are shared by API nodes.
# The master key that seals ticket-signing keys at rest (Keys:MasterKey): 32 random bytes, made once per checkout.
dev_master_key() {
  mkdir -p "$DATA"
  [ -s "$DATA/dev-master-key" ] || head -c 32 /dev/urandom | base64 -w0 > "$DATA/dev-master-key"
  chmod 600 "$DATA/dev-master-key"
  cat "$DATA/dev-master-key"
}

dev_signing_key() {
  mkdir -p "$DATA"
  [ -s "$DATA/dev-signing-key" ] || head -c 48 /dev/urandom | base64 -w0 > "$DATA/dev-signing-key"
  chmod 600 "$DATA/dev-signing-key"
  cat "$DATA/dev-signing-key"
}

use_postgres() {
  "$REPO/deploy/pg.sh" start
  export TF_ConnectionStrings__Orleans="$("$REPO/deploy/pg.sh" url)"
  dotnet "$SILO_DLL" migrate
}

wait_ready() { # url seconds pid
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    curl -fsS "$1/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || { say "process $3 exited during start-up"; return 1; }
    sleep 0.25
  done
  say "$1 was not ready within $2 s"; return 1
}
