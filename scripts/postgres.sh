#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: initdb in a temporary folder, loopback only, a free port.
#
#   eval "$(bash scripts/postgres.sh start)"   # exports CURBSIDE_TEST_POSTGRES_URL and CURBSIDE_TEST_PGDATA
#   bash scripts/postgres.sh stop "$CURBSIDE_TEST_PGDATA"   # stops the server and deletes its folder
#
# Uses Debian's packages (/usr/lib/postgresql/*/bin). As root, the server runs as the 'postgres' user
# (initdb refuses to run as root). Trust authentication is safe here: it listens on 127.0.0.1 and a
# Unix socket inside its own private folder only.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "postgres.sh: PostgreSQL server packages not found (apt-get install -y postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local dir port url
  dir=$(mktemp -d "${TMPDIR:-/tmp}/curbside-pg.XXXXXX")
  chmod 700 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres curbside_test
  url="postgresql+psycopg://postgres@127.0.0.1:$port/curbside_test"
  echo "export CURBSIDE_TEST_POSTGRES_URL='$url'"
  echo "export CURBSIDE_TEST_PGDATA='$dir'"
}

stop() {
  local dir=${1:-${CURBSIDE_TEST_PGDATA:-}}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "postgres.sh: usage: postgres.sh stop DIR (the CURBSIDE_TEST_PGDATA that start printed)" >&2
    exit 2
  fi
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: postgres.sh start | stop DIR" >&2; exit 2 ;;
esac
