#!/usr/bin/env bash
# Runs `npm ci` only when node_modules was not installed from this exact package-lock.json by this Node ABI.
# A successful install records a hash of both in node_modules/.gatehouse-lock-hash; a match skips the
# reinstall (3+ minutes, and it breaks a CLI running from this checkout meanwhile). node_modules may be a
# symlink to a shared install: the stamp lives inside whatever it points at.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

stamp=node_modules/.gatehouse-lock-hash
wanted="$( (cat package-lock.json; node -p 'process.versions.modules') | sha256sum | cut -d' ' -f1)"

if [ -d node_modules ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "node_modules matches package-lock.json; skipping npm ci"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$wanted" > "$stamp"
