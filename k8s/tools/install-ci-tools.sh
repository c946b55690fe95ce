#!/usr/bin/env bash
# Installs what the k8s checks (mvn -pl k8s verify) need, skipping what is already there:
#   ansible-playbook (Debian's ansible, with the kubernetes.core collection), promtool (Debian's
#   prometheus package; only its promtool is used) and helm (tools/install-helm.sh).
# Needs root for apt-get. Prints the helm path last, like install-helm.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=()
command -v ansible-playbook >/dev/null \
  && [[ -d /usr/lib/python3/dist-packages/ansible_collections/kubernetes/core ]] \
  || packages+=(ansible)
command -v promtool >/dev/null || packages+=(prometheus)

if ((${#packages[@]})); then
  printf 'install-ci-tools: apt-get install %s\n' "${packages[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

bash "$here/install-helm.sh"
