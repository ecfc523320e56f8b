#!/usr/bin/env bash
# Builds the SPA into DIST (`just build-spa`):
# - one app per build (participant, coordinator, admin; see src/build.rs), each size-optimised
#   with wasm-opt;
# - every file but index.html named by its content's hash (`name.<16 hex>.ext`), so the server
#   can let browsers keep it for a year;
# - a gzip copy beside each, which the server sends as is instead of compressing per request;
# - boot.js with the builds' file names filled in, and index.html pointing at it.
set -euo pipefail
dist=$1
cd "$(dirname "$0")"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types)

# The file cargo built for these features (the uplifted copy is not rewritten when only the
# features change, so it may be another build's).
built_wasm() {
    cargo build --profile wasm-release --target wasm32-unknown-unknown -p koppel-frontend \
        --no-default-features --features "$1" --message-format=json-render-diagnostics |
        python3 -c 'import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "koppel-frontend":
        print(next(f for f in message["filenames"] if f.endswith(".wasm")))'
}

# Renames a file to carry the first 16 hex digits of its SHA-256 and prints the new name.
fingerprint() {
    local file=$1 hash base
    hash=$(sha256sum "$file" | cut -c1-16)
    base=$(basename "$file")
    mv "$file" "$(dirname "$file")/${base%.*}.$hash.${base##*.}"
    echo "${base%.*}.$hash.${base##*.}"
}

builds="{"
for build in participant coordinator admin; do
    wasm=$(built_wasm "$build")
    wasm-bindgen --target web --no-typescript --out-dir "$staging" --out-name "koppel-$build" "$wasm"
    node_modules/.bin/wasm-opt -Oz "${features[@]}" -o "$staging/koppel-${build}_bg.wasm" "$staging/koppel-${build}_bg.wasm"
    js=$(fingerprint "$staging/koppel-$build.js")
    bg=$(fingerprint "$staging/koppel-${build}_bg.wasm")
    builds+="\"$build\": {\"js\": \"/$js\", \"wasm\": \"/$bg\"}, "
    echo "SPA $build build: $(stat -c %s "$staging/$bg") bytes wasm, $(gzip -9c "$staging/$bg" | wc -c) bytes gzipped"
done
builds="${builds%, }}"

sed "s|__BUILDS__|$builds|" boot.js > "$staging/boot.js"
boot=$(fingerprint "$staging/boot.js")
cp style.css "$staging/style.css"
style=$(fingerprint "$staging/style.css")
sed -e "s|/boot.js|/$boot|" -e "s|/style.css|/$style|" index.html > "$staging/index.html"
for file in "$staging"/*.js "$staging"/*.wasm "$staging"/*.css; do
    gzip -9 -k -n "$file"
done

rm -rf "$dist"
mkdir -p "$dist"
cp "$staging"/* "$dist"/
