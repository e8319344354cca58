#!/usr/bin/env bash
# Runs every test on a fresh clone, installing what it needs: Debian's chromium for the browser journeys,
# the npm dependencies (skipped when node_modules already matches the lockfile), then type-check, lint and
# the node:test suites.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: /usr/bin/chromium is missing and cannot be installed here; browser tests will be skipped" >&2
  fi
fi

bash scripts/install-if-changed.sh
npm run typecheck
npm run lint
node scripts/run-tests.mjs "$@"
