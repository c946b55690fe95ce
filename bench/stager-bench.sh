#!/usr/bin/env bash
# Benchmark of the stager's registry driver against the same work done by peer tools.
#
# Starts Debian's docker-registry on loopback, pushes one synthetic model with a large weights
# blob, then alternates, ROUNDS times each:
#   peer:   curl -s BLOB_URL | tee FILE | openssl dgst -sha256      (download + write + hash)
#   stager: the registry driver in a JVM with -Xmx64m (download in Range parts + hash + fsync +
#           atomic rename + manifest), through the test-scoped StageCli main
# and prints each time, the medians, the ratio (stager throughput / peer throughput) and the
# stager's peak RSS (GNU time).
#
# Usage: bench/stager-bench.sh [SIZE_MB (default 2200)] [ROUNDS (default 3)] [-- extra StageCli args,
#        e.g. --parts 4 --part-size 104857600]
# Needs: docker-registry, curl, openssl, GNU time, a built tree (the script runs
# `mvn -pl common,stager test-compile dependency:build-classpath`; BENCH_CP=FILE reuses a
# classpath file written by that command).
set -euo pipefail
SIZE_MB=${1:-2200}
ROUNDS=${2:-3}
EXTRA=("${@:3}")
[[ "${EXTRA[0]:-}" == "--" ]] && EXTRA=("${EXTRA[@]:1}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/stager-bench.XXXXXX")
REG_PID=
cleanup() { [[ -n "$REG_PID" ]] && kill "$REG_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

echo "== building and computing the classpath" >&2
if [[ -n "${BENCH_CP:-}" ]]; then cp "$BENCH_CP" "$WORK/cp.txt"; else
  (cd "$ROOT" && mvn -q -ntp -pl common,stager test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test) >&2
fi
CP="$ROOT/stager/target/test-classes:$ROOT/stager/target/classes:$ROOT/common/target/test-classes:$(cat "$WORK/cp.txt")"

PORT=$(free_port)
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

echo "== pushing a ${SIZE_MB} MB blob" >&2
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

now() { date +%s.%N; }
peer_times=(); stager_times=(); rss=()
for r in $(seq "$ROUNDS"); do
  rm -f "$WORK/peer.out"
  t0=$(now)
  got=$(curl -s "$BASE/blobs/$W" | tee "$WORK/peer.out" | openssl dgst -sha256 -r | cut -d' ' -f1)
  t1=$(now)
  [[ "sha256:$got" == "$W" ]] || { echo "peer pipeline got $got" >&2; exit 1; }
  rm -f "$WORK/peer.out"
  peer_times+=("$(echo "$t1 - $t0" | bc)")

  rm -rf "$WORK/models"
  t0=$(now)
  /usr/bin/time -f '%M' -o "$WORK/rss" java -Xmx64m -cp "$CP" \
    org.ollamaairgap.stager.registry.StageCli --insecure --models-dir "$WORK/models" "${EXTRA[@]}" \
    "127.0.0.1:$PORT/bench/big:latest" > "$WORK/stager.out"
  t1=$(now)
  grep -q '^staged ' "$WORK/stager.out" || { cat "$WORK/stager.out" >&2; exit 1; }
  stager_times+=("$(echo "$t1 - $t0" | bc)")
  rss+=("$(cat "$WORK/rss")")
  printf 'round %s: peer %.2f s (%.2f GB/s)  stager %.2f s (%.2f GB/s)  stager peak RSS %s MB\n' "$r" \
    "${peer_times[-1]}" "$(echo "$WSIZE / ${peer_times[-1]} / 1000000000" | bc -l)" \
    "${stager_times[-1]}" "$(echo "$WSIZE / ${stager_times[-1]} / 1000000000" | bc -l)" \
    "$(( ${rss[-1]} / 1024 ))"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
P=$(median "${peer_times[@]}"); S=$(median "${stager_times[@]}"); R=$(median "${rss[@]}")
printf 'blob %s bytes; median peer %.2f s, stager %.2f s (JVM start included); ratio stager/peer throughput %.2fx; peak RSS %s MB\n' \
  "$WSIZE" "$P" "$S" "$(echo "$P / $S" | bc -l)" "$(( R / 1024 ))"
