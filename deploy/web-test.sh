#!/usr/bin/env bash
# Browser tests of the web app: Debian's Chromium (installed here if missing) driven by playwright-core, against a real
# stack that this script starts: PostgreSQL (the test cluster of deploy/test.sh, or its own), a silo co-hosting the API,
# the built app served by the API. Also fails when the generated API client no longer matches /openapi/v1.json.
#   deploy/web-test.sh [e2e test files…]     screenshots: src/Web/test-results/screenshots
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_tools

if ! [ -x /usr/bin/chromium ]; then
  say "installing chromium (Debian)"; export DEBIAN_FRONTEND=noninteractive
  apt-get update -q && apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core
fi

PIDS=(); OWN_PG=0
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$OWN_PG" = 1 ]; then "$REPO/deploy/pg.sh" stop || true; rm -rf "$TF_PGDATA"; fi
}
trap cleanup EXIT

if [ -z "${TF_TEST_PG:-}" ]; then # run alone: a throwaway PostgreSQL of its own
  export TF_PGDATA="$DATA/web-test-pg" TF_PGPORT="${TF_WEB_TEST_PGPORT:-25472}"
  rm -rf "$TF_PGDATA"; OWN_PG=1
  "$REPO/deploy/pg.sh" start
  export TF_TEST_PG="$("$REPO/deploy/pg.sh" url)"
  build_app
fi
build_web

PORT="${TF_WEB_TEST_PORT:-25480}"
export TF_ConnectionStrings__Orleans="$TF_TEST_PG" TF_Orleans__ClusterId="web-tests-$$" \
  TF_Orleans__SiloPort="${TF_WEB_TEST_SILO_PORT:-25481}" TF_Orleans__GatewayPort="${TF_WEB_TEST_GATEWAY_PORT:-25482}"
dotnet "$SILO_DLL" migrate
loopback_rate_limits
mkdir -p "$WEB/test-results"
TF_Keys__MasterKey="$(head -c 32 /dev/urandom | base64 -w0)" TF_Auth__SigningKey="$(head -c 48 /dev/urandom | base64 -w0)" \
  TF_Web__Root="$WEB_SITE" ASPNETCORE_ENVIRONMENT=Development \
  dotnet "$SILO_DLL" --api --urls "http://127.0.0.1:$PORT" > "$WEB/test-results/silo.log" 2>&1 & PIDS+=($!)
wait_ready "http://127.0.0.1:$PORT" 120 "$!"

check_api_client "http://127.0.0.1:$PORT"

files=("$@"); [ ${#files[@]} -gt 0 ] || mapfile -t files < <(cd "$WEB" && ls e2e/*.e2e.ts)
# The OIDC sign-in test: a real issuer (oidc-provider, tests/oidc-issuer) and a second API node of the same cluster
# that trusts it instead of a development key. Started only when that test runs; the other tests keep dev sign-in.
OIDC_API_URL=""
if [[ " ${files[*]} " == *oidc.e2e.ts* ]]; then
  ensure_oidc_issuer
  OIDC_PORT="${TF_WEB_TEST_OIDC_PORT:-25483}"; OIDC_API_URL="http://127.0.0.1:${TF_WEB_TEST_OIDC_API_PORT:-25484}"
  node "$OIDC_ISSUER/issuer.mjs" --port "$OIDC_PORT" --redirect-uri "$OIDC_API_URL/" > "$WEB/test-results/oidc-issuer.log" 2>&1 & PIDS+=($!)
  TF_Auth__Authority="http://127.0.0.1:$OIDC_PORT" TF_Auth__Web__Scope="openid profile api" TF_Auth__Web__Resource="urn:ticketflash" \
    TF_Web__Root="$WEB_SITE" ASPNETCORE_ENVIRONMENT=Development \
    dotnet "$API_DLL" --urls "$OIDC_API_URL" > "$WEB/test-results/api-oidc.log" 2>&1 & PIDS+=($!)
  wait_ready "$OIDC_API_URL" 120 "$!"
fi

cd "$WEB"
rm -rf test-results/screenshots
say "browser tests: ${files[*]}"
TF_WEB_URL="http://127.0.0.1:$PORT" TF_WEB_OIDC_URL="$OIDC_API_URL" TF_SCREENSHOTS="$WEB/test-results/screenshots" \
  node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
