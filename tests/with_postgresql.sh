#!/usr/bin/env bash
# Runs the database-backed tests against a throwaway PostgreSQL server on 127.0.0.1, to prove that the code
# the embedded SQLite runs also runs on PostgreSQL (DESIGN.md, Data). Installs the server with apt-get when it
# is missing (as root), starts a private cluster in a temporary folder, and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then echo "PostgreSQL absent : sudo apt-get install postgresql" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
port=${ENCOURS_PG_PORT:-54329}  # another port lets two runs go side by side
data=$(mktemp -d /tmp/encours-pg.XXXXXX)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$data"
as_owner "$bin/initdb" -D "$data/db" -U encours --auth=trust >/dev/null
as_owner "$bin/pg_ctl" -D "$data/db" -o "-p $port -k $data -c listen_addresses=127.0.0.1" -l "$data/log" -w start >/dev/null
trap 'as_owner "$bin/pg_ctl" -D "$data/db" -m fast stop >/dev/null; rm -rf "$data"' EXIT
as_owner "$bin/createdb" -h 127.0.0.1 -p $port -U encours encours_test
ENCOURS_TEST_DATABASE_URL="postgresql+psycopg://encours@127.0.0.1:$port/encours_test" \
  QT_QPA_PLATFORM=offscreen .venv/bin/pytest tests/models tests/services tests/ui
