#!/usr/bin/env bash
# Runs the start-up smoke (test/smoke/smoke.ts) on Node 22 from the registry's `node` package (npm exec caches
# it), with this checkout's node_modules: the same install must work on 22 (README "Node versions").
# NODE_MAJOR=24 test/smoke/node22.sh tries another major the same way.
set -euo pipefail
cd "$(dirname "$0")/../.."
major="${NODE_MAJOR:-22}"
node_bin="$(npm exec --yes --package="node@${major}" -- node -p process.execPath)"
case "$("$node_bin" -v)" in
  "v${major}."*) ;;
  *) echo "smoke: npm exec gave $("$node_bin" -v) at $node_bin, not Node ${major}" >&2; exit 1 ;;
esac
exec node --import tsx test/smoke/smoke.ts "$node_bin"
