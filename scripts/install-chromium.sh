#!/usr/bin/env bash
# Make a Chromium available to the Playwright tests, in this order of preference:
#   1. CHROMIUM_PATH (any Chromium/Chrome binary you point at),
#   2. a chromium already on PATH,
#   3. Debian/Ubuntu's package when we are root with apt-get (works without general internet access),
#   4. Playwright's own download (needs internet).
set -euo pipefail
BIN="${1:-.venv/bin}"

if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  [[ -x "$CHROMIUM_PATH" ]] || { echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  exit 0
fi
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  exit 0
fi
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium (about a minute)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  exit 0
fi
echo "Installing Playwright's Chromium..."
"$BIN/playwright" install chromium
