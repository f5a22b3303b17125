package io.kfdfs.tracker;

import io.kfdfs.conf.ConfException;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.pod.DnsCache;
import io.kfdfs.pod.PodVertx;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code java io.kfdfs.tracker.TrackerMain --conf tracker.conf}: runs a tracker until it is stopped. */
public final class TrackerMain {

    private TrackerMain() {
    }

    /**
     * Seconds the JVM keeps a DNS answer: the storage pods of storage_ids.conf are found at a new address
     * this soon after they moved, while a burst of JOINs (each resolves its group's names) shares answers.
     */
    private static final int DNS_CACHE_SECONDS = 5;

    public static void main(String[] args) throws Exception {
        DnsCache.limit(DNS_CACHE_SECONDS);
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        if (args.length != 2 || !args[0].equals("--conf")) {
            System.err.println("usage: TrackerMain --conf <tracker.conf>");
            System.exit(2);
        }
        TrackerConfig config;
        StorageIds ids;
        try {
            config = TrackerConfig.load(Path.of(args[1]), System.getenv());
            ids = config.useStorageId() ? StorageIds.load(config.storageIdsPath()) : null;
        } catch (ConfException e) {
            System.err.println("tracker: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (config.disabled()) {
            System.err.println("tracker: disabled = true in " + args[1]);
            System.exit(1);
        }
        Vertx vertx = PodVertx.create();
        try {
            TrackerServer.deploy(vertx, config, ids, config.httpPort()).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("tracker: cannot start: " + e.getMessage());
            vertx.close();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("tracker: unclean stop: " + e.getMessage());
            }
        }, "tracker-shutdown"));
    }
}
