#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into an EMPTY database (create it first, e.g.
# `createdb gongzhi_restored`), in one transaction: it is all restored or nothing is. Start the API
# on it afterwards: the migration history is restored with the data, so only migrations newer
# than the backup run (an older backup is upgraded at start).
#
#   DATABASE_URL=postgres://user:pass@host:5432/gongzhi_restored scripts/restore.sh backups/gongzhi-….dump
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the new, empty database}"
file="${1:?usage: scripts/restore.sh <dump file>}"
[ -f "$file" ] || { echo "no such dump file: $file" >&2; exit 2; }
tables=$(psql --no-psqlrc -Atq -d "$DATABASE_URL" -c \
  "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: the database already has $tables tables (restore into a new, empty database)" >&2
  exit 3
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" "$file"
echo "restored $file"
