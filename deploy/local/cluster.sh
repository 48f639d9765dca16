#!/usr/bin/env bash
# ./hive cluster: a hive of three nodes on this machine, on one PostgreSQL (docs/cluster.md).
# Each node gets its own HTTP, management and remoting port; they find each other through
# Cluster Bootstrap with the management endpoints listed (discovery "config"). Ctrl-C (or
# SIGTERM) stops every node cleanly. Logs and per-node data are under data/cluster/.
#   HIVE_CLUSTER_NODES   how many nodes (default 3)
#   HIVE_DB_URL          a PostgreSQL to use (default: a local one, database hive_cluster, that
#                        deploy/postgres/local-test-db.sh installs and starts; needs root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/hive-server/target/hive.jar"
nodes="${HIVE_CLUSTER_NODES:-3}"
dir="$root/data/cluster"
mkdir -p "$dir"

if [ -z "${HIVE_DB_URL:-}" ]; then
  HIVE_LOCAL_DB=hive_cluster bash "$root/deploy/postgres/local-test-db.sh"
  export HIVE_DB_URL="jdbc:postgresql://127.0.0.1:5432/hive_cluster"
  export HIVE_DB_USER="${HIVE_DB_USER:-hive}" HIVE_DB_PASSWORD="${HIVE_DB_PASSWORD:-hive}"
fi

points=""
for i in $(seq 1 "$nodes"); do
  points="${points:+$points,}127.0.0.1:$((8557 + i))"
done

pids=()
stop() { # $1: the exit code (0 when asked to stop, 1 when a node failed to start)
  trap - INT TERM
  echo "Stopping ${#pids[@]} nodes..." >&2
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  echo "All nodes stopped." >&2
  exit "${1:-0}"
}
trap stop INT TERM

for i in $(seq 1 "$nodes"); do
  HIVE_DB=postgres HIVE_DISCOVERY=config HIVE_CONTACT_POINTS="$points" \
    HIVE_REQUIRED_CONTACT_POINTS="$(( nodes < 2 ? 1 : 2 ))" \
    HIVE_HTTP_PORT=$((8079 + i)) HIVE_MANAGEMENT_PORT=$((8557 + i)) \
    HIVE_REMOTE_PORT=$((25519 + i)) HIVE_DATA_DIR="$dir/node-$i" \
    HIVE_SIGNING_KEY_FILE="$dir/signing-key.jwk" HIVE_ADMIN_KEY_FILE="$dir/admin.key" \
    HIVE_MASTER_KEY_FILE="$dir/master.key" \
    java ${HIVE_JAVA_OPTS:--Xmx512m} -Dconfig.file="$root/application.conf" -jar "$jar" serve \
    > "$dir/node-$i.log" 2>&1 &
  pids+=($!)
done

for i in $(seq 1 "$nodes"); do
  until grep -q "ready on" "$dir/node-$i.log" 2>/dev/null; do
    if ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; then
      echo "Node $i stopped while starting; its log, $dir/node-$i.log, ends:" >&2
      tail -5 "$dir/node-$i.log" >&2
      stop 1
    fi
    sleep 0.5
  done
  echo "node $i: http://127.0.0.1:$((8079 + i))  (management http://127.0.0.1:$((8557 + i)),"\
    "log $dir/node-$i.log)"
done
echo "Admin key: $dir/admin.key. Ctrl-C stops every node."
wait
