package io.kfdfs.storage;

import io.kfdfs.conf.ConfException;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.pod.DnsCache;
import io.kfdfs.pod.PodVertx;
import io.kfdfs.storage.http.GatewayConfig;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code java io.kfdfs.storage.StorageMain --conf storage.conf}: runs a storage server until it is stopped,
 * or until it has been retired from its group.
 */
public final class StorageMain {

    private StorageMain() {
    }

    /**
     * How long a stop waits for the ACTIVE peers to have every local change (Kubernetes gives a storage pod
     * 60 s between SIGTERM and SIGKILL).
     */
    static final Duration DRAIN = Duration.ofSeconds(20);

    public static void main(String[] args) {
        // the trackers' names are resolved again every tracker_resolve_interval, the storage's only lookups
        // after its start: an answer kept by the JVM could only be stale
        DnsCache.limit(0);
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        if (args.length != 2 || !args[0].equals("--conf")) {
            System.err.println("usage: StorageMain --conf <storage.conf>");
            System.exit(2);
        }
        StorageConfig config;
        GatewayConfig gateway;
        try {
            ConfFile file = ConfFile.load(Path.of(args[1])).withEnv(System.getenv(), StorageConfig.KEYS);
            config = StorageConfig.from(file);
            gateway = GatewayConfig.from(file);
        } catch (ConfException e) {
            System.err.println("storage: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (config.disabled()) {
            System.err.println("storage: disabled = true in " + args[1]);
            System.exit(1);
        }
        Vertx vertx = PodVertx.create();
        StorageServer server;
        try {
            server = StorageServer.start(vertx, config).await(10, TimeUnit.MINUTES);
            server.startHttp(gateway, config.httpPort()).await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            System.err.println("storage: cannot start: " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.drain(DRAIN).await(DRAIN.toSeconds() + 5, TimeUnit.SECONDS);
                server.close().await(30, TimeUnit.SECONDS);
                vertx.close().await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("storage: unclean stop: " + e.getMessage());
            }
        }, "storage-shutdown"));
        // retired (fdfs retire): its group no longer counts on it, so the process ends, successfully
        server.retired().onSuccess(v -> new Thread(() -> System.exit(0), "storage-retired").start());
    }
}
