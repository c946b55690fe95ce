#!/usr/bin/env bash
# The main job end to end, on one machine: a local registry stands in for the internet, the stager
# stages a model from it (registry driver), the verifier gates it (OK, exit 0), then one damaged
# byte makes the verifier fail (exit 1). One command, from anywhere:
#
#   scripts/demo.sh [WORK_DIR]
#
# DEMO_SKIP_BUILD=1 reuses jars built before.
# Needs Java 17, Maven, curl and Debian's docker-registry package: as root, whatever is missing is
# installed (scripts/lib/packages.sh); otherwise it prints the one apt-get command to run and
# exits 3. The registry runs on a free 127.0.0.1 port with its own config and storage in WORK_DIR
# and is stopped on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

STAGER=stager/target/quarkus-app/quarkus-run.jar
VERIFIER=verifier/target/quarkus-app/quarkus-run.jar
REGISTRY_BIN=/usr/bin/docker-registry

section() { printf '\n==== %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

source scripts/lib/packages.sh
# The registry stands in for the internet; curl pushes the model into it.
packages=(docker-registry curl)
add_java_and_maven packages
ensure_packages scripts/demo.sh "${packages[@]}" || exit 3
for tool in java mvn curl sha256sum "$REGISTRY_BIN"; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (needs Java 17, Maven, curl, coreutils, docker-registry)"
done

# Maven 3.8 prints ANSI colour resets (ESC[0m) even in batch mode; keep them out of the output.
mvn_plain() { mvn "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; }

WORK=${1:-$(mktemp -d /tmp/ollama-airgap-demo.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
MODELS=$WORK/models
rm -rf "$MODELS" "$WORK/registry" "$WORK/seed"
mkdir -p "$WORK/registry/storage" "$WORK/seed"

REGISTRY_PID=
cleanup() {
  if [ -n "$REGISTRY_PID" ] && kill -0 "$REGISTRY_PID" 2>/dev/null; then
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
    echo "(registry stopped)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A TCP port nobody listens on now (the registry start below retries if it is taken meanwhile).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

section "1. building the stager and the verifier"
if [ -n "${DEMO_SKIP_BUILD:-}" ] && [ -f "$STAGER" ] && [ -f "$VERIFIER" ]; then
  echo "(DEMO_SKIP_BUILD set: using the jars already built)"
else
  echo "\$ mvn -B -ntp -q -DskipTests package -pl stager,verifier -am"
  mvn_plain -B -ntp -q -DskipTests package -pl stager,verifier -am
fi
ls -l "$STAGER" "$VERIFIER"

section "2. starting a local registry (stands in for registry.ollama.ai)"
for attempt in 1 2 3; do
  PORT=$(free_port)
  cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  formatter: text
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$PORT
  secret: ollama-airgap-demo
EOF
  "$REGISTRY_BIN" serve "$WORK/registry/config.yml" >"$WORK/registry/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v2/" 2>/dev/null; then
      break 2
    fi
    kill -0 "$REGISTRY_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill "$REGISTRY_PID" 2>/dev/null || true
  wait "$REGISTRY_PID" 2>/dev/null || true
  REGISTRY_PID=
  [ "$attempt" = 3 ] && die "docker-registry did not start; its log:
$(tail -20 "$WORK/registry/registry.log")"
done
REGISTRY=127.0.0.1:$PORT
echo "docker-registry (pid $REGISTRY_PID) serving http://$REGISTRY/v2/, storage $WORK/registry/storage"

section "3. seeding a small synthetic Ollama model: $REGISTRY/library/demo:1b"
REPO=library/demo
MODEL=$REGISTRY/$REPO:1b
SEED=$WORK/seed
head -c $((4 * 1024 * 1024 + 12345)) /dev/urandom >"$SEED/weights"
printf '{{ .Prompt }}' >"$SEED/template"
printf '{"stop":["<|end|>"]}' >"$SEED/params"
printf 'Synthetic demo model, no rights reserved.' >"$SEED/license"
printf '{"model_format":"gguf","model_family":"demo","model_type":"1B","file_type":"Q4_K_M","architecture":"amd64","os":"linux"}' \
  >"$SEED/config"

# Pushes one blob (POST an upload, PUT the bytes with their digest) and prints its descriptor.
push_blob() {
  local file=$1 media=$2 digest size location
  digest=sha256:$(sha256sum "$file" | cut -c1-64)
  size=$(stat -c %s "$file")
  location=$(curl -fsS -X POST -D - -o /dev/null "http://$REGISTRY/v2/$REPO/blobs/uploads/" |
    tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case $location in http*) ;; *) location=http://$REGISTRY$location ;; esac
  case $location in *\?*) location="$location&" ;; *) location="$location?" ;; esac
  curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" \
    "${location}digest=$digest" -o /dev/null
  printf '{"digest":"%s","mediaType":"%s","size":%s}' "$digest" "$media" "$size"
}
config=$(push_blob "$SEED/config" application/vnd.docker.container.image.v1+json)
layers=$(push_blob "$SEED/weights" application/vnd.ollama.image.model),$(
  push_blob "$SEED/template" application/vnd.ollama.image.template),$(
  push_blob "$SEED/params" application/vnd.ollama.image.params),$(
  push_blob "$SEED/license" application/vnd.ollama.image.license)
printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":%s,"layers":[%s]}' \
  "$config" "$layers" >"$SEED/manifest"
curl -fsS -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
  --data-binary "@$SEED/manifest" "http://$REGISTRY/v2/$REPO/manifests/1b" -o /dev/null
PUSHED=sha256:$(sha256sum "$SEED/manifest" | cut -c1-64)
echo "pushed 5 blobs ($(du -sh "$SEED" | cut -f1)) and the manifest $PUSHED"

section "4. staging it with the stager (registry driver) into $MODELS"
MGMT_PORT=$(free_port)
# --insecure: plain HTTP to this local registry. --linger 0: no Prometheus to wait for here.
# The management port (metrics, health; 9000 in the Job) is a free one, so a busy 9000 is no matter.
ARGS=(--driver registry --insecure --linger 0 --progress-interval 1s
  --report "$WORK/stager-report.json" --models-dir "$MODELS" "$MODEL")
echo "\$ java -Dquarkus.management.port=$MGMT_PORT -jar $STAGER ${ARGS[*]}"
code=0
java -Dquarkus.management.port="$MGMT_PORT" -jar "$STAGER" "${ARGS[@]}" | tee "$WORK/stager.out" ||
  code=$?
echo "-> stager exit code $code"
[ "$code" = 0 ] || die "the stager failed (exit $code); see the lines above"
SUMMARY=$(tail -1 "$WORK/stager.out")
# The first one is the model's; the inventory repeats it.
DIGEST=$(printf '%s' "$SUMMARY" | grep -o '"manifestDigest":"sha256:[0-9a-f]\{64\}"' | head -1 | cut -d'"' -f4)
[ -n "$DIGEST" ] || die "no manifestDigest in the stager's summary: $SUMMARY"
echo "manifest digest from the summary: $DIGEST (pushed: $PUSHED)"
[ "$DIGEST" = "$PUSHED" ] || die "the staged manifest is not the registry's"
echo "store:"
(cd "$MODELS" && find blobs manifests -type f | sort | sed 's/^/  /')

verify() {
  echo "\$ java -jar $VERIFIER --models-dir $MODELS --require $MODEL --expect $MODEL@$DIGEST"
  java -jar "$VERIFIER" --models-dir "$MODELS" --require "$MODEL" --expect "$MODEL@$DIGEST" \
    --termination-log "$WORK/verifier-termination-log"
}

section "5. verifying the staged store (what the init container runs in production)"
code=0
verify || code=$?
echo "-> verifier exit code $code"
[ "$code" = 0 ] || die "the verifier rejected a freshly staged store (exit $code)"

section "6. damaging one byte of the weights blob; the verifier must refuse it"
WEIGHTS=$MODELS/blobs/sha256-$(sha256sum "$SEED/weights" | cut -c1-64)
old=$(od -An -tx1 -j 1000 -N 1 "$WEIGHTS" | tr -d ' ')
printf "\\x$(printf %02x $((0x$old ^ 0xff)))" |
  dd of="$WEIGHTS" bs=1 seek=1000 conv=notrunc status=none
echo "flipped byte 1000 of $WEIGHTS (0x$old -> 0x$(od -An -tx1 -j 1000 -N 1 "$WEIGHTS" | tr -d ' '))"
code=0
verify || code=$?
echo "-> verifier exit code $code"
[ "$code" = 1 ] || die "expected exit code 1 from the verifier on a damaged blob, got $code"

section "done"
echo "staged $MODEL, verified it (exit 0), and caught one damaged byte (exit 1)."
echo "work directory: $WORK (stager report: $WORK/stager-report.json)"
