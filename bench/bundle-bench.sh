#!/usr/bin/env bash
# Benchmark of bundle export + import against the same work done by peer tools.
#
# Generates a synthetic store with one model of SIZE_MB (bench/store-gen.sh), then alternates,
# ROUNDS times each, on the same files (page cache warm for both), each side of the gap alone:
#   export, peer: sha256sum -c in SRC, then tar -cf FILE;  ours: BundleCli export --to - > FILE
#   import, peer: tar -xf FILE, then sha256sum -c in DST;  ours: BundleCli import --from - < FILE
#   (ours hashes every blob on the way out and on the way in, stages, fsyncs, renames, writes the
#   manifest last; each JVM -Xmx64m)
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
# Each side of the gap is timed on its own (in real life they are different machines), each
# hashing every byte once, as both tools must: the export side checks the source and writes a tar
# file, the import side unpacks it and checks what landed.
pe=() pi=() oe=() oi=()
for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/peer" "$WORK/ours" "$WORK"/*.tar && mkdir -p "$WORK/peer"
  t0=$(now)
  (cd "$SRC" && sha256sum -c --quiet "$WORK/sums") && tar -C "$SRC" -cf "$WORK/peer.tar" blobs manifests
  sync -f "$WORK"
  t1=$(now)
  tar -C "$WORK/peer" -xf "$WORK/peer.tar" && (cd "$WORK/peer" && sha256sum -c --quiet "$WORK/sums")
  sync -f "$WORK/peer"
  t2=$(now)
  cli export --models bench:1 --models-dir "$SRC" --to - >"$WORK/ours.tar" 2>"$WORK/export.log" \
    || { cat "$WORK/export.log" >&2; exit 1; }
  sync -f "$WORK"
  t3=$(now)
  cli import --from - --models-dir "$WORK/ours" <"$WORK/ours.tar" 2>"$WORK/import.log" \
    || { cat "$WORK/import.log" >&2; exit 1; }
  t4=$(now)
  cmp "$SRC/blobs/sha256-$weights" "$WORK/ours/blobs/sha256-$weights"
  pe+=("$(echo "$t1 - $t0" | bc)") pi+=("$(echo "$t2 - $t1" | bc)")
  oe+=("$(echo "$t3 - $t2" | bc)") oi+=("$(echo "$t4 - $t3" | bc)")
  printf 'round %d: export peer %.2fs ours %.2fs; import peer %.2fs ours %.2fs\n' \
    "$round" "${pe[-1]}" "${oe[-1]}" "${pi[-1]}" "${oi[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mpe=$(median "${pe[@]}") moe=$(median "${oe[@]}") mpi=$(median "${pi[@]}") moi=$(median "${oi[@]}")
printf 'median, %d MB: export: peer (sha256sum -c + tar -c) %.2fs, ours %.2fs; import: peer (tar -x + sha256sum -c) %.2fs, ours %.2fs\n' \
  "$SIZE_MB" "$mpe" "$moe" "$mpi" "$moi"
printf 'ratio (peer time / our time): export %.2fx, import %.2fx, both %.2fx\n' \
  "$(echo "$mpe / $moe" | bc -l)" "$(echo "$mpi / $moi" | bc -l)" "$(echo "($mpe + $mpi) / ($moe + $moi)" | bc -l)"
printf 'peak RSS of our JVMs: %s KB\n' "$(sort -n "$WORK/rss" | tail -1)"
