package io.kfdfs.conf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The C client's client.conf (docs/protocol.md §11.5) with FastDFS's code defaults. Timeouts in seconds.
 *
 * @param connectFirstBy {@code tracker} or {@code last-connected}: which IP of a dual-IP storage to try first
 * @param storageIdsFilename as written, empty when absent; see {@link #storageIdsPath()}
 * @param unknownKeys keys of the file that client.conf does not have (already warned about)
 */
public record ClientConfig(
        Path file,
        int connectTimeout,
        int networkTimeout,
        String basePath,
        List<HostPort> trackerServers,
        String connectFirstBy,
        boolean useConnectionPool,
        int connectionPoolMaxIdleTime,
        boolean loadFdfsParametersFromTracker,
        boolean useStorageId,
        String storageIdsFilename,
        boolean antiStealCheckToken,
        String antiStealSecretKey,
        Set<String> unknownKeys) {

    /** Every key client.conf may contain; {@code log_level} and the ≤ 6.12 {@code http.tracker_server_port} have no effect. */
    public static final Set<String> KEYS = Set.of("connect_timeout", "network_timeout", "base_path",
            "tracker_server", "log_level", "connect_first_by", "use_connection_pool",
            "connection_pool_max_idle_time", "load_fdfs_parameters_from_tracker", "use_storage_id",
            "storage_ids_filename", "http.anti_steal.check_token", "http.anti_steal.secret_key",
            "http.tracker_server_port");

    /** Reads {@code file}, applies the {@code KFDFS_*} overrides of {@code env} (see {@link ConfFile}). */
    public static ClientConfig load(Path file, Map<String, String> env) {
        return from(ConfFile.load(file).withEnv(env, KEYS));
    }

    public static ClientConfig from(ConfFile c) {
        List<HostPort> trackers = c.getHostPorts("tracker_server", TrackerConfig.DEFAULT_PORT);
        if (trackers.isEmpty()) {
            throw new ConfException(c.path() + ": at least one tracker_server is required");
        }
        boolean fromTracker = c.getBoolean("load_fdfs_parameters_from_tracker", false);
        boolean useStorageId = c.getBoolean("use_storage_id", false);
        String idsFile = c.getString("storage_ids_filename", "");
        if (useStorageId && !fromTracker && idsFile.isEmpty()) {
            throw c.invalid("use_storage_id", "use_storage_id = true needs storage_ids_filename");
        }
        boolean checkToken = c.getBoolean("http.anti_steal.check_token", false);
        String secret = c.getString("http.anti_steal.secret_key", "");
        if (checkToken && secret.isEmpty()) {
            throw c.invalid("http.anti_steal.check_token", "check_token = true needs http.anti_steal.secret_key");
        }
        return new ClientConfig(
                c.path(),
                c.getSeconds("connect_timeout", 10, 1, 3600),
                c.getSeconds("network_timeout", 30, 1, 86400),
                c.getString("base_path", "/tmp"),
                trackers,
                c.get("connect_first_by", "tracker", s -> Values.oneOf(s, "tracker", "last-connected")),
                c.getBoolean("use_connection_pool", false),
                c.getSeconds("connection_pool_max_idle_time", 3600, 1, Integer.MAX_VALUE),
                fromTracker,
                useStorageId,
                idsFile,
                checkToken,
                secret,
                c.warnUnknownKeys(KEYS));
    }

    /** storage_ids_filename relative to client.conf's directory unless absolute; empty when not configured. */
    public Optional<Path> storageIdsPath() {
        return storageIdsFilename.isEmpty() ? Optional.empty() : Optional.of(Values.besides(file, storageIdsFilename));
    }
}
