package io.kfdfs.conf;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * tracker.conf (docs/protocol.md §11.1) with FastDFS's code defaults, plus the kfdfs additions {@code http_port},
 * {@code list_legacy_layout}, {@code fetch_all_legacy_format}, {@code download_use_time_heuristics} and
 * {@code peer_data_wait}.
 * Intervals and timeouts are in seconds, sizes in bytes.
 *
 * @param responseIpAddrSize {@link #AUTO_IP_SIZE} for {@code auto}; any other value is 46, as in FastDFS
 * @param storeGroup the group for {@code store_lookup = 1}, else empty
 * @param storageIdsFilename as written; see {@link #storageIdsPath()}
 * @param idTypeInFilename {@code ip} or {@code id}
 * @param peerDataWait how long a tracker that must copy its peers' data refuses storage JOINs while a peer
 *                     that may hold it cannot be reached; then it starts from what the storages report
 * @param unknownKeys keys of the file that tracker.conf does not have (already warned about)
 */
public record TrackerConfig(
        Path file,
        boolean disabled,
        String bindAddr,
        int port,
        int httpPort,
        String addressFamily,
        int responseIpAddrSize,
        int connectTimeout,
        int networkTimeout,
        String basePath,
        long buffSize,
        long minBuffSize,
        long maxBuffSize,
        int storeLookup,
        String storeGroup,
        int storeServer,
        int storePath,
        int downloadServer,
        ReservedSpace reservedStorageSpace,
        AllowHosts allowHosts,
        int checkActiveInterval,
        boolean storageIpChangedAutoAdjust,
        int storageSyncFileMaxDelay,
        int storageSyncFileMaxTime,
        Trunk trunk,
        boolean useStorageId,
        String storageIdsFilename,
        String idTypeInFilename,
        boolean trustStorageServerId,
        boolean storeSlaveFileUseLink,
        boolean useConnectionPool,
        int connectionPoolMaxIdleTime,
        boolean listLegacyLayout,
        boolean fetchAllLegacyFormat,
        boolean downloadUseTimeHeuristics,
        int peerDataWait,
        Set<String> unknownKeys) {

    public static final int DEFAULT_PORT = 22122;
    public static final int AUTO_IP_SIZE = 0;

    /**
     * The trunk settings. kfdfs does not store trunk files ({@code use_trunk_file = true} is refused), but
     * the tracker still sends these in its PARAMETER_REQ (75) reply, so they are read and checked as
     * FastDFS does. Sizes in bytes, intervals in seconds.
     */
    public record Trunk(
            int slotMinSize,
            int slotMaxSize,
            int trunkAllocAlignmentSize,
            int trunkFileSize,
            boolean createFileAdvance,
            LocalTime createFileTimeBase,
            int createFileInterval,
            long createFileSpaceThreshold,
            boolean initCheckOccupying,
            boolean initReloadFromBinlog,
            boolean freeSpaceMerge,
            boolean deleteUnusedTrunkFiles,
            int compressBinlogMinInterval,
            int compressBinlogInterval,
            LocalTime compressBinlogTimeBase,
            int binlogMaxBackups) {
    }

    /** Keys read but without effect in kfdfs (logging, threads, OS tuning of the C daemon). */
    static final Set<String> IGNORED = Set.of("log_level", "run_by_group", "run_by_user", "thread_stack_size",
            "use_io_uring", "use_send_zc", "sync_log_buff_interval", "log_file_rotate_everyday",
            "log_file_rotate_time", "log_file_compress_old", "log_file_compress_days_before",
            "log_file_rotate_on_size", "log_file_keep_days", "log_file_delete_old_time", "max_connections",
            "accept_threads", "work_threads");

    /** Every key tracker.conf may contain. */
    public static final Set<String> KEYS = Stream.concat(IGNORED.stream(), Stream.of("disabled", "bind_addr",
            "port", "http_port", "address_family", "response_ip_addr_size", "connect_timeout", "network_timeout",
            "base_path", "buff_size", "min_buff_size", "max_buff_size", "store_lookup", "store_group",
            "store_server", "store_path", "download_server", "reserved_storage_space", "allow_hosts",
            "check_active_interval", "storage_ip_changed_auto_adjust", "storage_sync_file_max_delay",
            "storage_sync_file_max_time", "use_trunk_file", "slot_min_size", "slot_max_size",
            "trunk_alloc_alignment_size", "trunk_file_size", "trunk_create_file_advance",
            "trunk_create_file_time_base", "trunk_create_file_interval", "trunk_create_file_space_threshold",
            "trunk_init_check_occupying", "trunk_init_reload_from_binlog", "trunk_free_space_merge",
            "delete_unused_trunk_files", "trunk_compress_binlog_min_interval", "trunk_compress_binlog_interval",
            "trunk_compress_binlog_time_base", "trunk_binlog_max_backups", "use_storage_id",
            "storage_ids_filename", "id_type_in_filename", "trust_storage_server_id",
            "store_slave_file_use_link", "use_connection_pool", "connection_pool_max_idle_time",
            "list_legacy_layout", "fetch_all_legacy_format", "download_use_time_heuristics", "peer_data_wait"))
            .collect(Collectors.toUnmodifiableSet());

    private static final int MB = 1024 * 1024;

    /** Reads {@code file}, applies the {@code KFDFS_*} overrides of {@code env} (see {@link ConfFile}). */
    public static TrackerConfig load(Path file, Map<String, String> env) {
        return from(ConfFile.load(file).withEnv(env, KEYS));
    }

    public static TrackerConfig from(ConfFile c) {
        if (c.getBoolean("use_trunk_file", false)) {
            throw c.invalid("use_trunk_file", "trunk storage is not supported yet");
        }
        int storeLookup = c.getInt("store_lookup", 0, 0, 2);
        String storeGroup = c.get("store_group", "", Values::groupName);
        if (storeLookup == 1 && storeGroup.isEmpty()) {
            throw c.invalid("store_lookup", "store_lookup = 1 needs store_group");
        }
        int storePath = c.getInt("store_path", 0, 0, 2);
        if (storePath == 1) {
            throw c.invalid("store_path", "must be 0 (round robin) or 2 (most free space)");
        }
        boolean useStorageId = c.getBoolean("use_storage_id", false);
        String idType = c.get("id_type_in_filename", "ip", s -> Values.oneOf(s, "ip", "id"));
        return new TrackerConfig(
                c.path(),
                c.getBoolean("disabled", false),
                c.getString("bind_addr", ""),
                c.getInt("port", DEFAULT_PORT, 1, 65535),
                c.getInt("http_port", 8080, 1, 65535),
                c.get("address_family", "auto", s -> Values.oneOf(s, "auto", "IPv4", "IPv6", "both")),
                c.get("response_ip_addr_size", AUTO_IP_SIZE, s -> s.equalsIgnoreCase("auto") ? AUTO_IP_SIZE : 46),
                c.getSeconds("connect_timeout", 10, 1, 3600),
                c.getSeconds("network_timeout", 60, 1, 86400),
                c.requireString("base_path"),
                c.getBytes("buff_size", 256 * 1024, 4096, 1L << 30),
                c.getBytes("min_buff_size", 64 * 1024, 4096, 1L << 30),
                c.getBytes("max_buff_size", 256 * 1024, 4096, 1L << 30),
                storeLookup,
                storeGroup,
                c.getInt("store_server", 0, 0, 2),
                storePath,
                c.getInt("download_server", 0, 0, 1),
                c.getReservedSpace("reserved_storage_space", ReservedSpace.DEFAULT),
                AllowHosts.parse(c.getAll("allow_hosts")),
                c.getSeconds("check_active_interval", 100, 1, 86400),
                c.getBoolean("storage_ip_changed_auto_adjust", true),
                c.getSeconds("storage_sync_file_max_delay", 86400, 1, Integer.MAX_VALUE),
                c.getSeconds("storage_sync_file_max_time", 300, 1, Integer.MAX_VALUE),
                trunk(c),
                useStorageId,
                c.getString("storage_ids_filename", "storage_ids.conf"),
                idType,
                c.getBoolean("trust_storage_server_id", true),
                c.getBoolean("store_slave_file_use_link", false),
                c.getBoolean("use_connection_pool", false),
                c.getSeconds("connection_pool_max_idle_time", 3600, 1, Integer.MAX_VALUE),
                c.getBoolean("list_legacy_layout", false),
                c.getBoolean("fetch_all_legacy_format", false),
                c.getBoolean("download_use_time_heuristics", false),
                c.getSeconds("peer_data_wait", 60, 0, 86400),
                c.warnUnknownKeys(KEYS));
    }

    /** The adjustments are FastDFS's (tracker_func.c): caps and floors are applied, not refused. */
    private static Trunk trunk(ConfFile c) {
        int alignment = (int) c.getBytes("trunk_alloc_alignment_size", 0, 0, 64 * 1024);
        int trunkFileSize = (int) Math.max(c.getBytes("trunk_file_size", 64L * MB, 1, 1L << 30), 4L * MB);
        int slotMin = (int) Math.max(Math.min(c.getBytes("slot_min_size", 256, 1, 1L << 30), 64 * 1024), alignment);
        int slotMax = (int) c.getBytes("slot_max_size", trunkFileSize / 8, 1, 1L << 30);
        if (slotMax <= slotMin) {
            throw c.invalid("slot_max_size", slotMax + " must be larger than slot_min_size " + slotMin);
        }
        return new Trunk(
                slotMin,
                Math.min(slotMax, trunkFileSize / 2),
                alignment,
                trunkFileSize,
                c.getBoolean("trunk_create_file_advance", false),
                c.getTime("trunk_create_file_time_base", LocalTime.of(2, 0)),
                c.getSeconds("trunk_create_file_interval", 86400, 0, Integer.MAX_VALUE),
                c.getBytes("trunk_create_file_space_threshold", 0, 0, Long.MAX_VALUE),
                c.getBoolean("trunk_init_check_occupying", false),
                c.getBoolean("trunk_init_reload_from_binlog", false),
                c.getBoolean("trunk_free_space_merge", false),
                c.getBoolean("delete_unused_trunk_files", false),
                c.getSeconds("trunk_compress_binlog_min_interval", 0, 0, Integer.MAX_VALUE),
                c.getSeconds("trunk_compress_binlog_interval", 0, 0, Integer.MAX_VALUE),
                c.getTime("trunk_compress_binlog_time_base", LocalTime.of(3, 0)),
                c.getInt("trunk_binlog_max_backups", 0, 0, Integer.MAX_VALUE));
    }

    /** The largest package accepted or sent: max(buff_size, max_buff_size) (docs/protocol.md §1.2). */
    public long maxPackageSize() {
        return Math.max(buffSize, maxBuffSize);
    }

    /** storage_ids_filename, relative to the directory of tracker.conf unless absolute (as FastDFS resolves it). */
    public Path storageIdsPath() {
        return Values.besides(file, storageIdsFilename);
    }
}
