"""Nothing lost under load: `soak.py BASE_URL SECONDS [CONNECTIONS]`.

A mixed soak of a server seeded with `koppel seed-demo --trainee-accounts`: every demo trainee
signs in, and CONNECTIONS clients (default 64) work at once for SECONDS:
- trainees' clients submit a ranking (a different one each time) to four reads of their own list,
  two clients per trainee, whose submissions take turns as one person's would;
- four coordinators' clients read the round's progress and the round page.
The server's mail worker runs meanwhile (the caller points it at a mail sink).

Afterwards each trainee's stored list must equal their last accepted submission. Prints requests
per second, p50 and p99 per kind of request, and exits 1 on any error, any answer but 2xx, or a
lost or wrong list. Python's standard library only.
"""

import http.client
import json
import random
import sys
import threading
import time
from urllib.parse import urlparse

BASE = urlparse(sys.argv[1])
SECONDS = float(sys.argv[2])
CONNECTIONS = int(sys.argv[3]) if len(sys.argv) > 3 else 64
PASSWORD = "demo-wachtwoord"


def connect():
    return http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=30)


def call(connection, method, path, token=None, body=None):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    connection.request(method, "/api/v1" + path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else None)


def sign_in(email):
    status, body = call(connect(), "POST", "/auth/login", body={"email": email, "password": PASSWORD})
    if status != 200:
        sys.exit(f"cannot sign in {email}: {status} {body}")
    return body["access_token"]


setup = connect()
coordinator = sign_in("a-team@demo.koppel.test")
first_trainee = sign_in("aios@demo.koppel.test")
round_id = call(setup, "GET", "/me/rounds", first_trainee)[1]["items"][0]["id"]
status, people = call(setup, "GET", "/institutes/" + call(setup, "GET", "/me", coordinator)[1]["institute"]["id"] + "/trainees?per_page=100", coordinator)
if status != 200:
    sys.exit(f"cannot list the trainees: {status} {people}")
emails = sorted(person["email"] for person in people["items"])


class Trainee:
    def __init__(self, email):
        self.email = email
        self.token = sign_in(email)
        status, rankable = call(setup, "GET", f"/rounds/{round_id}/rankable-trainers", self.token)
        if status != 200:
            sys.exit(f"{email} cannot see the trainers: {status} {rankable}")
        self.trainers = [t["trainer_id"] for t in rankable["items"]]
        # One person submits from one place at a time: their clients take turns.
        self.turn = threading.Lock()
        self.accepted = None


trainees = [Trainee(email) for email in emails]
print(f"{len(trainees)} trainees signed in; {CONNECTIONS} connections for {SECONDS:.0f} s", flush=True)

latencies = {}
failures = []
lock = threading.Lock()
stop = time.monotonic() + SECONDS


def record(kind, started, status, body):
    elapsed = time.monotonic() - started
    with lock:
        latencies.setdefault(kind, []).append(elapsed)
        if not 200 <= status < 300:
            failures.append(f"{kind}: {status} {body}")


def trainee_client(trainee, seed):
    rng = random.Random(seed)
    connection = connect()
    count = 0
    while time.monotonic() < stop:
        count += 1
        try:
            if count % 5 == 0:
                ranking = rng.sample(trainee.trainers, min(10, len(trainee.trainers)))
                with trainee.turn:
                    started = time.monotonic()
                    status, body = call(connection, "PUT", f"/rounds/{round_id}/preferences", trainee.token, {"trainer_ids": ranking})
                    if 200 <= status < 300:
                        trainee.accepted = ranking
                record("PUT /rounds/{id}/preferences", started, status, body)
            else:
                started = time.monotonic()
                status, body = call(connection, "GET", f"/rounds/{round_id}/preferences/mine", trainee.token)
                record("GET /rounds/{id}/preferences/mine", started, status, body)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                failures.append(f"{trainee.email}: {error!r}")
            connection = connect()


def coordinator_client():
    connection = connect()
    paths = [f"/rounds/{round_id}/progress", f"/rounds/{round_id}"]
    count = 0
    while time.monotonic() < stop:
        path = paths[count % 2]
        count += 1
        try:
            started = time.monotonic()
            status, body = call(connection, "GET", path, coordinator)
            record("GET " + path.replace(round_id, "{id}"), started, status, body)
        except (OSError, http.client.HTTPException) as error:
            with lock:
                failures.append(f"coordinator: {error!r}")
            connection = connect()


threads = [threading.Thread(target=coordinator_client) for _ in range(4)]
for index in range(CONNECTIONS - len(threads)):
    threads.append(threading.Thread(target=trainee_client, args=(trainees[index % len(trainees)], index)))
began = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
took = time.monotonic() - began

print()
print(f"| request | requests | req/s | p50 | p99 |")
print("|---|---|---|---|---|")
total = 0
for kind, values in sorted(latencies.items()):
    values.sort()
    total += len(values)
    p50 = values[len(values) // 2] * 1000
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
    print(f"| {kind} | {len(values):,} | {len(values) / took:,.0f} | {p50:.1f} ms | {p99:.1f} ms |")
print(f"| all | {total:,} | {total / took:,.0f} | | |")

lost = []
check = connect()
for trainee in trainees:
    status, body = call(check, "GET", f"/rounds/{round_id}/preferences/mine", trainee.token)
    if status != 200 or (trainee.accepted is not None and body["trainer_ids"] != trainee.accepted):
        lost.append(trainee.email)
submitted = sum(t.accepted is not None for t in trainees)
print(f"\nerrors or answers but 2xx: {len(failures)}; lists checked: {len(trainees)} ({submitted} submitted during the soak), differing from the last accepted submission: {len(lost)}")
for failure in failures[:10]:
    print("  " + failure)
for email in lost[:10]:
    print(f"  lost: {email}")
sys.exit(1 if failures or lost else 0)
