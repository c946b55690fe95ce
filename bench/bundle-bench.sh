#!/usr/bin/env bash
# Benchmark of bundle export + import against the same work done by peer tools.
#
# Generates a synthetic store with one model of SIZE_MB (bench/store-gen.sh), then alternates,
# ROUNDS times each, on the same files (page cache warm for both):
#   peer:  tar -C SRC -cf - blobs manifests | tar -C DST -xf -  then  sha256sum -c  in DST
#   ours:  BundleCli export --to - | BundleCli import --from -   (every blob hashed on the way out
#          and again on the way in, staged, fsynced, renamed, manifest last), each JVM -Xmx64m
# and prints each time, the medians, the ratio (peer time / our time: above 1.0 we are faster)
# and the peak RSS of our two JVMs (GNU time).
#
# Usage: bench/bundle-bench.sh [SIZE_MB (default 3000)] [ROUNDS (default 3)]
# Needs: openssl, GNU time, a built tree (runs `mvn -pl common test-compile
# dependency:build-classpath`; BENCH_CP=FILE reuses a classpath file written by that command).
set -euo pipefail
SIZE_MB=${1:-3000}
ROUNDS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/bundle-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
source "$ROOT/bench/store-gen.sh"

echo "== building and computing the classpath" >&2
if [[ -n "${BENCH_CP:-}" ]]; then cp "$BENCH_CP" "$WORK/cp.txt"; else
  (cd "$ROOT" && mvn -q -ntp -pl common test-compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test) >&2
fi
CP="$ROOT/common/target/test-classes:$ROOT/common/target/classes:$(cat "$WORK/cp.txt")"
cli() { /usr/bin/time -f "%M" -a -o "$WORK/rss" java -Xmx64m -cp "$CP" org.ollamaairgap.common.bundle.BundleCli "$@"; }

echo "== generating a ${SIZE_MB} MB model" >&2
SRC="$WORK/src"
weights=$(gen_blob "$SRC" $((SIZE_MB * 1024 * 1024)) 7)
config=$(gen_text_blob "$SRC" '{"model_format":"gguf"}')
gen_manifest "$SRC" registry.ollama.ai/library/bench/1 "$config" "$weights"
(cd "$SRC" && sha256sum blobs/* manifests/*/*/*/* > "$WORK/sums")

now() { date +%s.%N; }
peer_times=() our_times=()
for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/peer" "$WORK/ours" && mkdir -p "$WORK/peer"
  t0=$(now)
  tar -C "$SRC" -cf - blobs manifests | tar -C "$WORK/peer" -xf -
  (cd "$WORK/peer" && sha256sum -c --quiet "$WORK/sums")
  sync -f "$WORK/peer"
  t1=$(now)
  cli export --models bench:1 --models-dir "$SRC" --to - \
    | cli import --from - --models-dir "$WORK/ours" 2>"$WORK/import.log" \
    || { cat "$WORK/import.log" >&2; exit 1; }
  t2=$(now)
  cmp "$SRC/blobs/sha256-$weights" "$WORK/ours/blobs/sha256-$weights"
  p=$(echo "$t1 - $t0" | bc) o=$(echo "$t2 - $t1" | bc)
  peer_times+=("$p") our_times+=("$o")
  printf 'round %d: peer %.2fs, ours %.2fs\n' "$round" "$p" "$o"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mp=$(median "${peer_times[@]}") mo=$(median "${our_times[@]}")
printf 'median: peer (tar | tar + sha256sum -c) %.2fs, ours (export | import) %.2fs, %d MB\n' "$mp" "$mo" "$SIZE_MB"
printf 'ratio (peer time / our time): %.2fx\n' "$(echo "$mp / $mo" | bc -l)"
printf 'peak RSS of our JVMs: %s KB\n' "$(sort -n "$WORK/rss" | tail -1)"
