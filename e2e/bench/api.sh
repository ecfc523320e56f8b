#!/usr/bin/env bash
# Load benchmark of the API on one database: `api.sh KOPPEL_BINARY DATABASE_URL LABEL`.
#
# Seeds the demo institute into DATABASE_URL (a fresh database), starts `koppel serve` on a free
# port and drives it with wrk (2 threads, 64 connections, $BENCH_SECONDS per request, default 20),
# server and load generator sharing the machine. Prints req/s, p50 and p99 per request and the
# ratio to /health measured in the same run; a request that answered anything but 2xx is counted.
# Then a mixed soak of $SOAK_SECONDS (default 60) at 64 connections, all demo trainees submitting
# and reading, coordinators reading progress, the mail worker sending to a local sink: it fails on
# any error or lost submission (soak.py).
set -euo pipefail

koppel=$1
database_url=$2
label=$3
seconds=${BENCH_SECONDS:-20}
soak_seconds=${SOAK_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
mail_port=$(free_port)
base=http://127.0.0.1:$port

export KOPPEL_DATABASE_URL=$database_url
export KOPPEL_BIND=127.0.0.1:$port
export KOPPEL_PUBLIC_URL=$base
export KOPPEL_JWT_SECRET=bench-secret-bench-secret-bench-secret-0123456789
export KOPPEL_LOG_FORMAT=json
export RUST_LOG=warn
export KOPPEL_SPA_DIR=$dir/no-spa
export KOPPEL_SMTP_URL=smtp://127.0.0.1:$mail_port

"$koppel" seed-demo --trainee-accounts > "$dir/seed.log"
"$koppel" mail-sink --bind "127.0.0.1:$mail_port" --folder "$dir/mail" > "$dir/mail.log" 2>&1 &
sink=$!
"$koppel" serve > "$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" "$sink" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    curl -fsS "$base/api/v1/health" > /dev/null 2>&1 && break
    sleep 0.1
done

json() { python3 -c "import json, sys; print(eval(sys.argv[1], {'d': json.load(sys.stdin), 'json': json}))" "$1"; }
login() {
    curl -fsS -H 'Content-Type: application/json' \
        -d "{\"email\": \"$1\", \"password\": \"demo-wachtwoord\"}" "$base/api/v1/auth/login" |
        json 'd["access_token"]'
}
trainee=$(login aios@demo.koppel.test)
coordinator=$(login a-team@demo.koppel.test)
round=$(curl -fsS -H "Authorization: Bearer $trainee" "$base/api/v1/me/rounds" | json 'd["items"][0]["id"]')
ranking=$(curl -fsS -H "Authorization: Bearer $trainee" "$base/api/v1/rounds/$round/rankable-trainers" |
    json 'json.dumps({"trainer_ids": [t["trainer_id"] for t in d["items"][:10]]})')

# run NAME PATH TOKEN [METHOD BODY [SCRIPT]]: one wrk run, one table row.
health_rps=""
run() {
    local name=$1 path=$2 token=$3 method=${4:-GET} body=${5:-} script=${6:-$here/auth.lua}
    local out
    out=$(TOKEN=$token METHOD=$method BODY=$body TRAINEES=${TRAINEES:-} WRITE_PATH=/api/v1/rounds/$round/preferences \
        READ_PATH=/api/v1/rounds/$round/preferences/mine \
        wrk -t2 -c64 -d"${seconds}s" --latency -s "$script" "$base$path")
    python3 - "$name" "$health_rps" <<PY
import re, sys
out = """$out"""
name, health = sys.argv[1], sys.argv[2]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
def ms(label):
    value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
bad = int(re.search(r"non-2xx-or-3xx: (\d+)", out).group(1))
errors = re.search(r"Socket errors: (.*)", out)
ratio = f"{rps / float(health):.3f}" if health else "1"
print(f"| {name} | {rps:,.0f} | {ms(50):.1f} ms | {ms(99):.1f} ms | {ratio} | {bad}{' (' + errors.group(1) + ')' if errors else ''} |")
PY
}

echo
echo "API on $label: wrk -t2 -c64, ${seconds} s per request, release build, demo data"
echo
echo "| request | req/s | p50 | p99 | ratio to /health | not 2xx |"
echo "|---|---|---|---|---|---|"
row=$(run "GET /health (no token)" /api/v1/health "")
echo "$row"
health_rps=$(echo "$row" | awk -F'|' '{gsub(/[ ,]/, "", $3); print $3}')
run "GET /rounds/{id}/preferences/mine (trainee)" "/api/v1/rounds/$round/preferences/mine" "$trainee"
run "GET /me (trainee)" /api/v1/me "$trainee"
run "PUT /rounds/{id}/preferences (10 trainers)" "/api/v1/rounds/$round/preferences" "$trainee" PUT "$ranking"
# Every demo trainee with their own token and list, so that submissions do not all queue on one
# person (as the row above does: on PostgreSQL, on their participation lock).
python3 - "$base" "$round" "$coordinator" > "$dir/trainees.lua" <<'PY'
import json, sys, urllib.request
base, round_id, coordinator = sys.argv[1:4]
def call(method, path, token=None, body=None):
    request = urllib.request.Request(base + "/api/v1" + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(request) as response:
        return json.load(response)
institute = call("GET", "/me", coordinator)["institute"]["id"]
people = call("GET", f"/institutes/{institute}/trainees?per_page=100", coordinator)["items"]
print("return {")
for person in people:
    token = call("POST", "/auth/login", body={"email": person["email"], "password": "demo-wachtwoord"})["access_token"]
    rankable = call("GET", f"/rounds/{round_id}/rankable-trainers", token)["items"]
    body = json.dumps({"trainer_ids": [t["trainer_id"] for t in rankable[:10]]})
    print(f"  {{token = {json.dumps(token)}, body = {json.dumps(body)}}},")
print("}")
PY
TRAINEES=$dir/trainees.lua run "PUT /rounds/{id}/preferences (every trainee in turn)" "/api/v1/rounds/$round/preferences" "" GET "" "$here/many.lua"
run "GET /rounds/{id}/progress (coordinator)" "/api/v1/rounds/$round/progress" "$coordinator"
run "GET /rounds/{id} (coordinator)" "/api/v1/rounds/$round" "$coordinator"
run "mixed: 4 reads to 1 submission (trainee)" "/api/v1/rounds/$round/preferences/mine" "$trainee" GET "$ranking" "$here/mixed.lua"
# Nothing lost: the list reads back as the last submission.
stored=$(curl -fsS -H "Authorization: Bearer $trainee" "$base/api/v1/rounds/$round/preferences/mine" | json 'd["trainer_ids"]')
wanted=$(echo "$ranking" | json 'd["trainer_ids"]')
if [ "$stored" != "$wanted" ]; then
    echo "the stored list differs from the last submission" >&2
    exit 1
fi

echo
echo "Soak on $label: ${soak_seconds} s, 64 connections, mixed (soak.py)"
python3 "$here/soak.py" "$base" "$soak_seconds" 64
if grep -q panicked "$dir/server.log"; then
    echo "the server panicked" >&2
    exit 1
fi
