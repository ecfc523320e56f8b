#!/usr/bin/env bash
# Runs both generated clients against a fresh server: `clients/run.sh KOPPEL_BINARY PYTHON`.
#
# The server gets a new SQLite database with the demo data (its administrator, A-team, round and
# drawn lottery) and a mail sink writing to a folder, from which the Python scenario reads its
# invitation links. PYTHON is an interpreter with the generated client's dependencies (httpx,
# attrs, python-dateutil); the generated packages are in clients/generated.
set -euo pipefail

koppel=$1
python=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
mail_port=$(free_port)
base=http://127.0.0.1:$port

export KOPPEL_DATABASE_URL="sqlite://$dir/clients.db?mode=rwc"
export KOPPEL_BIND=127.0.0.1:$port
export KOPPEL_PUBLIC_URL=$base
export KOPPEL_SPA_DIR=$dir/no-spa
export KOPPEL_SMTP_URL=smtp://127.0.0.1:$mail_port
export RUST_LOG=warn

"$koppel" seed-demo > "$dir/seed.log"
"$koppel" mail-sink --bind "127.0.0.1:$mail_port" --folder "$dir/mail" > "$dir/mail.log" 2>&1 &
sink=$!
"$koppel" serve > "$dir/server.log" 2>&1 &
server=$!
stop() {
    kill "$server" "$sink" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$dir"
}
trap stop EXIT
python3 -c 'import sys, time, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("the server did not start")' "$base/api/v1/health" || { tail -n 30 "$dir/server.log"; exit 1; }

status=0
echo "== Python client (clients/python/round.py)"
PYTHONPATH="$here/generated/python" "$python" "$here/python/round.py" "$base" "$dir/mail" || status=$?
echo "== TypeScript client (clients/typescript/progress.ts)"
node "$here/typescript/dist/progress.js" "$base" || status=$?
if [ "$status" -ne 0 ]; then
    echo "server log:"
    tail -n 30 "$dir/server.log"
fi
exit $status
