#!/usr/bin/env bash
# Generates a synthetic Ollama store with shell tools only (openssl for fast pseudo-random bytes
# and digests). Sourced by bench/verifier-bench.sh and scripts/demo-verifier.sh.
#
#   gen_blob STORE SIZE_BYTES SEED   -> prints the hex digest; writes STORE/blobs/sha256-<hex>
#   gen_text_blob STORE TEXT         -> same for a small text blob
#   gen_manifest STORE NAME_PATH CONFIG_HEX LAYER_HEX...  (NAME_PATH = host/namespace/model/tag)

gen_blob() {
  local store=$1 size=$2 seed=$3 tmp hex
  mkdir -p "$store/blobs"
  tmp=$(mktemp "$store/.gen.XXXXXX")
  # AES-CTR over zeros: deterministic per seed and much faster than /dev/urandom.
  openssl enc -aes-128-ctr -nosalt -pbkdf2 -pass "pass:seed-$seed" </dev/zero 2>/dev/null \
    | head -c "$size" >"$tmp"
  hex=$(openssl dgst -sha256 -r "$tmp" | cut -c1-64)
  mv "$tmp" "$store/blobs/sha256-$hex"
  echo "$hex"
}

gen_text_blob() {
  local store=$1 text=$2 hex
  mkdir -p "$store/blobs"
  hex=$(printf '%s' "$text" | openssl dgst -sha256 -r | cut -c1-64)
  printf '%s' "$text" >"$store/blobs/sha256-$hex"
  echo "$hex"
}

gen_manifest() {
  local store=$1 name=$2 config=$3
  shift 3
  local dir="$store/manifests/$(dirname "$name")" layers="" hex size sep=""
  mkdir -p "$dir"
  for hex in "$@"; do
    size=$(stat -c %s "$store/blobs/sha256-$hex")
    layers+="$sep{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"sha256:$hex\",\"size\":$size}"
    sep=","
  done
  size=$(stat -c %s "$store/blobs/sha256-$config")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$config" "$size" "$layers" >"$store/manifests/$name"
}
