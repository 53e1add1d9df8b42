#!/usr/bin/env bash
# Takeover series: kills the leading coordinator N times with SIGKILL (straight from the shell: `./dtx kill`
# first starts a JVM, which on a busy machine adds a second or more before the kill), brings it back with
# `./dtx start`, and writes each kill's time to $DTX_DATA_DIR/takeover.tsv. Then run takeover-times.py.
# Needs a cluster from `./dtx up` (default ports) and DTX_DATA_DIR as `up` had it; run a load beside it, e.g.
# `./dtx bench orders --concurrency 4 --duration 15m --no-seed`, so that each kill leaves transactions in doubt.
# Usage: bench/scripts/takeover-series.sh [N]   (default 20)
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
: "${DTX_DATA_DIR:?set DTX_DATA_DIR to the data directory of the cluster}"
export DTX_DATA_DIR
n=${1:-20}
out="$DTX_DATA_DIR/takeover.tsv"; : > "$out"
leader_of() { curl -s -m 2 "localhost:$1/cluster" | python3 -c 'import sys,json;print(json.load(sys.stdin).get("leader") or "")' 2>/dev/null; }
leader() { for p in 8091 8092 8093; do l=$(leader_of $p); [ -n "$l" ] && { echo "$l"; return; }; done; }
for i in $(seq 1 "$n"); do
  l=$(leader)
  while [ -z "$l" ]; do sleep 0.5; l=$(leader); done
  port=$((8090 + ${l##*-}))
  pid=$(ss -ltnp | grep ":$port " | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  t=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
  kill -9 "$pid"
  echo -e "$i\t$l\t$t" >> "$out"
  echo "kill $i: $l (pid $pid) at $t"
  sleep 3 # the survivors elect meanwhile; then the victim comes back from its files
  ./dtx start "$l" >/dev/null 2>&1 || echo "start $l failed"
  sleep 5
done
