#!/usr/bin/env bash
# The Dockerfile's steps, done in a clean directory where no container engine can run (CI on this machine):
# copy the repository (what .dockerignore lets into the build), `npm ci` (which builds dist/), prune to the
# production dependencies, drop src/ and test/ as the runtime image does, then run as an unprivileged user exactly
# what the image runs: a CLI from dist/ (migrate), then `node scripts/run.mjs main/main` in production mode.
# Checks: no tsx or typescript in node_modules, /readyz 200, one billed read (test/smoke/production-probe.mjs),
# a clean exit 0 on SIGTERM. Uses this machine's PostgreSQL (a fresh database, dropped afterwards) and Redis.
#   test/smoke/production-install.sh        (README "Building"; .ci/run runs it)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
base_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
t0=$(date +%s)
work="$(mktemp -d /tmp/kc-prod-install-XXXXXX)"
db="kc_prodinstall_$(date +%s)_$$"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
  psql "$base_url" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "production install: FAILED: $*" >&2; [ -f "$work/server.err" ] && tail -5 "$work/server.err" >&2; exit 1; }

# 1. The build context: tracked and new files, not what .gitignore (and so .dockerignore) leaves out.
app="$work/app"
mkdir -p "$app"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$app" 2>/dev/null) ||
  fail "copy"
rm -rf "$app/dist"
# 2. The build stage: every dependency, then the build (prepare).
(cd "$app" && npm ci --no-audit --no-fund --prefer-offline >"$work/npm-ci.log" 2>&1) || { tail -20 "$work/npm-ci.log"; fail "npm ci"; }
[ -f "$app/dist/main/main.js" ] || fail "npm ci did not build dist/"
[ -f "$app/console/dist/index.html" ] || fail "npm ci did not build console/dist/"
# 3. The runtime stage: production dependencies only, no sources.
(cd "$app" && npm prune --omit=dev --no-audit --no-fund >"$work/npm-prune.log" 2>&1) || { tail -20 "$work/npm-prune.log"; fail "npm prune"; }
for dev in tsx typescript vitest vite; do [ ! -e "$app/node_modules/$dev" ] || fail "$dev is still installed"; done
rm -rf "$app/src" "$app/test"

# 4. An unprivileged user, as the image's USER node (root only here; anyone else already is one).
run_as=()
data="$work/data"
mkdir -p "$data"
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  chown -R nobody "$data"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
psql "$base_url" -qc "create database $db" >/dev/null || fail "create database"
db_url="${base_url%/*}/$db"
secret() { node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))'; }
admin_token="adm_$(secret)"
port=$((20000 + RANDOM % 20000))
envs=(env -i "PATH=$PATH" "HOME=$data" NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 "DATABASE_URL=$db_url" "REDIS_URL=$redis_url"
  "DATA_DIR=$data" HOST=127.0.0.1 "PORT=$port" LOG_FORMAT=json LOG_LEVEL=info DEMO_PRODUCTS=5
  SHUTDOWN_DRAIN_MS=500 "ADMIN_TOKEN=$admin_token" "JWT_KEYS=k1:$(secret)" "IMAGE_URL_KEYS=u1:$(secret)"
  "IMAGE_MARK_KEYS=m1:$(secret)" "WEBHOOK_SECRET_KEYS=w1:$(secret)")

# 5. A CLI from dist/, then the server, as the image's CMD runs it.
(cd "$app" && "${run_as[@]}" "${envs[@]}" node scripts/run.mjs main/cli/migrate.cli >"$work/migrate.out" 2>&1) ||
  { cat "$work/migrate.out"; fail "migrate CLI from dist/"; }
(cd "$app" && exec "${run_as[@]}" "${envs[@]}" node scripts/run.mjs main/main >"$work/server.out" 2>"$work/server.err") &
server_pid=$!
node "$repo/test/smoke/production-probe.mjs" "http://127.0.0.1:$port" "$admin_token" || fail "probe"
grep -q '"msg":"listening"' "$work/server.out" || fail "no listening line"
curl -fsS -o /dev/null "http://127.0.0.1:$port/console" || fail "the console is not served from the build stage's bundle"
if grep -q "tsx" /proc/"$(pgrep -P "$server_pid" node 2>/dev/null || echo "$server_pid")"/cmdline 2>/dev/null; then
  fail "the server runs with tsx"
fi
kill -TERM "$server_pid"
code=0
for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server_pid" 2>/dev/null && fail "no exit within 30 s of SIGTERM"
wait "$server_pid" || code=$?
server_pid=""
[ "$code" = 0 ] || fail "exit code $code on SIGTERM"
echo "production install: npm ci, build, prune (no tsx/typescript), no src/, as $([ ${#run_as[@]} -gt 0 ] && echo nobody || id -un): migrate from dist/, /readyz, billed read, clean stop: ok in $(( $(date +%s) - t0 )) s"
