# Koppel tasks. `just run` starts the demo, `just test` runs everything CI runs.
# Every tool a recipe needs is installed by the recipe, idempotently, from crates.io, npm,
# PyPI or Debian only.

set shell := ["bash", "-euo", "pipefail", "-c"]

# One target folder for the whole workspace, kept outside the clone so a clean clone builds fast.
export CARGO_TARGET_DIR := env_var_or_default("CARGO_TARGET_DIR", home_directory() / ".cache/koppel/target")
export CARGO_TERM_COLOR := "never"

target := CARGO_TARGET_DIR
koppel := target / "debug/koppel"
dist := justfile_directory() / "frontend/dist"
clients_venv := target / "clients-venv"
sudo := if `id -u` == "0" { "" } else { "sudo" }

# List the recipes.
_default:
    @just --list

# Build everything, seed the demo institute and serve API + SPA on http://127.0.0.1:8080. Mails go to a local sink (printed, and kept in data/mail/) unless KOPPEL_SMTP_URL names a server.
run: build
    #!/usr/bin/env bash
    set -euo pipefail
    {{koppel}} seed-demo
    if [ -z "${KOPPEL_SMTP_URL:-}" ]; then
        {{koppel}} mail-sink --bind 127.0.0.1:2525 --folder data/mail &
        sink=$!
        trap 'kill "$sink" 2>/dev/null || true' EXIT
        export KOPPEL_SMTP_URL=smtp://127.0.0.1:2525
    fi
    echo "API docs: http://127.0.0.1:8080/api/docs/  -  app: http://127.0.0.1:8080/  -  mails: data/mail/"
    {{koppel}} serve

# Run every check CI runs: format, lints, unit and API tests on SQLite and PostgreSQL, OpenAPI drift, browser e2e, API fuzzing.
test: fmt-check lint test-sqlite test-postgres e2e test-clients fuzz
    @echo "All checks passed."

# Build the SPA (wasm) and the server.
build: build-spa build-server

# Build the server binary.
build-server: setup-solver
    cargo build --workspace --bins

# Build the SPA into frontend/dist: a size-optimised wasm app per kind of user, file names carrying their content's hash, a gzip copy of each.
build-spa: setup-wasm
    frontend/build.sh {{dist}}

# Check formatting.
fmt-check:
    cargo fmt --all -- --check

# Format the code.
fmt:
    cargo fmt --all

# Lint every crate and target, warnings as errors (the SPA, each of its builds, and the domain rules for wasm too).
lint: setup-wasm setup-solver
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy -p koppel-frontend -p koppel-domain --target wasm32-unknown-unknown -- -D warnings
    for build in participant coordinator admin; do cargo clippy -p koppel-frontend --target wasm32-unknown-unknown --no-default-features --features "$build" -- -D warnings; done

# Unit and API tests against SQLite (includes the OpenAPI drift test).
test-sqlite: setup-solver
    cargo test --workspace

# API tests against a throwaway PostgreSQL cluster on 127.0.0.1, stopped and deleted afterwards.
test-postgres: setup-postgres
    e2e/bench/with-postgres.sh cargo test --workspace --test api

# Browser tests: Playwright drives Debian's Chromium against a fresh server and database.
e2e: build-spa build-server setup-browser
    cd e2e && KOPPEL_BIN={{koppel}} KOPPEL_SPA_DIR={{dist}} npx playwright test

# Generate the Python (openapi-python-client) and TypeScript (openapi-typescript + openapi-fetch) clients from the committed OpenAPI document, into git-ignored folders under clients/.
clients: setup-clients
    clients/generate.sh {{clients_venv}}/bin/openapi-python-client

# Run both generated clients against a fresh server: the Python one drives a whole round, the TypeScript one reads a round's progress and checks a lottery's verification document.
test-clients: clients build-server
    clients/run.sh {{koppel}} {{clients_venv}}/bin/python

# Install the client generators at pinned versions: openapi-python-client in a venv (PyPI), openapi-typescript, openapi-fetch and TypeScript 5 (npm).
setup-clients: setup-venv
    #!/usr/bin/env bash
    set -euo pipefail
    venv={{clients_venv}}
    if ! "$venv/bin/openapi-python-client" --version 2>/dev/null | grep -q '0.29.1'; then
        python3 -m venv "$venv" && "$venv/bin/pip" install --quiet 'openapi-python-client==0.29.1'
    fi
    # Reinstalled when package-lock.json changes: the copy kept in node_modules says what is there.
    cd clients/typescript
    if ! cmp -s package-lock.json node_modules/.koppel-lock 2>/dev/null; then
        npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.koppel-lock
    fi

# Regenerate openapi/koppel.openapi.json from the code.
openapi:
    cargo run -q -p koppel-api -- openapi --output openapi/koppel.openapi.json

# Benchmarks of the matcher (criterion), then Koppel against OR-tools' min-cost flow on the same coupling instances, explanations and the simulation.
bench: setup-solver
    cargo bench -p koppel-matcher --bench matcher
    just bench-reference

