#!/usr/bin/env bash
# Puts the programs the -Ptools tests need on this machine, from Debian's packages: chromium and
# chromium-driver (the dashboard's browser tests drive /usr/bin/chromium headless through
# /usr/bin/chromedriver) and prometheus (for promtool, which checks the hub's /metrics and the
# alert rules under deploy/prometheus), curl (the README's examples are run as written), and node
# with npm, which install the A2A client and server of deploy/test-tools/a2a (pinned by its
# package-lock.json) that the A2A interop tests run from outside the JVM. Safe
# to run again; needs root (CI and dev machines run as
# root). Nothing here downloads a browser of its own.
set -euo pipefail

if [ "$(id -u)" != "0" ]; then
  echo "install.sh: run as root (it installs Debian packages)" >&2
  exit 1
fi
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
chromium --version
chromedriver --version
promtool --version 2>&1 | head -1
curl --version | head -1
node --version
# exactly the versions in the lock file; nothing else is fetched
npm ci --prefix "$(dirname "${BASH_SOURCE[0]}")/a2a" --no-audit --no-fund --loglevel=error
