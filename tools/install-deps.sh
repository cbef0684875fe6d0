#!/usr/bin/env bash
# install-deps.sh: installs bisearch's build and test dependencies from
# Debian's packages (Debian 12). Safe to re-run; skips apt when all are there.
# With PACKAGE arguments it installs those instead (install-bench-deps.sh).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libxapian-dev xapian-tools
  libicu-dev libcli11-dev nlohmann-json3-dev libgtest-dev
  libpoppler-cpp-dev libxml2-dev libzip-dev libgsf-1-dev zlib1g-dev libzstd-dev
  libmicrohttpd-dev
  poppler-utils
)
[ $# -gt 0 ] && packages=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
