#!/usr/bin/env bash
# Loads the images from their OCI archives and runs them without a daemon
# (`buildah run --isolation chroot`), checking what the Job and the init container rely on:
#
#   images/check-images.sh [--version <v>] [stager] [verifier]      (default: both)
#
# Per image: the archive's name/tag; a numeric non-root USER; no shell; the JRE starts; every
# directory of the image read-only and the app still working (nothing in the image is
# writable: each top-level directory is bind-mounted read-only onto itself, and / is owned by
# root, so this is what readOnlyRootFilesystem gives the pod); `--help` exits 0; the contract's
# exit codes (DESIGN §3): verifier 0 on a good store, 1 on a damaged one, 3 on a missing one,
# 2 on a bad option; stager serving /q/health/{live,ready} and /q/metrics on the management port
# while it lingers, then exiting 0, 2 on a bad model name, 3 on a read-only target.
#
# Parameters (environment):
#   CHECK_MGMT_PORT   management port the stager serves on (default 9000, the contract's)
#   STAGER_LINGER_ARGS  arguments that make the stager do no work and linger
#                     (default: "--models-dir /models --linger 20s", no models)
#   STAGER_BAD_MODEL  a model name the stager must reject with exit 2 (default "Bad Name!")
#   CHECK_TLS_URL     an https URL to reach from inside each image with the JDK HTTP client
#                     (TLS, CA store, EC suites); unset: skipped. CHECK_TRUSTSTORE: a JKS/PKCS12
#                     trust store to use for it instead of the image's (e.g. behind a TLS proxy)
#   STRICT=1          fail instead of reporting PENDING for app features not implemented yet
# Exit status: 0 all checks passed (PENDING ones allowed unless STRICT=1), 1 a check failed,
# 2 bad usage, 3 missing tools or archives.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
version=""
apps=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --version) version=$2; shift 2 ;;
    stager | verifier) apps+=("$1"); shift ;;
    *) echo "usage: $0 [--version <v>] [stager] [verifier]" >&2; exit 2 ;;
  esac
