#!/usr/bin/env bash
# Benchmark of the verifier against openssl dgst -sha256 (same parallelism) and sha256sum on the
# same blobs, in one run, plus the 4 GB blob under -Xmx64m check. Not a test: prints numbers.
#
#   bench/verifier-bench.sh [STORE_DIR]       (default /tmp/verifier-bench)
#
# Environment: PARALLELISM (default nproc), BIG_COUNT (4) x BIG_MB (800) large blobs,
# SMALL_COUNT (200) small blobs, COLD=1 drops the page cache before each run (root),
# SKIP_4G=1 skips the -Xmx64m check. Targets (DESIGN §7): >= 0.9x openssl, >= 2.5x sha256sum.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/store-gen.sh

STORE=${1:-/tmp/verifier-bench}
PAR=${PARALLELISM:-$(nproc)}
BIG_COUNT=${BIG_COUNT:-4}
BIG_MB=${BIG_MB:-800}
SMALL_COUNT=${SMALL_COUNT:-200}
JAR=verifier/target/quarkus-app/quarkus-run.jar

if [[ ! -f $JAR ]]; then
  echo "building the verifier..."
  mvn -B -ntp -q -pl verifier -am package -DskipTests
fi

spec="$BIG_COUNT x $BIG_MB MB + $SMALL_COUNT small"
if [[ ! -f $STORE/.bench-spec || $(cat "$STORE/.bench-spec") != "$spec" ]]; then
  echo "generating store $STORE ($spec)..."
  rm -rf "$STORE"
  mkdir -p "$STORE/blobs" "$STORE/manifests"
  per_model=$(( SMALL_COUNT / BIG_COUNT ))
  n=0
  for ((i = 0; i < BIG_COUNT; i++)); do
    config=$(gen_text_blob "$STORE" "{\"model_format\":\"gguf\",\"model_family\":\"bench\",\"name\":\"m$i\"}")
    layers=("$(gen_blob "$STORE" $(( BIG_MB * 1000 * 1000 + i )) "big-$i")")
    for ((j = 0; j < per_model; j++)); do
      layers+=("$(gen_blob "$STORE" $(( 4096 + n * 977 )) "small-$n")")
      n=$(( n + 1 ))
    done
    gen_manifest "$STORE" "registry.ollama.ai/library/bench$i/latest" "$config" "${layers[@]}"
  done
  echo "$spec" >"$STORE/.bench-spec"
fi

total=$(du -sb "$STORE/blobs" | cut -f1)
count=$(ls "$STORE/blobs" | wc -l)
echo "store: $STORE, $count blobs, $total bytes; parallelism $PAR; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

prepare() {
  if [[ ${COLD:-0} == 1 ]]; then
    sync
    echo 3 >/proc/sys/vm/drop_caches
  else
    cat "$STORE"/blobs/* >/dev/null # all runs on page-cached data
  fi
}

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Interleaved repeats, medians: the machines are shared and noisy, so only ratios taken in one run
# mean anything.
REPEAT=${REPEAT:-3}
v_all=() h_all=() o_all=() s_all=()
for ((r = 1; r <= REPEAT; r++)); do
  prepare
  t0=$(now)
  line=$(java -jar "$JAR" --models-dir "$STORE" --parallelism "$PAR" --progress-interval 1h | tail -1)
  t1=$(now)
  case $line in OK:*) ;; *) echo "verifier failed: $line" >&2; exit 1 ;; esac
  v_all+=("$(elapsed "$t0" "$t1")")
  # the verifier's own time for walking and hashing, without JVM start-up
  h_all+=("$(sed -E 's/.* in ([0-9.]+)s;.*/\1/' <<<"$line")")

  prepare
  t0=$(now)
  ls -S "$STORE"/blobs/* | xargs -P "$PAR" -n 1 openssl dgst -sha256 >/dev/null
  t1=$(now)
  o_all+=("$(elapsed "$t0" "$t1")")

  prepare
  t0=$(now)
  sha256sum "$STORE"/blobs/* >/dev/null
  t1=$(now)
  s_all+=("$(elapsed "$t0" "$t1")")
  echo "run $r: verifier ${v_all[-1]} s (hashing ${h_all[-1]} s), openssl ${o_all[-1]} s, sha256sum ${s_all[-1]} s"
done
verifier=$(median "${v_all[@]}")
hashing=$(median "${h_all[@]}")
openssl=$(median "${o_all[@]}")
sha256sum=$(median "${s_all[@]}")

gbs() { echo "scale=2; $total / $1 / 1000000000" | bc; }
echo "medians of $REPEAT runs:"
printf '%-42s %8.2f s %6s GB/s\n' "verifier (whole run, JVM start included)" "$verifier" "$(gbs "$verifier")"
printf '%-42s %8.2f s %6s GB/s\n' "verifier (walk + hashing only)" "$hashing" "$(gbs "$hashing")"
printf '%-42s %8.2f s %6s GB/s\n' "openssl dgst -sha256, xargs -P $PAR" "$openssl" "$(gbs "$openssl")"
printf '%-42s %8.2f s %6s GB/s\n' "sha256sum (one process)" "$sha256sum" "$(gbs "$sha256sum")"
echo "ratio vs openssl, whole run   (target >= 0.9): $(echo "scale=2; $openssl / $verifier" | bc)x"
echo "ratio vs openssl, hashing     (target >= 0.9): $(echo "scale=2; $openssl / $hashing" | bc)x"
echo "ratio vs sha256sum, whole run (target >= 2.5): $(echo "scale=2; $sha256sum / $verifier" | bc)x"

if [[ ${SKIP_4G:-0} != 1 ]]; then
  BIG=$STORE-4g
  if [[ ! -f $BIG/.bench-spec ]]; then
    echo "generating $BIG (one 4 GiB blob)..."
    rm -rf "$BIG"
    mkdir -p "$BIG/blobs" "$BIG/manifests"
    config=$(gen_text_blob "$BIG" '{"model_format":"gguf","name":"big"}')
    blob=$(gen_blob "$BIG" $(( 4 * 1024 * 1024 * 1024 )) big4g)
    gen_manifest "$BIG" registry.ollama.ai/library/big/4g "$config" "$blob"
    echo 4g >"$BIG/.bench-spec"
  fi
  echo "4 GiB blob with -Xmx64m:"
  code=0
  /usr/bin/time -f "max RSS %M KiB, %e s" java -Xmx64m -jar "$JAR" --models-dir "$BIG" \
    --progress-interval 5s --require big:4g || code=$?
  echo "exit code $code (0 = verified in a 64 MiB heap)"
fi
