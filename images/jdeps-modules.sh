#!/usr/bin/env bash
# Lists the JDK modules an app's fast-jar refers to, with the jars that refer to them, to keep
# images/jre-modules.txt honest after a dependency change:
#
#   images/jdeps-modules.sh <stager|verifier>      (after `mvn package`)
#
# jdeps over the whole class path fails on Quarkus' mix of named and automatic modules, so each
# jar is unpacked without its module-info and analysed on its own. A reference is not a need:
# java.desktop, java.compiler, java.rmi and friends show up through optional code paths (GraalVM
# substitutions, Log4j2 binders, codegen) that the apps never run; check-images.sh runs the
# images to catch a module that is really missing.
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 <stager|verifier>" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
app_dir="$root/$1/target/quarkus-app"
[[ -d "$app_dir" ]] || { echo "jdeps-modules: $app_dir missing; run mvn package first" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for jar in "$app_dir"/lib/boot/*.jar "$app_dir"/lib/main/*.jar "$app_dir"/app/*.jar "$app_dir"/quarkus/*.jar; do
  dir="$tmp/$(basename "$jar" .jar)"
  mkdir -p "$dir"
  unzip -qo "$jar" -d "$dir" -x 'module-info.class' 'META-INF/versions/*/module-info.class' 2>/dev/null || true
done
jdeps -s --multi-release 17 --ignore-missing-deps "$tmp"/* 2>/dev/null |
  sed -n 's/^\(.*\) -> \(\(java\|jdk\)\.[a-z.]*\)$/\2 \1/p' |
  sort | awk '{ used[$1] = used[$1] " " $2 } END { for (m in used) print m ":" used[m] }' | sort
