package io.kfdfs.pod;

/**
 * Network limits shared by the pods' servers and outbound connections.
 *
 * @param networkTimeoutMillis how long a peer may stall in the middle of a frame (and how long an outbound
 *                             call waits for its reply) before the connection is closed
 * @param connectTimeoutMillis outbound connect timeout
 */
public record PodLimits(long networkTimeoutMillis, long connectTimeoutMillis) {

    /** FastDFS storage defaults: network_timeout 30 s, connect_timeout 10 s. */
    public static final PodLimits DEFAULT = new PodLimits(30_000, 10_000);

    public PodLimits {
        if (networkTimeoutMillis <= 0 || connectTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}
