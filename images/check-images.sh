#!/usr/bin/env bash
# Loads the images from their OCI archives and runs them without a daemon
# (`buildah run --isolation chroot`), checking what the Job and the init container rely on:
#
#   images/check-images.sh [--version <v>] [stager] [verifier]      (default: both)
#
# Per image: the archive's name/tag; a numeric non-root USER; no shell; the JRE starts; every
# directory of the image read-only and the app still working (nothing in the image is
# writable: each top-level directory is bind-mounted read-only onto itself, and / is owned by
# root, so this is what readOnlyRootFilesystem gives the pod); `--help` exits 0 and lists the
# options, also as another uid; the contract's exit codes (DESIGN §3): verifier 0 on a good
# store, 1 on a damaged one, 3 on a missing one, 2 on a bad --mode; the stager stages a model
# from a registry this script starts on loopback (Debian's docker-registry), serves
# /q/health/{live,ready} and /q/metrics (stager_models) on the management port while it
# lingers, exits 0 and leaves the manifest and blobs byte for byte in the store; exits 2 on a
# bad model name and 3 on a read-only target. With both images: the verifier image accepts the
# store the stager image wrote (--require the staged model: 0; a model not staged: 1).
#
# Parameters (environment):
#   CHECK_MGMT_PORT   management port the stager serves on (default 9000, the contract's)
#   CHECK_STAGER_LINGER  how long the stager lingers after its run (default 20s)
#   CHECK_BAD_MODEL   a model name the stager must reject with exit 2 (default "Bad Name!")
#   CHECK_TLS_URL     an https URL to reach from inside each image with the JDK HTTP client
#                     (TLS, CA store, EC suites); unset: skipped. CHECK_TRUSTSTORE: a JKS/PKCS12
#                     trust store to use for it instead of the image's (e.g. behind a TLS proxy)
# Exit status: 0 all checks passed, 1 a check failed, 2 bad usage, 3 missing tools or archives.
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
stager_linger=${CHECK_STAGER_LINGER:-20s}
stager_bad_model=${CHECK_BAD_MODEL:-Bad Name!}

for tool in buildah jq javac curl sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "check-images: $tool not found (Debian: apt-get install -y buildah jq curl python3 openjdk-17-jdk-headless)" >&2; exit 3; }
done
if [[ " ${apps[*]} " == *" stager "* ]] && ! command -v docker-registry >/dev/null; then
  echo "check-images: docker-registry not found; the stager check stages a model from it (Debian: apt-get install -y --no-install-recommends docker-registry)" >&2
  exit 3
fi

