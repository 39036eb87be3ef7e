#!/usr/bin/env bash
# Back up the gongzhi PostgreSQL database: one pg_dump in the custom format (a consistent snapshot,
# taken while the API keeps running). Photos are in the object store (or DATA_DIR/uploads): copy
# them AFTER this dump (see docs/operations.md): files are written before the rows that name them,
# so a copy taken later holds every photo the dump refers to.
#
#   DATABASE_URL=postgres://user:pass@host:5432/gongzhi scripts/backup.sh [backup-dir]
#
# Prints the path of the dump file. pg_dump must be at least the server's major version.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
dir="${1:-./backups}"
mkdir -p "$dir"
file="$dir/gongzhi-$(date -u +%Y%m%dT%H%M%SZ).dump"
# Written under a temporary name: a dump that failed half-way is never mistaken for a backup.
pg_dump --format=custom --no-owner --no-privileges --file "$file.partial" "$DATABASE_URL"
mv "$file.partial" "$file"
echo "$file"
