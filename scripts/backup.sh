#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and every evidence file (from MEDIA_ROOT or
# the bucket), each with SHA-256 hashes, into a new directory BACKUP_ROOT/<UTC time>/:
#
#   database.dump      pg_dump --format=custom (restore with scripts/restore.sh, or pg_restore)
#   DATABASE.sha256    its hash            (check: cd DIR && sha256sum -c DATABASE.sha256)
#   media/…            every stored file, under its stored name
#   MANIFEST.sha256    one hash per file   (check: cd DIR/media && sha256sum -c ../MANIFEST.sha256)
#   INFO               when, which code, which storage, how many files
#
# Run it with the app's environment (DATABASE_URL, MEDIA_ROOT or STORAGE_URL/AWS_*, SECRET_KEY …), e.g. from cron:
#   30 1 * * * cd /srv/satun_ita && set -a && . /etc/satun_ita.env && scripts/backup.sh /var/backups/satun_ita
# The database is dumped first, then the files are copied: a file uploaded meanwhile is copied without its row
# (harmless); one removed from a draft meanwhile is missing from the copy. A half-made backup is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

root=${1:?usage: scripts/backup.sh BACKUP_ROOT}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
case $DATABASE_URL in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not a PostgreSQL URL" >&2; exit 2 ;;
esac

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
final=$root/$stamp
work=$root/.$stamp.partial
[ ! -e "$final" ] || { echo "backup.sh: $final exists already" >&2; exit 1; }
umask 077  # the dump holds every account's data and password hash: the backup is for its owner only
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$work/database.dump" "$DATABASE_URL"
(cd "$work" && sha256sum database.dump > DATABASE.sha256)
"$PYTHON" manage.py export_media "$work/media" --manifest "$work/MANIFEST.sha256"

{
  echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "code: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "pg_dump: $(pg_dump --version)"
  echo "files: $(wc -l < "$work/MANIFEST.sha256")"
  echo "bytes: $(du -sb "$work" | cut -f1)"
} > "$work/INFO"

mv "$work" "$final"
trap - EXIT
echo "$final"
