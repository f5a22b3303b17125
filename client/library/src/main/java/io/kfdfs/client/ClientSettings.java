package io.kfdfs.client;

import io.kfdfs.conf.ClientConfig;
import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@link FdfsClient} connects: built with {@link #builder()} or read from a FastDFS
 * {@code client.conf} ({@link #load(Path)}).
 *
 * @param trackers                tracker addresses; host names are resolved again on every connect
 * @param connectTimeout          TCP connect timeout (client.conf {@code connect_timeout})
 * @param networkTimeout          read timeout on an established connection ({@code network_timeout})
 * @param maxConnectionsPerServer connections in use at once per server address
 * @param maxWait                 how long a caller waits for a connection when all are in use
 * @param idleTimeout             idle connections older than this are closed
 *                                ({@code connection_pool_max_idle_time})
 * @param testAfterIdle           a connection idle longer than this is checked with ACTIVE_TEST before use
 * @param trackerBackoff          how long a tracker that failed is skipped while another one is available
 * @param storageIds              storage_ids.conf, used to name the source IP of a file whose ID carries
 *                                a server ID; null when not configured
 * @param storageIdsFromTracker   take {@code use_storage_id} and the storage IDs from a tracker (PARAMETER_REQ,
 *                                FETCH_STORAGE_IDS) when first needed, as client.conf's
 *                                {@code load_fdfs_parameters_from_tracker} asks
 */
public record ClientSettings(List<HostPort> trackers, Duration connectTimeout, Duration networkTimeout,
                             int maxConnectionsPerServer, Duration maxWait, Duration idleTimeout,
                             Duration testAfterIdle, Duration trackerBackoff, StorageIds storageIds,
                             boolean storageIdsFromTracker) {

    public ClientSettings {
        trackers = List.copyOf(trackers);
        if (trackers.isEmpty()) {
            throw new IllegalArgumentException("at least one tracker is required");
        }
        if (maxConnectionsPerServer < 1) {
            throw new IllegalArgumentException("maxConnectionsPerServer must be at least 1");
        }
        for (Duration d : List.of(connectTimeout, networkTimeout, maxWait, idleTimeout, testAfterIdle,
                trackerBackoff)) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration " + d);
            }
        }
    }

    /**
     * Reads {@code client.conf} with the {@code KFDFS_<KEY>} environment overrides. Keys of the C client
     * that a pooled Java client does not need ({@code use_connection_pool}, {@code base_path},
     * {@code log_level}) are read and have no effect.
     */
    public static ClientSettings load(Path clientConf) {
        return from(ClientConfig.load(clientConf, System.getenv()));
    }

    public static ClientSettings from(ClientConfig conf) {
        Builder b = builder()
                .connectTimeout(Duration.ofSeconds(conf.connectTimeout()))
                .networkTimeout(Duration.ofSeconds(conf.networkTimeout()))
                .idleTimeout(Duration.ofSeconds(conf.connectionPoolMaxIdleTime()));
        conf.trackerServers().forEach(b::tracker);
        if (conf.loadFdfsParametersFromTracker()) {
            b.storageIdsFromTracker(true);
        } else if (conf.useStorageId()) {
            conf.storageIdsPath().ifPresent(p -> b.storageIds(StorageIds.load(p)));
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: the C client's timeouts (10 s connect, 30 s network), 64 connections per server. */
    public static final class Builder {
        private final List<HostPort> trackers = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration networkTimeout = Duration.ofSeconds(30);
        private int maxConnectionsPerServer = 64;
        private Duration maxWait = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofHours(1);
        private Duration testAfterIdle = Duration.ofSeconds(3);
        private Duration trackerBackoff = Duration.ofSeconds(3);
        private StorageIds storageIds;
        private boolean storageIdsFromTracker;

        private Builder() {
        }

        /** A tracker as {@code host[:port]} (port 22122 when absent), {@code inner,outer:port} or {@code [v6]:port}. */
        public Builder tracker(String hostPort) {
            return tracker(HostPort.parse(hostPort, TrackerConfig.DEFAULT_PORT));
        }

        public Builder tracker(HostPort tracker) {
            trackers.add(tracker);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        public Builder networkTimeout(Duration d) {
            networkTimeout = d;
            return this;
        }

        public Builder maxConnectionsPerServer(int n) {
            maxConnectionsPerServer = n;
            return this;
        }

        public Builder maxWait(Duration d) {
            maxWait = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        public Builder testAfterIdle(Duration d) {
            testAfterIdle = d;
            return this;
        }

        public Builder trackerBackoff(Duration d) {
            trackerBackoff = d;
            return this;
        }

        public Builder storageIds(StorageIds ids) {
            storageIds = ids;
            return this;
        }

        public Builder storageIdsFromTracker(boolean fromTracker) {
            storageIdsFromTracker = fromTracker;
            return this;
        }

        public ClientSettings build() {
            return new ClientSettings(trackers, connectTimeout, networkTimeout, maxConnectionsPerServer, maxWait,
                    idleTimeout, testAfterIdle, trackerBackoff, storageIds, storageIdsFromTracker);
        }
    }
}
