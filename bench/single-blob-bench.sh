#!/usr/bin/env bash
# One large blob, the production case (gpt-oss:120b is one ~65 GB blob): the verifier against
# openssl dgst -sha256 and dd bs=1M reading the same file, in one run, page cache dropped before
# each tool (cold) and then with the blob in the page cache (warm), where the verifier with a
# pinned inventory (--inventory-digest: chunks on every core) is timed at the default parallelism
# and at 1, each a whole run.
# Not a test: prints times, medians and ratios.
#
#   bench/single-blob-bench.sh [STORE_DIR]      (default /tmp/single-blob-bench)
#
# Environment: SIZE_MB (6000), REPEAT (3, interleaved; medians), PARALLELISM (nproc), COLD (1; 0
# skips the cold runs, e.g. on a machine shared with others, where dropping the cache hurts them).
# Cold runs need root (sync; echo 1 > /proc/sys/vm/drop_caches); without it they are skipped.
# Targets (DESIGN §7, issue 12): cold >= 1.5x openssl and >= 0.9x dd; warm chunk-parallel
# >= 1.7x openssl on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/store-gen.sh

STORE=${1:-/tmp/single-blob-bench}
SIZE_MB=${SIZE_MB:-6000}
REPEAT=${REPEAT:-3}
PAR=${PARALLELISM:-$(nproc)}
JAR=verifier/target/quarkus-app/quarkus-run.jar
CLASSES=common/target/classes

if [[ ! -f $JAR || ! -d $CLASSES ]]; then
  echo "building the verifier..."
  mvn -B -ntp -q -pl verifier -am package -DskipTests
fi

spec="one blob of $SIZE_MB MB"
if [[ ! -f $STORE/.bench-spec || $(cat "$STORE/.bench-spec") != "$spec" ]]; then
  echo "generating store $STORE ($spec)..."
  rm -rf "$STORE"
  mkdir -p "$STORE/blobs" "$STORE/manifests"
  config=$(gen_text_blob "$STORE" '{"model_format":"gguf","model_family":"bench","name":"one"}')
  big=$(gen_blob "$STORE" $(( SIZE_MB * 1000 * 1000 )) "single-$SIZE_MB")
  gen_manifest "$STORE" registry.ollama.ai/library/one/latest "$config" "$big"
  echo "$spec" >"$STORE/.bench-spec"
fi
BLOB=$(ls -S "$STORE"/blobs/* | head -1)
SIZE=$(stat -c %s "$BLOB")

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }
gbs() { echo "scale=2; $SIZE / $1 / 1000000000" | bc; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

verifier() { # [PARALLELISM [more verifier flags]]
  local t0 t1 line p=${1:-$PAR}
  shift || true
  t0=$(now)
  line=$(java -jar "$JAR" --models-dir "$STORE" --parallelism "$p" --progress-interval 1h "$@" | tail -1)
  t1=$(now)
  case $line in OK:*) ;; *) echo "verifier failed: $line" >&2; exit 1 ;; esac
  elapsed "$t0" "$t1"
}
timed() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>&1
  t1=$(now)
  elapsed "$t0" "$t1"
}

echo "blob: $BLOB ($SIZE bytes); $(nproc) cores; parallelism $PAR; load at start $(load)"

can_drop() { [[ $(id -u) == 0 && -w /proc/sys/vm/drop_caches ]]; }
drop() { sync; echo 1 >/proc/sys/vm/drop_caches; }

if [[ ${COLD:-1} == 0 ]]; then
  echo "skipping the cold runs (COLD=0)"
elif can_drop; then
  vc=() oc=() dc=() ddc=()
  for ((r = 1; r <= REPEAT; r++)); do
    drop; vc+=("$(verifier)")
    drop; oc+=("$(timed openssl dgst -sha256 "$BLOB")")
    drop; dc+=("$(timed dd if="$BLOB" of=/dev/null bs=1M)")
    drop; ddc+=("$(timed dd if="$BLOB" of=/dev/null bs=1M iflag=direct)")
    echo "cold run $r: verifier ${vc[-1]} s, openssl ${oc[-1]} s, dd ${dc[-1]} s, dd iflag=direct ${ddc[-1]} s (load $(load))"
  done
  v=$(median "${vc[@]}") o=$(median "${oc[@]}") d=$(median "${dc[@]}") dd_direct=$(median "${ddc[@]}")
  echo "cold, medians of $REPEAT:"
  printf '  %-44s %7.2f s %6s GB/s\n' "verifier (whole run, JVM start included)" "$v" "$(gbs "$v")"
  printf '  %-44s %7.2f s %6s GB/s\n' "openssl dgst -sha256" "$o" "$(gbs "$o")"
  printf '  %-44s %7.2f s %6s GB/s\n' "dd bs=1M" "$d" "$(gbs "$d")"
  printf '  %-44s %7.2f s %6s GB/s\n' "dd bs=1M iflag=direct (for reference)" "$dd_direct" "$(gbs "$dd_direct")"
  echo "  cold ratio vs openssl (target >= 1.5): $(ratio "$o" "$v")x"
  echo "  cold ratio vs dd bs=1M (target >= 0.9): $(ratio "$d" "$v")x"
else
  echo "skipping the cold runs: dropping the page cache needs root (sync; echo 1 > /proc/sys/vm/drop_caches)"
fi

# The inventory the stager would write (one chunked read of the blob), pinned by its digest: the
# verifier then checks the blob's 64 MiB chunks on every core.
LIB=verifier/target/quarkus-app/lib/main
JACKSON=$(ls "$LIB"/com.fasterxml.jackson.core.jackson-{core,databind,annotations}-*.jar | paste -sd:)
PIN=$(java -cp "$CLASSES:$JACKSON" bench/InventoryWrite.java "$STORE")
echo "inventory $STORE/.ollama-airgap/inventory.json, --inventory-digest $PIN"

cat "$BLOB" >/dev/null
vw=() ow=() cn=() c1=()
for ((r = 1; r <= REPEAT; r++)); do
  vw+=("$(verifier)")
  ow+=("$(timed openssl dgst -sha256 "$BLOB")")
  cn+=("$(verifier "$PAR" --inventory-digest "$PIN")")
  c1+=("$(verifier 1 --inventory-digest "$PIN")")
  echo "warm run $r: verifier ${vw[-1]} s, openssl ${ow[-1]} s, trusted inventory P=$PAR ${cn[-1]} s, P=1 ${c1[-1]} s (load $(load))"
done
v=$(median "${vw[@]}") o=$(median "${ow[@]}") n=$(median "${cn[@]}") one=$(median "${c1[@]}")
echo "warm, medians of $REPEAT (every verifier time is a whole run, JVM start included):"
printf '  %-50s %7.2f s %6s GB/s\n' "verifier, no inventory (one thread per blob)" "$v" "$(gbs "$v")"
printf '  %-50s %7.2f s %6s GB/s\n' "openssl dgst -sha256" "$o" "$(gbs "$o")"
printf '  %-50s %7.2f s %6s GB/s\n' "verifier --inventory-digest, parallelism $PAR" "$n" "$(gbs "$n")"
printf '  %-50s %7.2f s %6s GB/s\n' "verifier --inventory-digest, parallelism 1" "$one" "$(gbs "$one")"
echo "  warm verifier ratio vs openssl: $(ratio "$o" "$v")x"
echo "  warm trusted-inventory ratio vs openssl (target >= 1.7 on 2 cores): $(ratio "$o" "$n")x"
echo "  scaling, parallelism $PAR vs 1: $(ratio "$one" "$n")x"
echo "load at end $(load)"
