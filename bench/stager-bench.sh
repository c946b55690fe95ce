#!/usr/bin/env bash
# Benchmark of the stager's registry driver (the real app, a whole run) against peer downloaders
# fetching the same blob from the same loopback registry. Not a test: prints times, medians, ratios.
#
# Starts Debian's docker-registry on loopback, pushes one synthetic model with a large weights
# blob, then runs, ROUNDS times each, interleaved:
#   curl:     curl -s -o FILE BLOB_URL                         (download + write; DESIGN §7's bar)
#   aria2c:   aria2c -x16 -s16 BLOB_URL                        (the best multi-connection downloader)
#   pipeline: curl -s BLOB_URL | tee FILE | openssl dgst -sha256 (download + write + hash)
#   stager:   java -Xmx64m -jar stager/target/quarkus-app/quarkus-run.jar --driver registry ...
#             (JVM start, lock, manifest, download in Range parts, digest check, fsync, rename,
#             re-hash of every blob, inventory, summary)
# and prints each time, the medians, each ratio (peer time / stager time: above 1 the stager is
# faster), the stager's peak RSS, and where the stager's time went, read from its own log lines:
# start-up (JVM start to the first log line), pull (first 'pulling' to 're-hashing': download,
# digest check and fsync; 'at 100%' says when the progress lines first showed every byte received)
# and re-hash ('re-hashing' to 'done').
#
# Usage: bench/stager-bench.sh [SIZE_MB (default 2048)] [ROUNDS (default 3)] [-- extra stager args,
#        e.g. --parts 4]
# Needs: docker-registry, curl, aria2c (Debian aria2), openssl, GNU time, bc; builds the stager
# jar when it is missing. Targets (issue 17): stager >= 0.8x curl -o and >= 1.5x aria2c.
set -euo pipefail
SIZE_MB=${1:-2048}
ROUNDS=${2:-3}
EXTRA=("${@:3}")
[[ "${EXTRA[0]:-}" == "--" ]] && EXTRA=("${EXTRA[@]:1}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=$ROOT/stager/target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/stager-bench.XXXXXX")
REG_PID=
cleanup() { [[ -n "$REG_PID" ]] && kill "$REG_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in docker-registry curl aria2c openssl bc; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install docker-registry curl aria2 openssl bc)" >&2; exit 3; }
done
if [[ ! -f $JAR ]]; then
  echo "== building the stager" >&2
  (cd "$ROOT" && mvn -B -ntp -q -pl stager -am package -DskipTests) >&2
fi

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
PORT=$(free_port)
MPORT=$(free_port)
mkdir -p "$WORK/registry"
cat > "$WORK/registry.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $WORK/registry}
http: {addr: 127.0.0.1:$PORT}
YML
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.1; done

BASE="http://127.0.0.1:$PORT/v2/bench/big"
push_blob() { # file -> digest
  local file=$1 digest loc
  digest="sha256:$(openssl dgst -sha256 -r "$file" | cut -d' ' -f1)"
  loc=$(curl -sf -X POST -D - -o /dev/null "$BASE/blobs/uploads/" | tr -d '\r' | sed -n 's/^Location: //Ip')
  [[ "$loc" == http* ]] || loc="http://127.0.0.1:$PORT$loc"
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' -T "$file" "$loc&digest=$digest" -o /dev/null
  echo "$digest"
}

echo "== pushing a ${SIZE_MB} MiB blob" >&2
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > "$WORK/weights"
printf '{"model_format":"gguf","model_family":"bench"}' > "$WORK/config"
W=$(push_blob "$WORK/weights")
C=$(push_blob "$WORK/config")
WSIZE=$(stat -c %s "$WORK/weights"); CSIZE=$(stat -c %s "$WORK/config")
rm "$WORK/weights"
printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"digest":"%s","mediaType":"application/vnd.docker.container.image.v1+json","size":%s},"layers":[{"digest":"%s","mediaType":"application/vnd.ollama.image.model","size":%s}]}' \
  "$C" "$CSIZE" "$W" "$WSIZE" > "$WORK/manifest"
curl -sf -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
  --data-binary @"$WORK/manifest" "$BASE/manifests/latest" -o /dev/null
