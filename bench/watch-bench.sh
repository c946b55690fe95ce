#!/usr/bin/env bash
# Benchmark of verifier watch's pacing: over a pass, the sidecar reads within 10% of
# --max-bandwidth (issue 14). Not a test: prints numbers.
#
#   bench/watch-bench.sh [SIZE_MB (default 1000)] [RATE (default 100M)] [PASSES (default 2)]
#
# Generates a store of 4 models of SIZE_MB/4 each (bench/store-gen.sh), starts verifier watch on
# it with --max-bandwidth RATE and --watch-interval 20s on a free management port, and for each pass
# reads /q/metrics when the pass has ended: the bytes it hashed (verifier_verified_bytes_total, the
# difference to the previous pass) over its wall time (verifier_pass_duration_seconds). Prints each
# pass's rate and its ratio to RATE; the second pass is the steady state (every blob read again).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/store-gen.sh

SIZE_MB=${1:-1000}
RATE=${2:-100M}
PASSES=${3:-2}
JAR=verifier/target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/watch-bench.XXXXXX")
PID=
trap '[[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
STORE=$WORK/store

if [[ ! -f $JAR ]]; then
  echo "building the verifier..." >&2
  mvn -B -ntp -q -pl verifier -am package -DskipTests >&2
fi

# RATE as Quarkus reads a memory size: K, M, G are powers of 1024.
rate_bytes() {
  local v=${1^^}
  case $v in
    *K) echo $(( ${v%K} * 1024 )) ;;
    *M) echo $(( ${v%M} * 1024 * 1024 )) ;;
    *G) echo $(( ${v%G} * 1024 * 1024 * 1024 )) ;;
    *) echo "$v" ;;
  esac
}
budget=$(rate_bytes "$RATE")

echo "generating a ${SIZE_MB} MB store in $STORE..." >&2
for ((i = 0; i < 4; i++)); do
  config=$(gen_text_blob "$STORE" "{\"model_format\":\"gguf\",\"name\":\"m$i\"}")
  weights=$(gen_blob "$STORE" $(( SIZE_MB * 1000 * 1000 / 4 + i )) "watch-$i")
  gen_manifest "$STORE" "registry.ollama.ai/library/bench$i/latest" "$config" "$weights"
done
total=$(du -sb "$STORE/blobs" | cut -f1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "store: $(ls "$STORE/blobs" | wc -l) blobs, $total bytes; budget $RATE = $budget B/s; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

QUARKUS_MANAGEMENT_PORT=$port java -jar "$JAR" watch --models-dir "$STORE" \
  --max-bandwidth "$RATE" --watch-interval 20s --progress-interval 1h \
  --termination-log /dev/null >"$WORK/log" 2>&1 &
PID=$!

# Prometheus writes large values as 4.0E8: print them as plain numbers for bc.
metric() { curl -s "http://127.0.0.1:$port/q/metrics" | awk -v m="$1" '$1 == m {printf "%.6f\n", $2}'; }
ended() { grep -c '^watch pass [0-9]* ended' "$WORK/log" || true; }

before=0
for ((p = 1; p <= PASSES; p++)); do
  # Wait for pass p to end, then read its metrics during the 20 s pause (nothing is read then).
  until (( $(ended) >= p )); do
    kill -0 "$PID" 2>/dev/null || { echo "verifier watch exited:" >&2; cat "$WORK/log" >&2; exit 1; }
    sleep 0.2
  done
  bytes=$(metric verifier_verified_bytes_total)
  seconds=$(metric verifier_pass_duration_seconds)
  read=$(echo "$bytes - $before" | bc)
  before=$bytes
  rate=$(echo "scale=0; $read / $seconds" | bc)
  echo "pass $p: $read bytes in $seconds s = $rate B/s; ratio to --max-bandwidth: $(echo "scale=3; $rate / $budget" | bc)"
done
grep -E '^(OK|FAILED):' "$WORK/log" | tail -1 | cut -c1-160
