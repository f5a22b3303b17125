package io.kfdfs.pod;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.TrackerConfig;

/**
 * Network limits shared by the pods' servers and outbound connections.
 *
 * @param networkTimeoutMillis how long a peer may stall in the middle of a frame (and how long an outbound
 *                             call waits for its reply) before the connection is closed
 * @param connectTimeoutMillis outbound connect timeout
 * @param localAddress         the address outbound connections come from, "" for the system's choice
 */
public record PodLimits(long networkTimeoutMillis, long connectTimeoutMillis, String localAddress) {

    /** FastDFS storage defaults: network_timeout 30 s, connect_timeout 10 s. */
    public static final PodLimits DEFAULT = new PodLimits(30_000, 10_000);

    public PodLimits {
        if (networkTimeoutMillis <= 0 || connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public PodLimits(long networkTimeoutMillis, long connectTimeoutMillis) {
        this(networkTimeoutMillis, connectTimeoutMillis, "");
    }

    /**
     * A storage's limits. With {@code client_bind} (the default), its connections to trackers and peers
     * leave from its {@code bind_addr} when that is an IPv4 address, as C binds them: trackers know a
     * storage by the address it connects from (without storage IDs), so on a host with several addresses
     * it must be the one the storage serves on.
     */
    public static PodLimits of(StorageConfig conf) {
        return new PodLimits(conf.networkTimeout() * 1000L, conf.connectTimeout() * 1000L,
                conf.clientBind() && HostPort.isIpv4Literal(conf.bindAddr()) ? conf.bindAddr() : "");
    }

    /**
     * A tracker's limits. Its connections to the other trackers leave from its {@code bind_addr} when
     * that is an IPv4 address: the leader knows a follower by the address it registers from, which must
     * be the one the storages name it by.
     */
    public static PodLimits of(TrackerConfig conf) {
        return new PodLimits(conf.networkTimeout() * 1000L, conf.connectTimeout() * 1000L,
                HostPort.isIpv4Literal(conf.bindAddr()) ? conf.bindAddr() : "");
    }
}
