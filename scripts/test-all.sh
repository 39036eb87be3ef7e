#!/usr/bin/env bash
# The whole check, as CI runs it: types, lint, the suite on embedded PGlite, then the suite again on
# a real PostgreSQL server (a fresh database per test suite, dropped after).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== typecheck" && pnpm -s typecheck
echo "== lint" && pnpm -s lint
# The E2E tests drive the H5 build served by the API: build it first when the sources changed.
echo "== mini: H5 build" && node scripts/ensure-h5.mjs
echo "== mini: weapp build and main-package size"
WEAPP_LOG="$(mktemp)"
pnpm -s build:weapp >"$WEAPP_LOG" 2>&1 || { cat "$WEAPP_LOG"; exit 1; }
rm -f "$WEAPP_LOG"
node scripts/check-weapp-size.mjs
echo "== tests on PGlite (embedded)" && env -u DATABASE_URL pnpm -s test "$@"

PG_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if node -e "require('net').connect(${PG_PORT:-5432}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))"; then
  echo "== tests on PostgreSQL ($PG_URL)" && DATABASE_URL="$PG_URL" pnpm -s test "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432: CI must run the suite on it" >&2
  exit 1
else
  echo "== PostgreSQL pass skipped: no server on 127.0.0.1:5432 (set TEST_PG_URL, or start one)"
fi
