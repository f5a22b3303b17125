#!/usr/bin/env bash
# `make bench`: starts a fresh local cluster (1 tracker + 1 storage on 127.0.0.1, or a group of REPLICAS=2,
# its own ports and data directory, the pod JVM options of scripts/pod-jvm-opts), runs `fdfs bench` over the matrix of sizes and
# concurrencies, writes the Markdown table to bench-results.md (and prints it) with a second one of the CPU
# time each program (client, storage, tracker) spent per operation, records the storage's peak RSS (VmHWM)
# during 16 MiB x 8, and stops every process it started.
#
# QUICK=1: a one-minute smoke run (fewer files, one run per cell, concurrency 8 only).
# Environment: BENCH_DATA (default ./bench-data, emptied first), BENCH_PORT_BASE (default 22300: tracker
# on it, storage on +1, their HTTP ports +2 and +3, a second storage on +4 and +5), BENCH_OUT (default
# bench-results.md), COUNT (files per run of every size; default by size, a second or more per phase), REPLICAS (1 or 2: the group's storages, replicating each other; default 1), RUNS,
# CONCURRENCY, SIZES, JAVA_OPTS (pods), TRACKER_JAVA_OPTS / STORAGE_JAVA_OPTS (added for one pod, e.g. a
# profiler; STORAGE2_JAVA_OPTS for the second storage, default STORAGE_JAVA_OPTS), BENCH_JAVA_OPTS (the bench client) and WARMUP_FILES (the unrecorded warm-up, default 20000 files
# of the first size), BENCH_SINGLE (the results of a single-storage run, BENCH_OUT's .jsonl twin: adds a
# column of this run's throughput against it, cell by cell).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
command -v jq >/dev/null || { echo "make bench needs jq (apt-get install jq)" >&2; exit 1; }

DATA=${BENCH_DATA:-$ROOT/bench-data}
OUT=${BENCH_OUT:-$ROOT/bench-results.md}
BASE=${BENCH_PORT_BASE:-22300}
TRACKER_PORT=$BASE STORAGE_PORT=$((BASE + 1))
if [ -n "${QUICK:-}" ]; then
  RUNS=${RUNS:-1} CONCURRENCY=${CONCURRENCY:-8}
else
  RUNS=${RUNS:-3} CONCURRENCY=${CONCURRENCY:-1 8 32}
fi
SIZES=${SIZES:-4K 64K 1M 16M}
REPLICAS=${REPLICAS:-1}
case $REPLICAS in 1 | 2) ;; *) echo "REPLICAS must be 1 or 2" >&2; exit 1 ;; esac
bytes() { # 4K -> 4096
  case $1 in *K) echo $((${1%K} << 10)) ;; *M) echo $((${1%M} << 20)) ;; *) echo "$1" ;; esac
}
# files per run: each phase of a cell lasts about a second or more at the C server's speed
count() {
  local n
  if [ -n "${COUNT:-}" ]; then echo "$COUNT"; return; fi
  case $1 in 4K) n=6000 ;; 64K) n=4000 ;; 1M) n=600 ;; 16M) n=48 ;; *) n=200 ;; esac
  if [ -n "${QUICK:-}" ]; then n=$((n / 5)); fi
  echo "$n"
}

# A fresh cluster, but the storage's 256x256 data directories of an earlier run are kept (files removed):
# on ext4 without a journal, inodes freed in the last seconds are skipped one by one when a file is
# created, so removing 65536 directories just before the run makes every create (and the storage's
# first start, creating them again) crawl for half a minute.
if [ -d "$DATA/storage/data/00/00" ]; then
  find "$DATA" -mindepth 1 -maxdepth 1 ! -name 'storage*' -exec rm -rf {} +
  for d in "$DATA"/storage*; do
    find "$d" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +
    if [ -d "$d/data" ]; then find "$d/data" -type f -delete; fi
  done
else
  rm -rf "$DATA"
fi
mkdir -p "$DATA/conf" "$DATA/tracker" "$DATA/storage" "$DATA/storage2" "$DATA/logs"
DATA=$(cd "$DATA" && pwd)

cat > "$DATA/conf/tracker.conf" <<TRK
port = $TRACKER_PORT
http_port = $((BASE + 2))
bind_addr = 127.0.0.1
base_path = $DATA/tracker
store_lookup = 0
reserved_storage_space = 1%
TRK
if [ "$REPLICAS" = 2 ]; then
  # two storages on one IP are told apart by storage IDs
  cat >> "$DATA/conf/tracker.conf" <<TRK