done
[[ ${#apps[@]} -gt 0 ]] || apps=(verifier stager)
if [[ -z "$version" ]]; then
  # The parent pom's own <version> (the first one after </parent>-less header).
  version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)
fi
mgmt_port=${CHECK_MGMT_PORT:-9000}
stager_linger_args=${STAGER_LINGER_ARGS:---models-dir /models --linger 20s}
stager_bad_model=${STAGER_BAD_MODEL:-Bad Name!}
strict=${STRICT:-0}

for tool in buildah jq javac curl sha256sum; do
  command -v "$tool" >/dev/null || { echo "check-images: $tool not found (Debian: apt-get install -y buildah jq curl openjdk-17-jdk-headless)" >&2; exit 3; }
done

work=$(mktemp -d /tmp/check-images.XXXXXX)
containers=()
cleanup() {
  for c in "${containers[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pending=0
pass() { echo "  PASS  $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }
# TODO(lead): remove once both apps implement the contract (--help, exit codes, metrics);
# until then a skeleton app that ignores its arguments is reported PENDING instead of FAIL.
pending() {
  if [[ "$strict" == 1 ]]; then fail "$*"; else echo "  PENDING  $* (app not implemented yet)"; pending=$((pending + 1)); fi
}

javac --release 17 -d "$work/probe" "$here/probe/ImageProbe.java"

# A store with one small model, in Ollama's layout (manifest bytes as the registry serves them).
make_store() {
  local store=$1
  mkdir -p "$store/blobs" "$store/manifests/registry.ollama.ai/library/tiny"
  printf '{"model_format":"gguf","model_family":"test"}' >"$work/config"
  head -c 65536 /dev/zero | tr '\0' 'm' >"$work/layer"
  local cd ld cs ls
  cd=$(sha256sum "$work/config" | cut -d' ' -f1)
  ld=$(sha256sum "$work/layer" | cut -d' ' -f1)
  cs=$(stat -c %s "$work/config")
  ls=$(stat -c %s "$work/layer")
  cp "$work/config" "$store/blobs/sha256-$cd"
  cp "$work/layer" "$store/blobs/sha256-$ld"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":%s}]}' \
    "$cd" "$cs" "$ld" "$ls" >"$store/manifests/registry.ollama.ai/library/tiny/latest"
  chmod -R a+rX "$store"
  echo "$ld"
}

# run <expected-rc> <description> <args...>: runs the image's entrypoint with args; sets $out.
out=""
rc=0
run_user=()
run_image() {
  local timeout_s=$1
  shift
  set +e
  out=$(timeout --kill-after=10 "$timeout_s" buildah run --isolation chroot --network host \
    "${run_user[@]}" "${ro_mounts[@]}" "${extra_mounts[@]}" "$ctr" -- "${entrypoint[@]}" "$@" 2>&1)
  rc=$?
  set -e
}

for app in "${apps[@]}"; do
  tar_file="$root/$app/target/images/$app.oci.tar"
  want="ollama-airgap/$app:$version"
  echo "== $app ($tar_file)"
  [[ -f "$tar_file" ]] || { echo "check-images: $tar_file missing; build it with: mvn -B -Pimages -DskipTests package" >&2; exit 3; }

  ref=$(tar -xOf "$tar_file" index.json | jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]')
  [[ "$ref" == "$want" ]] && pass "archive names $want" || fail "archive names '$ref', expected '$want'"

  image_id=$(buildah pull --quiet "oci-archive:$tar_file")
  config=$(buildah inspect --type image "$image_id" | jq '.OCIv1.config')
  user=$(jq -r '.User // ""' <<<"$config")
  if [[ "$user" =~ ^[1-9][0-9]*(:[1-9][0-9]*)?$ ]]; then pass "USER $user (numeric, non-root: runAsNonRoot can check it)"; else fail "USER is '$user', expected a numeric non-root uid[:gid]"; fi
  mapfile -t entrypoint < <(jq -r '.Entrypoint[]' <<<"$config")
  [[ "${entrypoint[0]:-}" == /opt/java/bin/java ]] && pass "entrypoint ${entrypoint[*]}" || fail "entrypoint is '${entrypoint[*]}'"

  ctr=$(buildah from --pull-never "$image_id")
  containers+=("$ctr")
  mnt=$(buildah mount "$ctr")
  # Every top-level directory of the image read-only (buildah run has no --read-only).
  ro_mounts=()
  for d in "$mnt"/*; do
    name=$(basename "$d")
    case "$name" in dev | proc | sys | run) continue ;; esac
    [[ -d "$d" && ! -L "$d" ]] && ro_mounts+=(-v "$d:/$name:ro")
  done
  extra_mounts=(-v "$work/probe:/probe:ro")

  set +e
  probe=$(buildah run --isolation chroot --network host "${ro_mounts[@]}" "${extra_mounts[@]}" "$ctr" -- \
    /opt/java/bin/java -XX:-UsePerfData -cp /probe ImageProbe / /tmp /app /home/nonroot /etc /opt/java 2>&1)
  prc=$?
  set -e
  if [[ $prc -eq 0 ]]; then pass "runs as $(grep -E '^uid=' <<<"$probe"), no shell, nothing writable: $(grep -c '^read-only' <<<"$probe") paths read-only"; else fail "probe (exit $prc): $probe"; fi

  if [[ -n "${CHECK_TLS_URL:-}" ]]; then
    trust=()
    if [[ -n "${CHECK_TRUSTSTORE:-}" ]]; then
      cp "$CHECK_TRUSTSTORE" "$work/probe/truststore"
      trust=(-Djavax.net.ssl.trustStore=/probe/truststore)
    fi
    set +e
    tls=$(buildah run --isolation chroot --network host "${ro_mounts[@]}" "${extra_mounts[@]}" "$ctr" -- \
      /opt/java/bin/java -XX:-UsePerfData "${trust[@]}" -cp /probe ImageProbe --tls "$CHECK_TLS_URL" 2>&1)
    trc=$?
    set -e
    if [[ $trc -eq 0 ]]; then pass "TLS to $CHECK_TLS_URL: $tls"; else fail "TLS to $CHECK_TLS_URL: $(grep -m1 -E 'Exception' <<<"$tls")"; fi
  fi

  run_image 60 --help
  if [[ $rc -ne 0 ]]; then
    fail "--help exits $rc, expected 0: $out"
  elif grep -q -- '--models-dir' <<<"$out"; then
    pass "--help exits 0 and lists --models-dir"
    implemented=1
  else
    pass "--help exits 0 (read-only root, JRE modules sufficient to start Quarkus)"
    pending "--help lists the options"
    implemented=0
  fi
  # Kubernetes may run the image as another uid (the Helm values set runAsUser; OpenShift picks
  # one): nothing in the image may depend on being 65532 or on an /etc/passwd entry.
  run_user=(--user 1000:1000)
  run_image 60 --help
  run_user=()
  [[ $rc -eq 0 ]] && pass "--help as uid 1000 (no passwd entry) exits 0" || fail "--help as uid 1000 exits $rc: $out"
  if [[ "$out" =~ (NoClassDefFoundError|ClassNotFoundException|UnsatisfiedLinkError) ]]; then
    fail "missing JRE module or library: $(grep -m1 -E 'NoClassDefFound|ClassNotFound|UnsatisfiedLink' <<<"$out")"
  fi

  # expect <description> <expected rc>: judges the last run_image.
  expect() {
    local what=$1 want_rc=$2
    if [[ $rc -eq $want_rc ]]; then pass "$what: exit $rc"
    elif [[ $implemented -eq 0 ]]; then pending "$what: exit $rc, expected $want_rc"
    else fail "$what: exit $rc, expected $want_rc; output:"$'\n'"$out"; fi
  }

  case "$app" in
    verifier)
      good="$work/good-store"
      bad="$work/bad-store"
      make_store "$good" >/dev/null
      layer=$(make_store "$bad")
      # Damage: same size, one byte changed (only a full hash finds it).
      printf 'X' | dd of="$bad/blobs/sha256-$layer" bs=1 seek=100 conv=notrunc status=none
      extra_mounts=(-v "$good:/models:ro")
      run_image 120 --models-dir /models
      expect "verifier on a good store (read-only mount)" 0
      extra_mounts=(-v "$bad:/models:ro")
      run_image 120 --models-dir /models
      expect "verifier on a damaged store" 1
      extra_mounts=()
      run_image 60 --models-dir /no-such-store
      expect "verifier on a missing store" 3
      run_image 60 --models-dir /models --mode nonsense
      expect "verifier with a bad --mode" 2
      ;;
    stager)
      target="$work/stager-target"
      mkdir -p "$target"
      chown "${user%%:*}" "$target"
      if curl -s -o /dev/null "http://127.0.0.1:$mgmt_port/" 2>/dev/null; then
        fail "port $mgmt_port is already in use on this host; set CHECK_MGMT_PORT or free it"
        continue
      fi
      port_env=()
      [[ "$mgmt_port" == 9000 ]] || port_env=(-e "QUARKUS_MANAGEMENT_PORT=$mgmt_port")
      extra_mounts=(-v "$target:/models" "${port_env[@]}")
      read -r -a linger_args <<<"$stager_linger_args"
      (
        run_image 180 "${linger_args[@]}"
        echo "$rc" >"$work/stager.rc"
        printf '%s\n' "$out" >"$work/stager.out"
      ) &
      bg=$!
      ready=""
      for _ in $(seq 1 60); do
        if curl -fs -o "$work/ready.json" "http://127.0.0.1:$mgmt_port/q/health/ready"; then ready=1; break; fi
        [[ -e "$work/stager.rc" ]] && break
        sleep 1
      done
      if [[ -n "$ready" ]]; then
        pass "/q/health/ready: $(tr -d '\n ' <"$work/ready.json" | cut -c1-80)"
        live=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mgmt_port/q/health/live")
        [[ "$live" == 200 ]] && pass "/q/health/live: 200" || fail "/q/health/live: HTTP $live"
        curl -fs "http://127.0.0.1:$mgmt_port/q/metrics" >"$work/metrics.txt" || true
        if grep -q '^stager_models' "$work/metrics.txt"; then pass "/q/metrics serves stager_models"
        else fail "/q/metrics has no stager_models: $(head -c 300 "$work/metrics.txt")"; fi
      else
        implemented_before=$implemented
        [[ $implemented -eq 1 ]] && fail "stager never answered /q/health/ready on port $mgmt_port" ||
          pending "stager serves /q/health and /q/metrics on port $mgmt_port while lingering"
        implemented=$implemented_before
      fi
      wait "$bg" || true
      rc=$(cat "$work/stager.rc" 2>/dev/null || echo 124)
      out=$(cat "$work/stager.out" 2>/dev/null || true)
      expect "stager with no models (linger, then exit)" 0
      run_image 60 --models-dir /models --models "$stager_bad_model"
      expect "stager with a bad model name" 2
      extra_mounts=(-v "$target:/models:ro")
      run_image 60 --models-dir /models --driver registry --models tiny
      expect "stager with a read-only target" 3
      ;;
  esac
  buildah umount "$ctr" >/dev/null
done

echo "== $failures failed, $pending pending"
[[ $failures -eq 0 ]]
