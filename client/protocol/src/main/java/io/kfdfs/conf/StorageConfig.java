package io.kfdfs.conf;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * storage.conf (docs/protocol.md §11.4) with FastDFS's code defaults, plus the kfdfs additions {@code http_port},
 * {@code binlog_fsync} and {@code tracker_resolve_interval}. Intervals and timeouts are in seconds unless the
 * key says msec, sizes in bytes.
 * The replication, trunk and reserved-space policy is not here: storages take it from the tracker
 * (PARAMETER_REQ), as FastDFS storages do.
 *
 * @param groupName empty when absent (then fetched from the tracker with GET_GROUP_NAME)
 * @param serverId empty when absent
 * @param storePaths store_path0 .. store_path{count-1}; index = the {@code Mxx} number of file names
 * @param unknownKeys keys of the file that storage.conf does not have (already warned about)
 */
public record StorageConfig(
        Path file,
        boolean disabled,
        String groupName,
        String serverId,
        String bindAddr,
        boolean clientBind,
        int port,
        int httpPort,
        String addressFamily,
        int connectTimeout,
        int networkTimeout,
        int heartBeatInterval,
        int statReportInterval,
        String basePath,
        long buffSize,
        int diskReaderThreads,
        int diskWriterThreads,
        List<StorePath> storePaths,
        int subdirCountPerPath,
        List<HostPort> trackerServers,
        int trackerResolveInterval,
        AllowHosts allowHosts,
        int fileDistributePathMode,
        int fileDistributeRotateCount,
        long fsyncAfterWrittenBytes,
        int syncWaitMsec,
        int syncIntervalMsec,
        LocalTime syncStartTime,
        LocalTime syncEndTime,
        int writeMarkFileFreq,
        int syncBinlogBuffInterval,
        int syncStatFileInterval,
        int uploadPriority,
        boolean fileSyncSkipInvalidRecord,
        boolean useConnectionPool,
        int connectionPoolMaxIdleTime,
        boolean checkStorePathMark,
        boolean binlogFsync,
        Set<String> unknownKeys) {

    public static final int DEFAULT_PORT = 23000;
    /** The storage must hold a 64 KB trunk binlog chunk plus a header in one buffer (FastDFS refuses less). */
    static final long MIN_BUFF_SIZE = 10 + 64 * 1024;

    /** One data root; {@code readonly} paths never receive new uploads. */
    public record StorePath(int index, String path, boolean readonly) {
    }

    /** Keys read but without effect in kfdfs (logging, threads, OS tuning, FastDHT, binlog compression). */
    static final Set<String> IGNORED = Set.of("log_level", "run_by_group", "run_by_user", "thread_stack_size",
            "use_io_uring", "use_send_zc", "sync_log_buff_interval", "log_file_rotate_everyday",
            "log_file_rotate_time", "log_file_compress_old", "log_file_compress_days_before",
            "log_file_rotate_on_size", "log_file_keep_days", "log_file_delete_old_time", "max_connections",
            "accept_threads", "work_threads", "disk_rw_separated", "sync_min_threads", "sync_max_threads", "disk_recovery_threads", "if_alias_prefix",
            "file_signature_method", "key_namespace", "keep_alive", "compress_binlog", "compress_binlog_time",
            "access-log.enabled", "access-log.time_precision");

    /** Every key storage.conf may contain (store_path0..255 and their _readonly flags included). */
    public static final Set<String> KEYS = Stream.of(IGNORED.stream(), Stream.of("disabled", "group_name",
            "server_id", "bind_addr", "client_bind", "port", "http_port", "address_family", "connect_timeout",
            "network_timeout", "heart_beat_interval", "stat_report_interval", "base_path", "buff_size",
            "disk_reader_threads", "disk_writer_threads",
            "store_path_count", "subdir_count_per_path", "tracker_server", "tracker_resolve_interval", "allow_hosts",
            "file_distribute_path_mode", "file_distribute_rotate_count", "fsync_after_written_bytes",
            "sync_wait_msec", "sync_interval", "sync_start_time", "sync_end_time", "write_mark_file_freq",
            "sync_binlog_buff_interval", "sync_stat_file_interval", "upload_priority", "check_file_duplicate",
            "file_sync_skip_invalid_record", "use_connection_pool", "connection_pool_max_idle_time",
            "check_store_path_mark", "binlog_fsync",
            // read by the storage's HTTP file gateway (io.kfdfs.storage.http.GatewayConfig)
            "url_have_group_name", "http.anti_steal.check_token", "http.anti_steal.secret_key",
            "http.anti_steal.token_ttl", "http.anti_steal.token_check_fail", "http.multi_range.enabled",
            "http.default_content_type"),
            IntStream.range(0, 256).boxed().flatMap(i -> Stream.of("store_path" + i, "store_path" + i + "_readonly")))
            .flatMap(s -> s)
            .collect(Collectors.toUnmodifiableSet());

    /** Reads {@code file}, applies the {@code KFDFS_*} overrides of {@code env} (see {@link ConfFile}). */
    public static StorageConfig load(Path file, Map<String, String> env) {
        return from(ConfFile.load(file).withEnv(env, KEYS));
    }

    public static StorageConfig from(ConfFile c) {
        if (c.getBoolean("check_file_duplicate", false)) {
            throw c.invalid("check_file_duplicate", "FastDHT deduplication is not supported");
        }
        String basePath = c.requireString("base_path");
        List<HostPort> trackers = c.getHostPorts("tracker_server", TrackerConfig.DEFAULT_PORT);
        if (trackers.isEmpty()) {
            throw new ConfException(c.path() + ": at least one tracker_server is required");
        }
        return new StorageConfig(
                c.path(),
                c.getBoolean("disabled", false),
                c.get("group_name", "", Values::groupName),
                c.get("server_id", "", Values::serverId),
                c.getString("bind_addr", ""),
                c.getBoolean("client_bind", true),
                c.getInt("port", DEFAULT_PORT, 1, 65535),
                c.getInt("http_port", 8888, 1, 65535),
                c.get("address_family", "auto", s -> Values.oneOf(s, "auto", "IPv4", "IPv6", "both")),
                c.getSeconds("connect_timeout", 10, 1, 3600),
                c.getSeconds("network_timeout", 30, 1, 86400),
                c.getSeconds("heart_beat_interval", 30, 1, 3600),
                c.getSeconds("stat_report_interval", 300, 1, 86400),
                basePath,
                c.getBytes("buff_size", 256 * 1024, MIN_BUFF_SIZE, 1L << 30),
                c.getInt("disk_reader_threads", 1, 0, 256),
                c.getInt("disk_writer_threads", 1, 0, 256),
                storePaths(c, basePath),
                c.getInt("subdir_count_per_path", 256, 1, 256),
                trackers,
                c.getSeconds("tracker_resolve_interval", 10, 1, 3600),
                AllowHosts.parse(c.getAll("allow_hosts")),
                c.getInt("file_distribute_path_mode", 0, 0, 1),
                c.getInt("file_distribute_rotate_count", 100, 1, Integer.MAX_VALUE),
                c.getBytes("fsync_after_written_bytes", 0, 0, Long.MAX_VALUE),
                c.getInt("sync_wait_msec", 100, 1, 3_600_000),
                c.getInt("sync_interval", 0, 0, 3_600_000),
                c.getTime("sync_start_time", LocalTime.MIDNIGHT),
                c.getTime("sync_end_time", LocalTime.of(23, 59)),
                c.getInt("write_mark_file_freq", 500, 1, Integer.MAX_VALUE),
                c.getSeconds("sync_binlog_buff_interval", 60, 1, 86400),
                c.getSeconds("sync_stat_file_interval", 60, 1, 86400),
                c.getInt("upload_priority", 10, Integer.MIN_VALUE, Integer.MAX_VALUE),
                c.getBoolean("file_sync_skip_invalid_record", false),
                c.getBoolean("use_connection_pool", false),
                c.getSeconds("connection_pool_max_idle_time", 3600, 1, Integer.MAX_VALUE),
                c.getBoolean("check_store_path_mark", true),
                c.getBoolean("binlog_fsync", false),
                c.warnUnknownKeys(KEYS));
    }

    /**
     * Threads for the storage's file work, as many as FastDFS gives its store paths:
     * {@code store_path_count × (disk_reader_threads + disk_writer_threads)}, at least one. kfdfs shares
     * them between reads and writes of every path ({@code disk_rw_separated} has no effect).
     */
    public int diskThreads() {
        return Math.max(1, storePaths.size() * (diskReaderThreads + diskWriterThreads));
    }

    private static List<StorePath> storePaths(ConfFile c, String basePath) {
        int count = c.getInt("store_path_count", 1, 1, 256);
        List<StorePath> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = "store_path" + i;
            String path = i == 0 ? c.getString(key, basePath) : c.getString(key, null);
            if (path == null) {
                throw c.invalid("store_path_count", "is " + count + " but " + key + " is missing");
            }
            paths.add(new StorePath(i, path, c.getBoolean(key + "_readonly", false)));
        }
        return List.copyOf(paths);
    }
}
