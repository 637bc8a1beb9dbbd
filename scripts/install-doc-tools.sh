#!/usr/bin/env bash
# The command-line tools the workshop's chapters use and the docs tests run: curl and jq.
# Debian's packages when we are root with apt-get (works without general internet access).
set -euo pipefail
missing=()
for tool in curl jq; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]}..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "The docs tests need ${missing[*]}: install them with your package manager." >&2
exit 1
