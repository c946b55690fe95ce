#!/usr/bin/env bash
# Builds the JVM-mode container image of one app without a container daemon, and writes it as an
# OCI archive:
#
#   images/build-image.sh <app> <version>     e.g. images/build-image.sh stager 0.1.0
#
# Input:  <app>/target/quarkus-app/ (run `mvn package` first; `mvn -Pimages package` runs this).
# Output: <app>/target/images/<app>.oci.tar, image ollama-airgap/<app>:<version>, also left in the
#         local containers-storage (`buildah images`).
#
# The image is FROM scratch: a jlink'ed JRE (modules in images/jre-modules.txt), the shared
# libraries it links against (copied from this host), /etc/passwd with a non-root user 65532, an
# empty /tmp (1777) and the Quarkus fast-jar. No shell, no package manager.
#
# Environment overrides: JAVA_HOME (JDK with jmods/ to link from), IMAGE_REPO (default
# ollama-airgap), BUILDAH_ISOLATION (default chroot), SOURCE_DATE_EPOCH (image timestamp;
# default: the last commit's time, so identical inputs give identical layers).
set -euo pipefail

usage() {
  echo "usage: $0 <stager|verifier> <version>" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
app=$1
version=$2
case "$app" in stager | verifier) ;; *) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
app_dir="$root/$app/target/quarkus-app"
out_dir="$root/$app/target/images"
repo=${IMAGE_REPO:-ollama-airgap}
image="$repo/$app:$version"
isolation=${BUILDAH_ISOLATION:-chroot}
uid=65532

die() {
  echo "build-image: $*" >&2
  exit 3
}

command -v buildah >/dev/null || die "buildah not found; install it (Debian: apt-get install -y buildah) or build without -Pimages"
[[ -f "$app_dir/quarkus-run.jar" ]] || die "$app_dir/quarkus-run.jar missing; run 'mvn -pl $app -am package' first"

if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
fi
[[ -d "$JAVA_HOME/jmods" ]] || die "no jmods/ in JAVA_HOME=$JAVA_HOME; jlink needs a full JDK (Debian: openjdk-17-jdk)"
java_feature=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[[ "${java_feature:-0}" -ge 17 ]] || die "JDK at $JAVA_HOME is Java ${java_feature:-unknown}; 17 or newer is needed"

epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
started=$(date +%s)

ctx="$out_dir/context"
rm -rf "$ctx" "$out_dir/$app.oci.tar"
mkdir -p "$ctx/base/opt" "$ctx/base/etc" "$ctx/base/tmp"

# 1. JRE with only the modules the apps need.
modules=$(grep -v '^[[:space:]]*\(#\|$\)' "$here/jre-modules.txt" | paste -sd, -)
"$JAVA_HOME/bin/jlink" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$ctx/base/opt/java"
# The JRE keeps the JDK's own CA store (OpenJDK's roots from the java.base jmod), never the
# build host's: that one may hold a proxy's or a sandbox's CA. A JDK whose jmods lack the
# security files (some distributions keep them in /etc) gets them from JAVA_HOME.
for f in cacerts blocked.certs default.policy public_suffix_list.dat; do
  if [[ -e "$JAVA_HOME/lib/security/$f" && ! -e "$ctx/base/opt/java/lib/security/$f" ]]; then
    echo "build-image: $f is not in the jmods; copying $JAVA_HOME/lib/security/$f" >&2
    cp -L "$JAVA_HOME/lib/security/$f" "$ctx/base/opt/java/lib/security/$f"
  fi
done
[[ -s "$ctx/base/opt/java/lib/security/cacerts" ]] || die "no CA store for the JRE (Debian: apt-get install -y ca-certificates-java)"
if command -v strip >/dev/null; then
  find "$ctx/base/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
fi