work=$(mktemp -d /tmp/check-images.XXXXXX)
containers=()
registry_pid=""
cleanup() {
  for c in "${containers[@]}"; do buildah rm "$c" >/dev/null 2>&1 || true; done
  [[ -z "$registry_pid" ]] || kill "$registry_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
passes=0
pass() { echo "  PASS  $*"; passes=$((passes + 1)); }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }

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
    pass "--help exits 0 and lists --models-dir (read-only root, JRE modules sufficient)"
  else
    fail "--help exits 0 but does not list --models-dir: $out"
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
      grep -q "sha256:$layer" <<<"$out" && pass "the damaged blob is named: $(grep -m1 "sha256:$layer" <<<"$out" | cut -c1-140)" ||
        fail "the verifier's output does not name the damaged blob sha256:$layer: $out"
      extra_mounts=()
      run_image 60 --models-dir /no-such-store
      expect "verifier on a missing store" 3
      run_image 60 --models-dir /models --mode nonsense
      expect "verifier with a bad --mode" 2
      ;;
    stager)
      if curl -s -o /dev/null "http://127.0.0.1:$mgmt_port/" 2>/dev/null; then
        fail "port $mgmt_port is already in use on this host; set CHECK_MGMT_PORT or free it"
        continue
      fi
      # A registry on loopback holding the tiny model, pushed with the plain HTTP API v2.
      src="$work/src-store"
      make_store "$src" >/dev/null
      reg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      reg="http://127.0.0.1:$reg_port"
      mkdir -p "$work/registry"
      printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
        "$work/registry" "$reg_port" >"$work/registry.yml"
      docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
      registry_pid=$!
      for _ in $(seq 1 50); do curl -fs -o /dev/null "$reg/v2/" && break; sleep 0.2; done
      push_ok=1
      for blob in "$src"/blobs/sha256-*; do
        digest=sha256:${blob##*/sha256-}
        loc=$(curl -fsS -X POST -D - -o /dev/null "$reg/v2/library/tiny/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
        [[ "$loc" == http* ]] || loc="$reg$loc"
        [[ "$loc" == *\?* ]] && sep='&' || sep='?'
        curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$blob" "$loc${sep}digest=$digest" || push_ok=0
      done
      manifest="$src/manifests/registry.ollama.ai/library/tiny/latest"
      curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
        --data-binary "@$manifest" "$reg/v2/library/tiny/manifests/latest" || push_ok=0
      [[ $push_ok -eq 1 ]] && pass "registry on 127.0.0.1:$reg_port holds library/tiny:latest" ||
        fail "could not push the tiny model to the loopback registry: $(tail -3 "$work/registry.log")"
      model="127.0.0.1:$reg_port/library/tiny:latest"

      target="$work/stager-target"
      mkdir -p "$target"
      chown "${user%%:*}" "$target"
      port_env=()
      [[ "$mgmt_port" == 9000 ]] || port_env=(-e "QUARKUS_MANAGEMENT_PORT=$mgmt_port")
      extra_mounts=(-v "$target:/models" "${port_env[@]}")
      (
        run_image 180 --models-dir /models --driver registry --insecure --models "$model" --linger "$stager_linger"
        echo "$rc" >"$work/stager.rc"
        printf '%s\n' "$out" >"$work/stager.out"
      ) &
      bg=$!
      ready=""
      for _ in $(seq 1 60); do
        # Serving during the linger: once the summary is out the run is over.
        if [[ -s "$work/stager.out" ]] || ! curl -fs -o "$work/ready.json" "http://127.0.0.1:$mgmt_port/q/health/ready"; then
          [[ -e "$work/stager.rc" ]] && break
          sleep 1
          continue
        fi
        ready=1
        # Give the run (one small model) time to finish, so that the checks below see the linger.
        for _ in $(seq 1 30); do
          curl -fs "http://127.0.0.1:$mgmt_port/q/metrics" >"$work/metrics.txt" || true
          grep -q '^stager_models{.*state="done".*} 1' "$work/metrics.txt" && break
          sleep 1
        done
        break
      done
      if [[ -n "$ready" ]]; then
        pass "/q/health/ready: $(tr -d '\n ' <"$work/ready.json" | cut -c1-80)"
        live=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mgmt_port/q/health/live")
        [[ "$live" == 200 ]] && pass "/q/health/live: 200" || fail "/q/health/live: HTTP $live"
        curl -fs "http://127.0.0.1:$mgmt_port/q/metrics" >"$work/metrics.txt" || true
        if grep -q '^stager_models{.*state="done".*} 1' "$work/metrics.txt"; then
          pass "/q/metrics while lingering: $(grep '^stager_models{.*state="done"' "$work/metrics.txt")"
        else
          fail "/q/metrics has no stager_models{state=\"done\"} 1: $(grep '^stager_' "$work/metrics.txt" | head -c 600)"
        fi
      else
        fail "stager never answered /q/health/ready on port $mgmt_port"
      fi
      wait "$bg" || true
      rc=$(cat "$work/stager.rc" 2>/dev/null || echo 124)
      out=$(cat "$work/stager.out" 2>/dev/null || true)
      expect "stager staging $model from the loopback registry (--linger $stager_linger)" 0
      staged=$(find "$target/manifests" -type f -path '*/library/tiny/latest' 2>/dev/null | head -1)
      if [[ -n "$staged" ]] && cmp -s "$staged" "$manifest"; then
        blobs_ok=1
        for blob in "$src"/blobs/sha256-*; do cmp -s "$blob" "$target/blobs/${blob##*/}" || blobs_ok=0; done
        [[ $blobs_ok -eq 1 ]] && pass "store holds ${staged#"$target"/} and its blobs, byte for byte" ||
          fail "staged blobs differ from the registry's: $(ls -l "$target/blobs")"
      else
        fail "no manifest byte for byte under $target/manifests: $(find "$target" | head -20)"
      fi
      [[ $rc -eq 0 ]] && staged_model=$model
      summary=$(grep -m1 '^{"outcome"' <<<"$out" || true)
      [[ -n "$summary" ]] && pass "summary line: $(cut -c1-100 <<<"$summary")..." || fail "no JSON summary line on stdout: $out"
      # --linger 0: these runs only check the exit code (the linger itself is checked above).
      run_image 60 --models-dir /models --linger 0 --models "$stager_bad_model"
      expect "stager with a bad model name" 2
      ro_target="$work/stager-ro-target"
      mkdir -p "$ro_target"
      extra_mounts=(-v "$ro_target:/models:ro")
      run_image 60 --models-dir /models --linger 0 --driver registry --insecure --models "$model"
      expect "stager with a read-only target" 3
      kill "$registry_pid" 2>/dev/null || true
      wait "$registry_pid" 2>/dev/null || true
      registry_pid=""
      ;;
  esac
  if [[ "$app" == verifier ]]; then
    # Kept mounted for the last check: the verifier on the store the stager wrote.
    verifier_ctr=$ctr
    verifier_ro=("${ro_mounts[@]}")
    verifier_entrypoint=("${entrypoint[@]}")
  else
    buildah umount "$ctr" >/dev/null
  fi
done

# The air-gap path end to end: what the stager image staged, the verifier image accepts.
if [[ -n "${verifier_ctr:-}" && -n "${staged_model:-}" ]]; then
  echo "== stager -> verifier"
  ctr=$verifier_ctr
  ro_mounts=("${verifier_ro[@]}")
  entrypoint=("${verifier_entrypoint[@]}")
  extra_mounts=(-v "$target:/models:ro")
  run_image 120 --models-dir /models --require "$staged_model"
  if [[ $rc -eq 0 ]]; then pass "verifier accepts the stager's store with --require $staged_model: exit 0"
  else fail "verifier on the stager's store with --require $staged_model: exit $rc, expected 0; output:"$'\n'"$out"; fi
  absent=${staged_model%/tiny:latest}/absent:latest
  run_image 120 --models-dir /models --require "$absent"
  if [[ $rc -eq 1 ]]; then pass "verifier with --require $absent (not staged): exit 1"
  else fail "verifier with --require $absent (not staged): exit $rc, expected 1; output:"$'\n'"$out"; fi
fi

echo "== $passes passed, $failures failed"
[[ $failures -eq 0 ]]
