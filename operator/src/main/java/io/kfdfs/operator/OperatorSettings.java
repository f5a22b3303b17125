package io.kfdfs.operator;

import io.kfdfs.operator.model.Defaults;
import io.kfdfs.operator.model.Release;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The operator process's settings, from its environment (the chart sets them):
 * <ul>
 * <li>{@code KFDFS_WATCH_NAMESPACES}: namespaces to watch, comma-separated; empty or {@code *}: all;</li>
 * <li>{@code KFDFS_LEADER_ELECTION}: {@code true} to take a Lease before reconciling (several replicas);
 *     the Lease lives in {@code POD_NAMESPACE}, held under {@code POD_NAME};</li>
 * <li>{@code KFDFS_HTTP_PORT} (8080) and {@code KFDFS_BIND_ADDR} (default {@code POD_IP}, else all
 *     addresses): /healthz, /readyz, /metrics;</li>
 * <li>{@code KFDFS_CLUSTER_DOMAIN} (cluster.local): the DNS domain written into the pods' configs;</li>
 * <li>{@code KFDFS_TRACKER_IMAGE}, {@code KFDFS_STORAGE_IMAGE}: images when a cluster names none
 *     (default: this release's).</li>
 * </ul>
 */
public record OperatorSettings(List<String> namespaces, boolean leaderElection, String leaseNamespace, String identity,
                               String bindAddr, int httpPort, Defaults defaults) {

    public static OperatorSettings fromEnv(Map<String, String> env) {
        Release built = Release.current();
        Release release = new Release(built.version(), env.getOrDefault("KFDFS_TRACKER_IMAGE", built.trackerImage()),
                env.getOrDefault("KFDFS_STORAGE_IMAGE", built.storageImage()), built.operatorImage());
        String watch = env.getOrDefault("KFDFS_WATCH_NAMESPACES", "").trim();
        List<String> namespaces = watch.isEmpty() || watch.equals("*") ? List.of()
                : Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("KFDFS_HTTP_PORT", "8080"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("KFDFS_HTTP_PORT: not a port number: " + env.get("KFDFS_HTTP_PORT"));
        }
        return new OperatorSettings(namespaces, Boolean.parseBoolean(env.getOrDefault("KFDFS_LEADER_ELECTION", "false")),
                env.getOrDefault("POD_NAMESPACE", "default"), env.getOrDefault("POD_NAME", hostName()),
                env.getOrDefault("KFDFS_BIND_ADDR", env.getOrDefault("POD_IP", "0.0.0.0")), port,
                new Defaults(release, env.getOrDefault("KFDFS_CLUSTER_DOMAIN", "cluster.local")));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "kfdfs-operator";
        }
    }
}
