#!/usr/bin/env bash
# Build StateSet One from REPO_DIR's committed HEAD, serve it on a free port with a fresh
# data dir, and run sweep.js (every SDK method once) against it with the SDK at SDK_DIST_DIR.
#   scripts/sdk-sweep/run.sh REPO_DIR SDK_DIST_DIR
# Env: SWEEP_KEEP=1 keeps the temp dir (server log in $tmp/server.log);
#      SWEEP_NO_RUN=1 builds and serves, prints BASE_URL/API_KEY, and waits (for poking by hand).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 REPO_DIR SDK_DIST_DIR" >&2
  exit 2
fi
repo=$(cd "$1" && pwd)
sdk=$(cd "$2" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -f "$sdk/index.js" ] || { echo "no $sdk/index.js: build the SDK first (see README.md)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdk-sweep.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ "${SWEEP_KEEP:-}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. The committed HEAD only: a half-edited working tree does not matter. One build per run;
#    the Go build cache (go env GOCACHE) is left warm.
echo "building $(git -C "$repo" rev-parse --short HEAD) in $tmp/src" >&2
mkdir -p "$tmp/src"
git -C "$repo" archive HEAD | tar -x -C "$tmp/src"
(cd "$tmp/src" && go build -o "$tmp/stateset" ./cmd/stateset)

# 2. A free port (the kernel picks one; a race with another process is possible but unlikely).
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# 3. Serve on a fresh data dir. On an empty store serve prints the admin key once on stdout.
mkdir -p "$tmp/data"
"$tmp/stateset" serve --data-dir "$tmp/data" --http-addr "127.0.0.1:$port" --rate-limit -1 \
  >"$tmp/server.out" 2>"$tmp/server.log" &
pid=$!

base="http://127.0.0.1:$port"
key=
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || { echo "server exited:" >&2; cat "$tmp/server.out" "$tmp/server.log" >&2; exit 1; }
  [ -n "$key" ] || key=$(grep -Eo 'sk_[A-Za-z0-9_]+' "$tmp/server.out" | head -1 || true)
  if [ -n "$key" ] && curl -fsS -o /dev/null "$base/ready" 2>/dev/null; then break; fi
  sleep 0.1
done
[ -n "$key" ] || { echo "no admin key printed" >&2; cat "$tmp/server.out" >&2; exit 1; }
curl -fsS -o /dev/null "$base/ready" || { echo "server not ready" >&2; tail -50 "$tmp/server.log" >&2; exit 1; }
echo "serving on $base (pid $pid)" >&2

if [ "${SWEEP_NO_RUN:-}" = 1 ]; then
  echo "BASE_URL=$base/v1 API_KEY=$key"
  wait "$pid"
  exit 0
fi

# 4. The sweep. The SDK reads proxies from the environment and ignores NO_PROXY: unset them.
rc=0
env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u STATESET_PROXY \
  BASE_URL="$base/v1" API_KEY="$key" SDK_DIST="$sdk" \
  node "$here/sweep.js" || rc=$?
exit $rc
