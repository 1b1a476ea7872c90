#!/usr/bin/env bash
# Smoke-tests the production bundles: builds each service the way its
# Dockerfile does (`pnpm build`, then `pnpm deploy --legacy --prod` into a
# folder of its own), starts it with `node dist/main.js` on the embedded
# adapters, waits for GET /health/ready to answer 200, sends SIGTERM and
# expects exit code 0. Catches what source-mode tests cannot: a runtime
# dependency left in devDependencies, a file missing from `files`, a
# native module that did not install, a shutdown that hangs.
#
# Usage: bash scripts/smoke-bundle.sh [api] [worker]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly READY_TIMEOUT_S=60
readonly STOP_TIMEOUT_S=40

services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=(api worker)

work="$(mktemp -d "${TMPDIR:-/tmp}/smoke-bundle.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf 'smoke-bundle: %s\n' "$*"; }

fail() {
  log "FAILED: $1"
  [[ -f "${2:-}" ]] && { log "--- last lines of $2"; tail -n 40 "$2"; }
  exit 1
}

free_port() {
  node -e "const s = require('node:net').createServer()
    s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"
}

# Prints the HTTP status of a GET, or 000 when nothing answers.
status_of() {
  node -e "fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
    .then((r) => console.log(r.status), () => console.log('000'))" "$1"
}

alive() { kill -0 "$1" 2>/dev/null; }

smoke() {
  local service=$1
  local bundle="$work/$service" data="$work/$service-data"
  local output="$work/$service.log" deploy_log="$work/$service-deploy.log"

  log "$service: deploying the production bundle"
  pnpm --filter "@invoice-jobs/$service" deploy --legacy --prod "$bundle" \
    >"$deploy_log" 2>&1 || fail "$service: pnpm deploy" "$deploy_log"
  [[ -f "$bundle/dist/main.js" ]] || fail "$service: no dist/main.js"
  find "$bundle/node_modules/.pnpm" -path '*dejavu-fonts-ttf/ttf/DejaVuSans.ttf' \
    | grep -q . || fail "$service: the DejaVu font is not in the bundle"

  local port health_port url
  port="$(free_port)"
  health_port="$(free_port)"
  if [[ $service == api ]]; then
    url="http://127.0.0.1:$port/health/ready"
  else
    url="http://127.0.0.1:$health_port/health/ready"
  fi
  mkdir -p "$data"

  # A clean environment: a developer's own settings must not leak in, and
  # the defaults must be enough to run on the embedded adapters.
  log "$service: starting node dist/main.js"
  (cd "$bundle" && exec env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
    NODE_ENV=production DATA_DIR="$data" HOST=127.0.0.1 PORT="$port" \
    HEALTH_HOST=127.0.0.1 HEALTH_PORT="$health_port" \
    node dist/main.js) >"$output" 2>&1 &
  local pid=$!
  pids+=("$pid")

  local waited=0 status=000
  until [[ $status == 200 ]]; do
    alive "$pid" || fail "$service: exited before it was ready" "$output"
    ((waited < READY_TIMEOUT_S * 2)) ||
      fail "$service: $url not 200 within ${READY_TIMEOUT_S}s" "$output"
    sleep 0.5
    waited=$((waited + 1))
    status="$(status_of "$url")"
  done
  log "$service: $url answered 200"

  kill -TERM "$pid"
  waited=0
  while alive "$pid"; do
    ((waited < STOP_TIMEOUT_S * 2)) ||
      fail "$service: still running ${STOP_TIMEOUT_S}s after SIGTERM" "$output"
    sleep 0.5
    waited=$((waited + 1))
  done
  local code=0
  wait "$pid" || code=$?
  [[ $code == 0 ]] || fail "$service: exit code $code after SIGTERM" "$output"
  log "$service: stopped cleanly on SIGTERM"
}

log "building the workspace"
pnpm build >"$work/build.log" 2>&1 || fail "pnpm build" "$work/build.log"

for service in "${services[@]}"; do
  case $service in
    api | worker) smoke "$service" ;;
    *) fail "unknown service: $service (expected api or worker)" ;;
  esac
done
log "all bundles started, answered ready and stopped cleanly"
