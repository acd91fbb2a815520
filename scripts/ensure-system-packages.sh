#!/usr/bin/env bash
# Debian packages the tests and `npm run observability` need, one line each:
# the command that must be on PATH, then the package that provides it (chromium
# runs the end-to-end tests: Playwright drives Debian's build, since `npx
# playwright install` cannot download one here). Installed when missing and
# running as root; otherwise say what is missing.
set -euo pipefail
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)                              # promtool, prometheus
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)  # amtool too
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "missing Debian packages: ${missing[*]} (run: sudo apt-get install -y --no-install-recommends ${missing[*]})" >&2
  exit 1
fi
