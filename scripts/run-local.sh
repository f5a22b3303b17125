#!/usr/bin/env bash
# Starts the embedded local cluster: one tracker and the storages of group1 on 127.0.0.1, data under $1.
# Writes the configs it uses to $1/conf; Ctrl-C stops every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DATA=$(mkdir -p "${1:-$ROOT/data}" && cd "${1:-$ROOT/data}" && pwd)
CONF="$DATA/conf"
mkdir -p "$CONF" "$DATA/tracker" "$DATA/storage1" "$DATA/storage2" "$DATA/logs"

cat > "$CONF/storage_ids.conf" <<IDS
# id     group   host:port
100001   group1  127.0.0.1:23000
100002   group1  127.0.0.1:23001
IDS

cat > "$CONF/tracker.conf" <<TRK
port = 22122
http_port = 8080
bind_addr = 127.0.0.1
base_path = $DATA/tracker
store_lookup = 0
reserved_storage_space = 10%
use_storage_id = true
storage_ids_filename = $CONF/storage_ids.conf
id_type_in_filename = id
check_active_interval = 30
TRK

storage_conf() { # n port http_port id
  cat > "$CONF/storage$1.conf" <<STO
group_name = group1
bind_addr = 127.0.0.1
port = $2
http_port = $3
server_id = $4
base_path = $DATA/storage$1
store_path_count = 1
store_path0 = $DATA/storage$1
tracker_server = 127.0.0.1:22122
heart_beat_interval = 5
stat_report_interval = 10
STO
}
storage_conf 1 23000 8888 100001
storage_conf 2 23001 8889 100002

cat > "$CONF/client.conf" <<CLI
tracker_server = 127.0.0.1:22122
use_storage_id = true
storage_ids_filename = $CONF/storage_ids.conf
network_timeout = 30
CLI

TRACKER_OPTS=$(scripts/jvm-opts tracker)
STORAGE_OPTS=$(scripts/jvm-opts storage)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} # glibc: 2 malloc arenas, not 8 per core (RSS)
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping kfdfs (pids ${pids[*]:-none})"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
# Ctrl-C or kill: stop the pods and end here (not on to "a kfdfs process exited" below)
trap 'stop; exit 130' INT TERM
trap stop EXIT

TRACKER_CP=$(scripts/pod-classpath tracker-pod)
STORAGE_CP=$(scripts/pod-classpath storage-pod)
java $TRACKER_OPTS -cp "$TRACKER_CP" io.kfdfs.tracker.TrackerMain --conf "$CONF/tracker.conf" >"$DATA/logs/tracker.log" 2>&1 &
pids+=($!)
sleep 1
for n in 1 2; do
  java $STORAGE_OPTS -cp "$STORAGE_CP" io.kfdfs.storage.StorageMain --conf "$CONF/storage$n.conf" >"$DATA/logs/storage$n.log" 2>&1 &
  pids+=($!)
done

cat <<MSG
kfdfs is running (logs in $DATA/logs):
  tracker   127.0.0.1:22122   conf $CONF/tracker.conf
  storage1  127.0.0.1:23000   conf $CONF/storage1.conf   (group1, storage id 100001, HTTP 8888)
  storage2  127.0.0.1:23001   conf $CONF/storage2.conf   (group1, storage id 100002, HTTP 8889; a replica of storage1)
client config: $CONF/client.conf
$(cat "$CONF/client.conf" | sed 's/^/    /')
Try (any FastDFS 6.x client works too, e.g. fdfs_upload_file $CONF/client.conf some.file):
  ./bin/fdfs --conf $CONF/client.conf upload some.file
  ./bin/fdfs --conf $CONF/client.conf monitor
  ./bin/fdfs --conf $CONF/client.conf retire 100002     (takes storage2 out of the group, no file lost)
Press Ctrl-C to stop.
MSG
# a retired storage ends with status 0 and the others carry on; any other exit stops everything
while wait -n "${pids[@]}"; do
  alive=(); for p in "${pids[@]}"; do if kill -0 "$p" 2>/dev/null; then alive+=("$p"); fi; done
  [ ${#alive[@]} -gt 0 ] || break
  pids=("${alive[@]}")
done
echo "a kfdfs process exited; see $DATA/logs"