# 2. The host libraries the JRE's binaries link against (glibc, libstdc++, zlib, ...).
find "$ctx/base/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  xargs -0 ldd 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
  sort -u |
  while read -r lib; do
    case "$lib" in "$ctx"/*) continue ;; esac
    mkdir -p "$ctx/base$(dirname "$lib")"
    cp -L "$lib" "$ctx/base$lib"
  done
[[ -e "$ctx/base/lib64/ld-linux-x86-64.so.2" || -e "$ctx/base/lib/ld-linux-aarch64.so.1" ]] ||
  die "dynamic loader not found by ldd; is this a glibc system?"

# 3. Minimal /etc: a named non-root user (Java's user.name/user.home), hosts files the container
#    runtime bind-mounts over (they must exist on a read-only root), name service order.
cat >"$ctx/base/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:$uid:$uid:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$ctx/base/etc/group" <<EOF
root:x:0:
nonroot:x:$uid:
EOF
echo 'hosts: files dns' >"$ctx/base/etc/nsswitch.conf"
: >"$ctx/base/etc/hosts"
: >"$ctx/base/etc/resolv.conf"
: >"$ctx/base/etc/hostname"
mkdir -p "$ctx/base/home/nonroot"
# Debian's glibc loads C.UTF-8 from files; without them Java falls back to ASCII for file names
# and stdout (sun.jnu.encoding), which garbles any non-ASCII path in logs.
if [[ -d /usr/lib/locale/C.utf8 ]]; then
  mkdir -p "$ctx/base/usr/lib/locale"
  cp -r /usr/lib/locale/C.utf8 "$ctx/base/usr/lib/locale/"
fi
chmod 1777 "$ctx/base/tmp"

# 4. The Quarkus fast-jar, split so that dependencies and the app are separate layers.
mkdir -p "$ctx/app"
cp -r "$app_dir/." "$ctx/app/"

cat >"$ctx/Containerfile" <<EOF
FROM scratch
COPY base/ /
COPY app/lib/ /app/lib/
COPY app/quarkus-run.jar /app/quarkus-run.jar
COPY app/app/ /app/app/
COPY app/quarkus/ /app/quarkus/
WORKDIR /app
# Vert.x (the stager's management server) otherwise creates /tmp/vertx-cache at start-up and
# fails on a read-only root filesystem; neither app serves files from the class path.
ENV LANG=C.UTF-8 \\
    JAVA_HOME=/opt/java \\
    HOME=/home/nonroot \\
    QUARKUS_VERTX_CACHING=false \\
    QUARKUS_VERTX_CLASSPATH_RESOLVING=false
USER $uid:$uid
# Container-aware heap (the pod's memory limit), fail fast on OOM so Kubernetes sees it, no
# hsperfdata in /tmp (the root filesystem is read-only in the Job and the init container).
ENTRYPOINT ["/opt/java/bin/java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/app/quarkus-run.jar"]
LABEL org.opencontainers.image.title="ollama-airgap $app" \\
      org.opencontainers.image.version="$version" \\
      org.opencontainers.image.description="ollama-airgap $app (Quarkus JVM mode, jlink'ed JRE, non-root)"
EOF

# Fix the mtimes of the context so that the layers depend only on content and SOURCE_DATE_EPOCH.
find "$ctx" -exec touch -h -d "@$epoch" {} +

old_id=$(buildah images --noheading --quiet "localhost/$image" 2>/dev/null || true)
buildah bud --isolation "$isolation" --layers --timestamp "$epoch" --format oci \
  --identity-label=false -t "$image" -f "$ctx/Containerfile" "$ctx"
# buildah's name for an image without a registry host is localhost/<name>; the archive gets the
# plain name so that `skopeo copy`/`podman load`/`ctr import` show ollama-airgap/<app>:<version>.
buildah push "$image" "oci-archive:$out_dir/$app.oci.tar:$image"
# Drop the previous build of this tag, so that rebuilds do not pile up in containers-storage.
new_id=$(buildah images --noheading --quiet "localhost/$image")
if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then
  buildah rmi "$old_id" >/dev/null 2>&1 || true
fi

size=$(du -b "$out_dir/$app.oci.tar" | cut -f1)
echo "build-image: $image -> $out_dir/$app.oci.tar ($((size / 1024 / 1024)) MiB, $(($(date +%s) - started)) s)"
