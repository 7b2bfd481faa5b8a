#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database and the evidence storage of the environment:
#
#   createdb satun_ita_restored
#   DATABASE_URL=postgres://…/satun_ita_restored STORAGE_URL=… scripts/restore.sh /var/backups/satun_ita/<time>
#
# The database must be new and empty (restore.sh refuses one with tables); the storage may be empty, or already
# hold some of the same files (identical files are kept, a different file under the same name is an error —
# nothing is overwritten). Every hash is checked: the dump's before it is loaded, each file's before it is
# uploaded and again read back from the storage. Then `migrate` brings an older backup up to the code's schema.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

backup=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must name the (new, empty) PostgreSQL database to restore into}"
for f in database.dump DATABASE.sha256 MANIFEST.sha256 media; do
  [ -e "$backup/$f" ] || { echo "restore.sh: $backup/$f is missing: not a backup of backup.sh" >&2; exit 1; }
done

# Every hash before anything is written: a damaged backup restores nothing.
(cd "$backup" && sha256sum --check --quiet DATABASE.sha256)
if [ -s "$backup/MANIFEST.sha256" ]; then
  (cd "$backup/media" && sha256sum --check --quiet ../MANIFEST.sha256) ||
    { echo "restore.sh: a file of the backup does not match the manifest" >&2; exit 1; }
fi

tables=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "restore.sh: the target database already has $tables table(s); restore into a new, empty one" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" \
  "$backup/database.dump"
"$PYTHON" manage.py import_media "$backup/media" --manifest "$backup/MANIFEST.sha256"
"$PYTHON" manage.py migrate --noinput
# Pages are kept rendered under the data version (ops/versions.py): a restored database gets one never used before
# (milliseconds since 1970, far above any count of changes), so no page kept before the restore is served again.
psql "$DATABASE_URL" -q -c "INSERT INTO ops_dataversion (id, n) VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
  ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n"
echo "restored $backup"
