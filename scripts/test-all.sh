#!/usr/bin/env bash
# The whole check, as CI runs it: types, lint, the suite on embedded PGlite, then the suite again
# (but the browser stories) on a real PostgreSQL server (a fresh database per test suite, dropped after).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== typecheck" && pnpm -s typecheck
echo "== lint (with the layer rules in biome.json)" && pnpm -s lint
echo "== no import cycles (domain, API, mini-program)"
pnpm -s exec dpdm --no-warning --no-tree --exit-code circular:1 packages/domain/src/index.ts \
  apps/api/src/server.ts apps/api/src/cli/main.ts apps/mini/src/app.tsx 'apps/mini/src/**/index.tsx' >/dev/null \
  || { pnpm -s exec dpdm --no-warning --no-tree packages/domain/src/index.ts apps/api/src/server.ts \
    apps/api/src/cli/main.ts apps/mini/src/app.tsx 'apps/mini/src/**/index.tsx'; exit 1; }
# The API's OpenAPI document, written by the app itself (built on an in-memory PGlite, not listening),
# linted by Spectral (.spectral.yaml) and Redocly (redocly.yaml): an error fails the run. The warnings
# that stay are listed in docs/api.md. Both CLIs are devDependencies; nothing is fetched here.
echo "== OpenAPI document: Spectral and Redocly lint"
OPENAPI_DIR="$(mktemp -d)"
env -u DATABASE_URL pnpm -s tsx scripts/write-openapi.ts "$OPENAPI_DIR/openapi.json" >/dev/null
pnpm -s exec spectral lint --ruleset .spectral.yaml --fail-severity error "$OPENAPI_DIR/openapi.json"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  pnpm -s exec redocly lint --config redocly.yaml "$OPENAPI_DIR/openapi.json"
rm -rf "$OPENAPI_DIR"
# The E2E tests drive the H5 build served by the API: build it first when the sources changed.
echo "== mini: H5 build" && node scripts/ensure-h5.mjs
echo "== mini: H5 first-load JavaScript within its budget" && node scripts/check-h5-size.mjs
echo "== mini: weapp release build (sources checked for browser-only calls, package sizes)"
WEAPP_LOG="$(mktemp)"
# A release-shaped build with example settings: what a real release gets, but for the address.
GONGZHI_API_BASE=https://gongzhi.example.cn GONGZHI_WEAPP_APPID=wx0123456789abcdef \
  pnpm -s build:weapp >"$WEAPP_LOG" 2>&1 || { cat "$WEAPP_LOG"; exit 1; }
rm -f "$WEAPP_LOG"
# The domain's tests are pure (no database): they run once, measured, with a floor on coverage.
echo "== domain tests with coverage (floor: 90 % of lines)" && pnpm -s test:coverage
# Two workers on CI's two cores: a suite spends much of its time waiting (password hashing and image
# work on libuv's threads, the database, the browser), so two at once finish well sooner than one.
DB_TESTS=(--testPathIgnorePatterns '/tests/domain/' --maxWorkers=2)
echo "== tests on PGlite (embedded)" && env -u DATABASE_URL pnpm -s test "${DB_TESTS[@]}" "$@"

PG_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
# The browser stories (tests/e2e) run once, on PGlite above — the database the product uses unless
# told otherwise, and the demo's: they test the H5 client and the API it calls, and every API suite
# runs on both databases. On PostgreSQL too they took a third of its pass (~8 min on a slow day).
PG_TESTS=(--testPathIgnorePatterns '/tests/(domain|e2e)/' --maxWorkers=2)
if node -e "require('net').connect(${PG_PORT:-5432}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"; then
  echo "== tests on PostgreSQL ($PG_URL), without the browser stories" && DATABASE_URL="$PG_URL" pnpm -s test "${PG_TESTS[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432: CI must run the suite on it" >&2
  exit 1
else
  echo "== PostgreSQL pass skipped: no server on 127.0.0.1:5432 (set TEST_PG_URL, or start one)"
fi
