#!/usr/bin/env bash
# Benchmark of the verification record: the second start of a store with a record hashes 0 bytes
# and is >= 5x faster than the first, JVM start included (issue 14). Not a test: prints numbers.
#
#   bench/record-bench.sh [SIZE_MB (default 6000)] [ROUNDS (default 3)]
#
# Generates a store of 4 models of SIZE_MB/4 each (bench/store-gen.sh), waits out the record's
# settle time (a blob changed less than 10 s before it is hashed is not recorded), then per round:
# a first start with an empty --record-dir (every blob hashed, the record written) and a second
# start with that record. Both run on page-cached data (COLD=1 drops the page cache before each
# start, as root), so the first start is as fast as it gets and the ratio is a lower bound; on
# NFS the first start is slower and the second the same. Prints both times, the bytes each hashed
# (from its last line) and the ratio of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/store-gen.sh

SIZE_MB=${1:-6000}
ROUNDS=${2:-3}
JAR=verifier/target/quarkus-app/quarkus-run.jar
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/record-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
STORE=$WORK/store

if [[ ! -f $JAR ]]; then
  echo "building the verifier..." >&2
  mvn -B -ntp -q -pl verifier -am package -DskipTests >&2
fi

echo "generating a ${SIZE_MB} MB store in $STORE..." >&2
for ((i = 0; i < 4; i++)); do
  config=$(gen_text_blob "$STORE" "{\"model_format\":\"gguf\",\"name\":\"m$i\"}")
  weights=$(gen_blob "$STORE" $(( SIZE_MB * 1000 * 1000 / 4 + i )) "record-$i")
  gen_manifest "$STORE" "registry.ollama.ai/library/bench$i/latest" "$config" "$weights"
done
sleep 11 # past the record's settle time
total=$(du -sb "$STORE/blobs" | cut -f1)
echo "store: $(ls "$STORE/blobs" | wc -l) blobs, $total bytes; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

prepare() {
  if [[ ${COLD:-0} == 1 ]]; then
    sync
    echo 3 >/proc/sys/vm/drop_caches
  else
    cat "$STORE"/blobs/* >/dev/null
  fi
}
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Runs the verifier, prints "SECONDS|LAST LINE"; fails unless the last line is OK.
start() {
  local t0 t1 line
  prepare
  t0=$(now)
  line=$(java -jar "$JAR" --models-dir "$STORE" --record-dir "$WORK/record" \
    --progress-interval 1h --termination-log /dev/null | tail -1)
  t1=$(now)
  case $line in OK:*) ;; *) echo "verifier failed: $line" >&2; exit 1 ;; esac
  echo "$(echo "$t1 - $t0" | bc)|$line"
}
hashed() { sed -E 's/.* blobs, (.*) hashed in .*/\1/' <<<"$1"; }

firsts=() seconds=()
for ((r = 1; r <= ROUNDS; r++)); do
  rm -rf "$WORK/record" && mkdir -p "$WORK/record"
  out=$(start); t=${out%%|*}; line=${out#*|}
  firsts+=("$t")
  echo "round $r, first start:  $t s, $(hashed "$line") hashed"
  out=$(start); t=${out%%|*}; line=${out#*|}
  seconds+=("$t")
  echo "round $r, second start: $t s, $(hashed "$line") hashed; ${line#*hashed in }" | cut -c1-160
  case $line in *" 0 B hashed in "*) ;; *) echo "the second start hashed bytes: $line" >&2; exit 1 ;; esac
done
first=$(median "${firsts[@]}")
second=$(median "${seconds[@]}")
echo "medians of $ROUNDS rounds: first start $first s, second start $second s (JVM start included)"
echo "ratio first / second (target >= 5): $(echo "scale=2; $first / $second" | bc)x"