# Koppel's coupling time as a ratio to OR-tools' min-cost flow (PyPI `ortools`) per instance size, plus explanation and simulation times (default: all sizes).
bench-reference *sizes: setup-solver
    #!/usr/bin/env bash
    set -euo pipefail
    venv={{target}}/bench-venv
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -c 'import numpy, ortools' 2>/dev/null || "$venv/bin/pip" install --quiet numpy ortools
    cargo run --release -q -p koppel-matcher --example reference -- {{target}}/reference {{sizes}}
    "$venv/bin/python" crates/matcher/benches/reference.py {{target}}/reference

# Load benchmark of the API (wrk, 64 connections): a release server on a fresh seeded SQLite database, then on a throwaway PostgreSQL; req/s, p50, p99 per request and the ratio to /health. BENCH_SECONDS sets the length of each run (default 20).
bench-api: setup-solver setup-wrk setup-postgres
    #!/usr/bin/env bash
    set -euo pipefail
    cargo build --release -p koppel-api
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    e2e/bench/api.sh {{target}}/release/koppel "sqlite://$dir/bench.db?mode=rwc" SQLite
    e2e/bench/with-postgres.sh --durable bash -c 'e2e/bench/api.sh {{target}}/release/koppel "$KOPPEL_TEST_DATABASE_URL" PostgreSQL'

# Install Debian's venv module for python3 when missing (the Python tools live in venvs).
setup-venv:
    python3 -c 'import ensurepip' 2>/dev/null || ({{sudo}} apt-get update -q && {{sudo}} apt-get install -y -q python3-venv)

# Install Debian's wrk, the load generator of `just bench-api`.
setup-wrk:
    command -v wrk >/dev/null || ({{sudo}} apt-get update -q && {{sudo}} apt-get install -y -q wrk)

# Install the wasm target, wasm-bindgen-cli at the version in Cargo.lock, and wasm-opt (npm binaryen).
setup-wasm:
    #!/usr/bin/env bash
    set -euo pipefail
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    want=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
    have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
    if [ "$have" != "$want" ]; then cargo install wasm-bindgen-cli --version "$want"; fi
    [ -x frontend/node_modules/.bin/wasm-opt ] || (cd frontend && npm ci --no-audit --no-fund --loglevel=error)

# Install Debian's Chromium and the e2e npm packages (never a browser download).
setup-browser:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ ! -x /usr/bin/chromium ]; then {{sudo}} apt-get update -qq && {{sudo}} apt-get install -y -qq chromium >/dev/null; fi
    [ -d e2e/node_modules/@playwright/test ] && [ -d e2e/node_modules/@axe-core/playwright ] || (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

# Install the PostgreSQL server from Debian.
setup-postgres:
    #!/usr/bin/env bash
    set -euo pipefail
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then {{sudo}} apt-get update -qq && {{sudo}} apt-get install -y -qq postgresql >/dev/null; fi

# Install the matcher's solver build prerequisites (HiGHS builds from C++ source).
setup-solver:
    #!/usr/bin/env bash
    set -euo pipefail
    missing=()
    command -v cmake >/dev/null || missing+=(cmake)
    command -v g++ >/dev/null || missing+=(g++)
    dpkg -s libclang-dev >/dev/null 2>&1 || missing+=(libclang-dev)
    if [ ${#missing[@]} -gt 0 ]; then {{sudo}} apt-get update -qq && {{sudo}} apt-get install -y -qq "${missing[@]}" >/dev/null; fi

# Fuzz the API with Schemathesis against the committed OpenAPI document: a fresh seeded server,
# four callers (none, trainee, A-team, administrator), every check and phase. Fails on any finding.
fuzz seconds="45": build-server setup-venv
    #!/usr/bin/env bash
    set -euo pipefail
    venv={{target}}/fuzz-venv
    if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q '4.32.5'; then
        python3 -m venv "$venv" && "$venv/bin/pip" install --quiet 'schemathesis==4.32.5'
    fi
    dir=$(mktemp -d)
    pid=
    stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
    trap stop EXIT
    export KOPPEL_DATABASE_URL="sqlite://$dir/fuzz.db?mode=rwc" KOPPEL_SPA_DIR="$dir/no-spa" RUST_LOG=warn
    {{koppel}} seed-demo >/dev/null
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    KOPPEL_BIND="127.0.0.1:$port" {{koppel}} serve > "$dir/server.log" 2>&1 &
    pid=$!
    python3 -c 'import sys, time, urllib.request
    for _ in range(150):
        try:
            urllib.request.urlopen(sys.argv[1], timeout=2); break
        except OSError:
            time.sleep(0.2)' "http://127.0.0.1:$port/api/v1/health"
    status=0
    python3 e2e/fuzz/run.py "$venv/bin/schemathesis" openapi/koppel.openapi.json "http://127.0.0.1:$port" {{seconds}} || status=$?
    if grep -q "panicked" "$dir/server.log"; then echo "the server panicked:"; grep -A5 panicked "$dir/server.log"; status=1; fi
    kill -0 "$pid" 2>/dev/null || { echo "the server is down after the fuzz run"; status=1; }
    exit $status