URL="$BASE/blobs/$W"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
# seconds since the epoch of a log line's ISO time stamp (its first field)
stamp() { date -d "$(cut -d' ' -f1 <<<"$1")" +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

run_curl() { rm -f "$WORK/peer.out"; curl -sf -o "$WORK/peer.out" "$URL"; rm -f "$WORK/peer.out"; }
run_aria2() {
  rm -f "$WORK/peer.out"
  aria2c -q -x16 -s16 --allow-overwrite=true --auto-file-renaming=false -d "$WORK" -o peer.out "$URL"
  rm -f "$WORK/peer.out"
}
run_pipeline() {
  local got
  got=$(curl -sf "$URL" | tee "$WORK/peer.out" | openssl dgst -sha256 -r | cut -d' ' -f1)
  rm -f "$WORK/peer.out"
  [[ "sha256:$got" == "$W" ]] || { echo "pipeline got $got" >&2; exit 1; }
}
run_stager() {
  rm -rf "$WORK/models"
  QUARKUS_MANAGEMENT_PORT=$MPORT /usr/bin/time -f '%M' -o "$WORK/rss" java -Xmx64m -jar "$JAR" \
    --driver registry --insecure --models-dir "$WORK/models" --linger 0 --progress-interval 1s \
    "${EXTRA[@]}" "127.0.0.1:$PORT/bench/big:latest" > "$WORK/stager.out" 2> "$WORK/stager.err" \
    || { tail -5 "$WORK/stager.out" "$WORK/stager.err" >&2; exit 1; }
  tail -1 "$WORK/stager.out" | grep -q '"outcome":"ok"' || { tail -3 "$WORK/stager.out" >&2; exit 1; }
}
timed() { local t0; t0=$(now); "$@"; secs "$t0" "$(now)"; }

curl_t=(); aria_t=(); pipe_t=(); stager_t=(); start_t=(); pull_t=(); full_t=(); rehash_t=(); rss=()
echo "== $ROUNDS rounds, blob $WSIZE bytes, load average before: $(load)"
for r in $(seq "$ROUNDS"); do
  curl_t+=("$(timed run_curl)")
  aria_t+=("$(timed run_aria2)")
  pipe_t+=("$(timed run_pipeline)")
  t0=$(now)
  run_stager
  t1=$(now)
  stager_t+=("$(secs "$t0" "$t1")")
  rss+=("$(( $(cat "$WORK/rss") / 1024 ))")
  first=$(grep -m1 ' INFO ' "$WORK/stager.out")
  pulling=$(grep -m1 ': pulling$' "$WORK/stager.out")
  at100=$(grep -m1 'pulling 100.0%' "$WORK/stager.out" || echo "$pulling")
  rehash=$(grep -m1 ': re-hashing its' "$WORK/stager.out")
  done_=$(grep -m1 ': done, manifest' "$WORK/stager.out")
  start_t+=("$(secs "$t0" "$(stamp "$first")")")
  pull_t+=("$(secs "$(stamp "$pulling")" "$(stamp "$rehash")")")
  full_t+=("$(secs "$(stamp "$pulling")" "$(stamp "$at100")")")
  rehash_t+=("$(secs "$(stamp "$rehash")" "$(stamp "$done_")")")
  printf 'round %s: curl -o %.2f s  aria2c %.2f s  pipeline %.2f s  stager %.2f s (start-up %.2f, pull %.2f of which at 100%% after %.2f, re-hash %.2f; peak RSS %s MB)  load %s\n' \
    "$r" "${curl_t[-1]}" "${aria_t[-1]}" "${pipe_t[-1]}" "${stager_t[-1]}" "${start_t[-1]}" \
    "${pull_t[-1]}" "${full_t[-1]}" "${rehash_t[-1]}" "${rss[-1]}" "$(load)"
done
C=$(median "${curl_t[@]}"); A=$(median "${aria_t[@]}"); P=$(median "${pipe_t[@]}"); S=$(median "${stager_t[@]}")
printf 'medians: curl -o %.2f s, aria2c -x16 -s16 %.2f s, curl|tee|openssl %.2f s, stager %.2f s (%.2f GB/s; start-up %.2f, pull %.2f, at 100%% after %.2f, re-hash %.2f; peak RSS %s MB)\n' \
  "$C" "$A" "$P" "$S" "$(echo "$WSIZE / $S / 1000000000" | bc -l)" "$(median "${start_t[@]}")" \
  "$(median "${pull_t[@]}")" "$(median "${full_t[@]}")" "$(median "${rehash_t[@]}")" "$(median "${rss[@]}")"
printf 'ratios (peer time / stager time): vs curl -o %.2fx (bar 0.8x), vs aria2c %.2fx (bar 1.5x), vs pipeline %.2fx; load average after: %s\n' \
  "$(echo "$C / $S" | bc -l)" "$(echo "$A / $S" | bc -l)" "$(echo "$P / $S" | bc -l)" "$(load)"
