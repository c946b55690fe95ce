#!/usr/bin/env bash
# Builds the verifier and runs it on a small generated store, good and then damaged, showing every
# exit code. One command, from the repository root: scripts/demo-verifier.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/store-gen.sh

WORK=${1:-$(mktemp -d /tmp/verifier-demo.XXXXXX)}
JAR=verifier/target/quarkus-app/quarkus-run.jar
echo "== building the verifier"
# Maven 3.8 prints ANSI colour resets (ESC[0m) even in batch mode; keep them out of the output.
mvn -B -ntp -q -pl verifier -am package -DskipTests 2>&1 | sed 's/\x1b\[[0-9;]*m//g'

verify() {
  local code=0
  echo "\$ verifier $*"
  java -jar "$JAR" "$@" || code=$?
  echo "-> exit code $code"
  echo
}

GOOD=$WORK/good
echo "== generating a sample store in $GOOD"
rm -rf "$GOOD" && mkdir -p "$GOOD/blobs" "$GOOD/manifests"
template=$(gen_text_blob "$GOOD" '{{ .Prompt }}')
for m in tiny:1b tiny:3b; do
  config=$(gen_text_blob "$GOOD" "{\"model_format\":\"gguf\",\"model_family\":\"demo\",\"name\":\"$m\"}")
  weights=$(gen_blob "$GOOD" $(( ${#m} * 3000000 + RANDOM )) "demo-$m")
  gen_manifest "$GOOD" "registry.ollama.ai/library/${m%%:*}/${m##*:}" "$config" "$weights" "$template"
done
id=$(openssl dgst -sha256 -r "$GOOD/manifests/registry.ollama.ai/library/tiny/1b" | cut -c1-64)

echo "== 0: a good store (required and pinned models present)"
verify --models-dir "$GOOD" --require tiny:1b,tiny:3b --expect "tiny:1b@sha256:$id" \
  --report "$WORK/report.json"

BAD=$WORK/damaged
rm -rf "$BAD" && cp -a "$GOOD" "$BAD"
big=$(ls -S "$BAD"/blobs | head -1)
second=$(ls -S "$BAD"/blobs | sed -n 2p)
truncate -s 1000 "$BAD/blobs/$big"                                       # short blob
printf '\xff' | dd of="$BAD/blobs/$second" bs=1 seek=100 conv=notrunc status=none # flipped byte
mkdir -p "$BAD/manifests/registry.ollama.ai/library/gone"                 # empty manifest dir
: >"$BAD/blobs/$big-partial-0"                                           # pull leftover
echo "== 1: a damaged store (short blob, corrupt blob, empty dir, leftover, missing model)"
verify --models-dir "$BAD" --require tiny:1b,mistral:7b --parallelism 2

echo "== 2: bad configuration (an environment variable)"
code=0
VERIFIER_MODE=fast java -jar "$JAR" --models-dir "$GOOD" || code=$?
echo "-> exit code $code"
echo

echo "== 3: the store is not there (wrong mount or OLLAMA_MODELS)"
OLLAMA_MODELS=$WORK/not-mounted verify

echo "JSON report of the good run: $WORK/report.json"
