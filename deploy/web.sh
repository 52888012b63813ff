#!/usr/bin/env bash
# The browser app (src/Web): a pinned Node from the npm registry, its packages, and the build, each redone only when
# its inputs changed.   deploy/web.sh build | node-path | check-client URL
#   build          builds src/Web/dist/site (the shell at the root, the shop remote under shop/) if its sources changed
#   node-path      prints the folder holding the pinned node binary (prepend it to PATH)
#   generate-client U  writes the typed API client from U/openapi/v1.json
#   check-client U regenerates the typed API client from U/openapi/v1.json and fails if it differs from the committed one
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
web_main "$@"
