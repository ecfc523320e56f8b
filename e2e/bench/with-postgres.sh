#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on 127.0.0.1, stopped and deleted
# afterwards: `with-postgres.sh [--durable] COMMAND...`, with the cluster's URL in
# $KOPPEL_TEST_DATABASE_URL. Tests run it without fsync (faster, nothing to keep); `--durable`
# keeps PostgreSQL's default fsync and synchronous commit, for benchmarks.
set -euo pipefail
durability="-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
if [ "${1:-}" = "--durable" ]; then durability=""; shift; fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d)
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; as_pg=(runuser -u postgres --); fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() { "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT
"${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir $durability -c max_connections=300" \
    start >/dev/null
echo "PostgreSQL on 127.0.0.1:$port"
KOPPEL_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