use_storage_id = true
id_type_in_filename = id
storage_ids_filename = $DATA/conf/storage_ids.conf
TRK
  printf '100001 group1 127.0.0.1:%s\n100002 group1 127.0.0.1:%s\n' "$STORAGE_PORT" "$((BASE + 4))" \
    > "$DATA/conf/storage_ids.conf"
fi
# FastDFS's default durability: no fsync of data files nor of the binlog (written through to the OS).
storage_conf() { # base port http_port
  cat <<STO
group_name = group1
bind_addr = 127.0.0.1
port = $2
http_port = $3
base_path = $1
store_path_count = 1
store_path0 = $1
tracker_server = 127.0.0.1:$TRACKER_PORT
heart_beat_interval = 5
stat_report_interval = 10
fsync_after_written_bytes = 0
binlog_fsync = false
STO
}
storage_conf "$DATA/storage" "$STORAGE_PORT" "$((BASE + 3))" > "$DATA/conf/storage.conf"
storage_conf "$DATA/storage2" "$((BASE + 4))" "$((BASE + 5))" > "$DATA/conf/storage2.conf"

# calibration, on the quiet machine before the cluster starts: raw loopback round trips per second
calibration="n/a (no gcc)"
if command -v gcc >/dev/null; then
  gcc -O2 -pthread -o "$DATA/loopback-calibration" scripts/loopback-calibration.c
  calibration="$("$DATA/loopback-calibration" 8) round trips/s"
fi
# and the same operations as fdfs bench in minimal C (scripts/pattern-calibration.c), per size at
# concurrency 8, in the data's file system: what any server could at best do here, to set the C FastDFS
# figures (measured elsewhere) against
declare -A pattern
if command -v gcc >/dev/null; then
  gcc -O2 -pthread -o "$DATA/pattern-calibration" scripts/pattern-calibration.c
  for size in $SIZES; do
    rm -rf "$DATA/pattern" && mkdir -p "$DATA/pattern"
    pattern[$size]=$("$DATA/pattern-calibration" 8 2 "$(bytes "$size")" "$DATA/pattern")
  done
  rm -rf "$DATA/pattern"
fi

TRACKER_OPTS=$(scripts/jvm-opts tracker)
STORAGE_OPTS=$(scripts/jvm-opts storage)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} # glibc: 2 malloc arenas, not 8 per core (RSS)
pids=()
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

# shellcheck disable=SC2086 # option lists
java $TRACKER_OPTS ${TRACKER_JAVA_OPTS:-} -cp "$(scripts/pod-classpath tracker-pod)" io.kfdfs.tracker.TrackerMain --conf "$DATA/conf/tracker.conf" \
  >"$DATA/logs/tracker.log" 2>&1 &
pids+=($!)
TRACKER_PID=$!
# shellcheck disable=SC2086
java $STORAGE_OPTS ${STORAGE_JAVA_OPTS:-} -cp "$(scripts/pod-classpath storage-pod)" io.kfdfs.storage.StorageMain --conf "$DATA/conf/storage.conf" \
  >"$DATA/logs/storage.log" 2>&1 &
pids+=($!)
STORAGE_PID=$!
if [ "$REPLICAS" = 2 ]; then
  # shellcheck disable=SC2086
  java $STORAGE_OPTS ${STORAGE2_JAVA_OPTS-${STORAGE_JAVA_OPTS:-}} -cp "$(scripts/pod-classpath storage-pod)" io.kfdfs.storage.StorageMain \
    --conf "$DATA/conf/storage2.conf" >"$DATA/logs/storage2.log" 2>&1 &
  pids+=($!)
  STORAGE2_PID=$!
fi
# CPU time per operation of each program in the loop (fdfs bench reads /proc)
cpu_of="tracker=$TRACKER_PID,storage=$STORAGE_PID${STORAGE2_PID:+,storage2=$STORAGE2_PID}"

# One client JVM runs the whole matrix, warm-up first (as a long-running client is warm): a fresh JVM per
# cell compiled its hot paths inside the measured runs (4 KiB x 8 uploads: client CPU ~120 us per operation
# with C2 compiling, ~63 with C1, ~45 with C2 warm). BENCH_JAVA_OPTS replaces its options.
CLIENT_OPTS=${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}
export JAVA_OPTS=$CLIENT_OPTS
fdfs() { "$ROOT/bin/fdfs" --tracker "127.0.0.1:$TRACKER_PORT" "$@"; }

