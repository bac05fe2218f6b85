#!/usr/bin/env bash
# Installs the Debian 12 packages Gatehouse builds and tests with, if any is missing.
# Idempotent and quiet when everything is present; used by quickstart.sh and tests/run.sh.
set -euo pipefail

packages=(
  cmake make g++ pkgconf
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libcpp-httplib-dev nlohmann-json3-dev
  libsqlitecpp-dev libsqlite3-dev
  libcli11-dev libtomlplusplus-dev libspdlog-dev libssl-dev libcurl4-openssl-dev
  libgoogle-perftools-dev
  libgtest-dev libgmock-dev
  curl openssl procps python3-aiosmtpd
  systemd dpkg-dev
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing missing packages: ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: run as root or install sudo" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
