"""Runs Schemathesis against a running Koppel server, as four callers in turn: without a token, a
trainee, a coordinator (A-team) and an administrator (last, as it may change the others' data).

Every check, and the examples, coverage, fuzzing and stateful phases, within a time budget per
caller. Prints one summary line per caller and a total; exits non-zero on any failure or error.

    python3 run.py SCHEMATHESIS SPEC BASE_URL SECONDS_PER_CALLER
"""

import base64
import hashlib
import hmac
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "demo-wachtwoord"
# The demo administrator signs in with a second factor: the code of this secret (see seed.rs).
ADMIN_EMAIL = "admin@demo.koppel.test"
ADMIN_TOTP_SECRET = "KOPPELDEMOADMINTOTPSECRETA234567"
CALLERS = [
    ("anonymous", None),
    ("trainee", "aios@demo.koppel.test"),
    ("coordinator", "a-team@demo.koppel.test"),
    ("administrator", "admin@demo.koppel.test"),
]


def totp(secret, at):
    """The RFC 6238 code (HMAC-SHA1, 6 digits, 30 seconds) of a base32 secret at a time."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def token(base_url, email):
    body = {"email": email, "password": PASSWORD}
    if email == ADMIN_EMAIL:
        body["one_time_code"] = totp(ADMIN_TOTP_SECRET, time.time())
    request = urllib.request.Request(
        f"{base_url}/api/v1/auth/login",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access_token"]


def number(pattern, text):
    match = re.search(pattern, text)
    return int(match.group(1)) if match else 0


def main():
    schemathesis, spec, base_url, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    spec = str(Path(spec).resolve())
    totals = {"cases": 0, "failures": 0, "errors": 0, "seconds": 0.0}
    tested = 0
    failed = False
    # Schemathesis keeps its example database in the working directory: not in the clone.
    workdir = tempfile.mkdtemp(prefix="koppel-fuzz-")
    # Sign every caller in before any fuzzing: the fuzzer's failed sign-ins lock this client
    # address for a while (429), as they would an attacker's.
    tokens = {email: token(base_url, email) for _, email in CALLERS if email}
    for name, email in CALLERS:
        command = [
            schemathesis,
            "--config-file", str(HERE / "schemathesis.toml"),
            "run", spec,
            "--url", base_url,
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-time", seconds,
            "--workers", "2",
            "--seed", "20261202",
            "--no-color",
        ]
        if email:
            command += ["--header", f"Authorization: Bearer {tokens[email]}"]
        if name == "coordinator":
            # Requiring two-factor sign-in of the institute's coordinators would lock this caller
            # out of everything but enrolment for the rest of its run (403, as documented); the
            # administrator, who runs last, fuzzes that operation.
            command += ["--exclude-operation-id", "updateInstitute"]
        started = time.monotonic()
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=os.environ | {"SCHEMATHESIS_HOOKS": "hooks", "PYTHONPATH": str(HERE)},
            cwd=workdir,
        )
        elapsed = time.monotonic() - started
        output = result.stdout + result.stderr
        cases = number(r"(\d+) generated", output)
        failures = number(r"found (\d+) unique failures?", output)
        errors = number(r"(\d+) errors?[ ,]", output.split("SUMMARY")[-1])
        tested = max(tested, number(r"Tested: (\d+)", output))
        totals["cases"] += cases
        totals["failures"] += failures
        totals["errors"] += errors
        totals["seconds"] += elapsed
        print(
            f"fuzz {name}: {cases} cases, {failures} failures, {errors} errors, {elapsed:.0f} s"
            f" (exit {result.returncode})",
            flush=True,
        )
        if result.returncode != 0:
            failed = True
            start = min((output.find(h) for h in ("ERRORS", "FAILURES") if h in output), default=-4000)
            print(output[start:], flush=True)
    print(
        f"fuzz total: {tested} operations, {totals['cases']} cases, {totals['failures']} failures,"
        f" {totals['errors']} errors, {totals['seconds']:.0f} s",
        flush=True,
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