active() { fdfs monitor 2>/dev/null | grep -c ' ACTIVE ' || true; }
echo "waiting for $REPLICAS storage(s) to be ACTIVE (logs in $DATA/logs) ..."
for _ in $(seq 120); do
  if [ "$(active)" -ge "$REPLICAS" ]; then break; fi
  kill -0 "${pids[@]}" || { echo "a pod exited; see $DATA/logs" >&2; exit 1; }
  sleep 1
done
[ "$(active)" -ge "$REPLICAS" ] || { echo "the storages did not become ACTIVE; see $DATA/logs" >&2; exit 1; }

# Counts and sizes as fdfs bench lists; results one JSON line per cell (size, then concurrency), each with
# the peak RSS of every process during that cell (fdfs bench starts the peaks afresh per cell).
list() { local IFS=,; echo "$*"; }
counts=()
for size in $SIZES; do counts+=("$(count "$size")"); done
# A long-running server and client are warm: one unrecorded round of small files first, so the first cells
# do not pay for JIT compilation (the tracker's C2 takes a few seconds of a core).
echo "bench: sizes $SIZES x concurrency $CONCURRENCY, $RUNS run(s) per cell, after a warm-up of ${WARMUP_FILES:=20000} files ..."
results=$DATA/results.jsonl
# shellcheck disable=SC2086 # word lists
# A group of two: each download and delete phase starts once the replica holds every file uploaded (--settle),
# so it does not pay for the upload phase's replication backlog; how long that took is listed below the table.
# shellcheck disable=SC2046
fdfs bench --size "$(list $SIZES)" --count "$(list "${counts[@]}")" --concurrency "$(list $CONCURRENCY)" \
  --runs "$RUNS" --warmup "$WARMUP_FILES" --cpu-of "$cpu_of" $([ "$REPLICAS" = 2 ] && echo --settle) --json |
  jq -c '. + {label: (if .size % 1048576 == 0 then "\(.size / 1048576)M" elif .size % 1024 == 0 then "\(.size / 1024)K" else "\(.size)" end)}' \
    > "$results"
cp "$results" "${OUT%.md}.jsonl"
rss_16m_8=$(jq -r 'select(.label == "16M" and .concurrency == 8) | .peak_rss_mib.storage' "$results")
storage_hwm=$(jq -s 'map(.peak_rss_mib.storage) | max' "$results")
tracker_hwm=$(jq -s 'map(.peak_rss_mib.tracker) | max' "$results")

# The C FastDFS 6.16.1 on this machine class at concurrency 8 (ops/s for 4K and 64K, MiB/s for 1M and 16M
# up/download, ops/s for deletes), to compare with.
c_target() { # size phase
  case "$1/$2" in
    4K/upload) echo "12983 ops" ;; 4K/download) echo "29133 ops" ;; 4K/delete) echo "23798 ops" ;;
    64K/upload) echo "3186 ops" ;; 64K/download) echo "23007 ops" ;; 64K/delete) echo "24179 ops" ;;
    1M/upload) echo "301 mib" ;; 1M/download) echo "2807 mib" ;; 1M/delete) echo "10593 ops" ;;
    16M/upload) echo "285 mib" ;; 16M/download) echo "1858 mib" ;; 16M/delete) echo "292 ops" ;;
  esac
}

