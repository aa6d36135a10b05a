#!/usr/bin/env bash
# Installs what the report's browser check needs: Debian's chromium (when /usr/bin/chromium is
# missing; apt-get update once, then apt-get install) and the npm packages of report-check/
# (npm ci, from package-lock.json). Idempotent; says why when it fails.
set -euo pipefail
cd "$(dirname "$0")"
log() { printf 'report-check: %s\n' "$*" >&2; }
die() { printf 'report-check: ERROR: %s\n' "$*" >&2; exit 1; }

if [ -x "${PGPROP_CHROMIUM:-/usr/bin/chromium}" ]; then
  log "chromium present: $("${PGPROP_CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -n1)"
else
  command -v apt-get >/dev/null 2>&1 || die "no /usr/bin/chromium and no apt-get: install Chromium and set PGPROP_CHROMIUM to its binary"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "no /usr/bin/chromium, and installing Debian's chromium needs root or sudo"
    sudo="sudo -E"
  fi
  log "installing Debian's chromium for the browser check"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || die "apt-get update failed: check the network and /etc/apt/sources.list"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || die "apt-get install chromium failed (the package is in Debian main; Ubuntu ships it only as a snap, which this check cannot use: set PGPROP_CHROMIUM)"
  [ -x /usr/bin/chromium ] || die "chromium was installed but /usr/bin/chromium is missing"
  log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
fi

command -v npm >/dev/null 2>&1 || die "npm not found: the browser check needs Node 20 or newer and npm"
npm ci --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci in report-check/ failed (is the npm registry reachable?)"
log "npm packages installed (playwright-core, pngjs)"