{
  echo "## kfdfs bench ($(date -u +%Y-%m-%d), $(nproc) cores, $RUNS run(s) per cell, median)"
  echo
  echo "1 tracker + $REPLICAS storage(s) of one group on 127.0.0.1, data on $(df -T "$DATA" | awk 'NR == 2 {print $2 " (" $1 ")"}'), no fsync (FastDFS default: binlog written through to the OS, data files not forced), tracker JVM: \`$TRACKER_OPTS\`, storage JVM: \`$STORAGE_OPTS\`, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX; client JVM (one for the whole matrix, after a warm-up of $WARMUP_FILES files of ${SIZES%% *}): \`$CLIENT_OPTS\`"
  echo
  single=${BENCH_SINGLE:-}
  if [ -n "$single" ] && [ ! -f "$single" ]; then single=""; fi
  echo "| size | conc | files | upload ops/s | upload MiB/s | download ops/s | download MiB/s | delete ops/s | p99 ms up / down / del | failures | vs C 6.16.1 (up / down / del) | vs minimal C here (up / down / del) |${single:+ vs one storage (up / down / del) |}"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|${single:+---|}"
  while read -r line; do
    size=$(jq -r .label <<<"$line")
    conc=$(jq -r .concurrency <<<"$line")
    f() { jq -r ".phases.$1.$2" <<<"$line"; }
    ratios="" here=""
    if [ "$conc" = 8 ] && [ -n "${pattern[$size]:-}" ]; then
      # "upload 1794/s download 21098/s delete 16292/s"
      read -r _ up _ down _ del <<<"${pattern[$size]//\/s/}"
      here=$(awk -v u="$(f upload ops_per_s)" -v d="$(f download ops_per_s)" -v x="$(f delete ops_per_s)" \
        -v U="$up" -v D="$down" -v X="$del" 'BEGIN {printf "%.2fx / %.2fx / %.2fx", u / U, d / D, x / X}')
    fi
    if [ "$conc" = 8 ]; then
      for phase in upload download delete; do
        read -r target unit <<<"$(c_target "$size" "$phase")"
        mine=$([ "$unit" = mib ] && f "$phase" mib_per_s || f "$phase" ops_per_s)
        ratios+="$(awk -v a="$mine" -v b="$target" 'BEGIN {printf "%.2fx", a / b}') / "
      done
      ratios=${ratios% / }
    fi
    failures=$(jq '[.phases[] | .failures + .mismatches] | add' <<<"$line")
    vs_single=""
    if [ -n "$single" ]; then
      vs_single=" $(jq -rs --argjson me "$line" 'map(select(.label == $me.label and .concurrency == $me.concurrency))
        | if length == 0 then "n/a" else .[0] as $one | ["upload", "download", "delete"]
          | map("\($me.phases[.].ops_per_s / $one.phases[.].ops_per_s * 100 | round / 100)x") | join(" / ") end' "$single") |"
    fi
    printf '| %s | %s | %s | %.0f | %.1f | %.0f | %.1f | %.0f | %.2f / %.2f / %.2f | %s | %s | %s |%s\n' \
      "$size" "$conc" "$(jq -r .count <<<"$line")" "$(f upload ops_per_s)" "$(f upload mib_per_s)" \
      "$(f download ops_per_s)" "$(f download mib_per_s)" "$(f delete ops_per_s)" \
      "$(f upload p99_ms)" "$(f download p99_ms)" "$(f delete p99_ms)" "$failures" "$ratios" "$here" "$vs_single"
  done < "$results"
  echo
  if [ "$REPLICAS" = 2 ]; then
    echo "Replica in sync after the upload phase (every file on both storages; the download phase starts then): $(
      jq -rs 'map("\(.label) x \(.concurrency) \(.phases.settle.wall_ms | round) ms") | join(", ")' "$results")."
    echo
  fi
  names=$(head -1 "$results" | jq -r '.phases.upload.cpu_us_per_op | keys_unsorted | join(" / ")')
  echo "CPU per operation in µs, user + system, of $names (the median run of each phase; read from /proc in 10 ms ticks):"
  echo
  echo "| size | conc | upload | download | delete |"
  echo "|---|---|---|---|---|"
  while read -r line; do
    cpu() { jq -r ".phases.$1.cpu_us_per_op | [.[] | round] | map(tostring) | join(\" / \")" <<<"$line"; }
    echo "| $(jq -r .label <<<"$line") | $(jq -r .concurrency <<<"$line") | $(cpu upload) | $(cpu download) | $(cpu delete) |"
  done < "$results"
  echo
  echo "Calibration (scripts/loopback-calibration.c): this machine's loopback carries $calibration of 64 bytes between 8 pairs of C threads; each FastDFS operation is two round trips plus the file work."
  echo
  echo "Minimal C (scripts/pattern-calibration.c: the same operations, a tracker query before each, one epoll thread per server doing the file work itself, no parsing, logging or binlog; 8 workers, data in the same file system):"
  for size in $SIZES; do echo "- $size: ${pattern[$size]:-n/a (no gcc)}"; done
  echo
  echo "Storage peak RSS (VmHWM): ${rss_16m_8:-n/a} MiB during 16 MiB x 8 (C: 36 MiB, cap 90 MiB); ${storage_hwm} MiB in the highest cell. Tracker: ${tracker_hwm} MiB."
} > "$OUT"
cat "$OUT"
