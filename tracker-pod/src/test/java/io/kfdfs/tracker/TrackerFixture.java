package io.kfdfs.tracker;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A tracker on 127.0.0.1 and a free port, over a temporary base path; restartable on the same data. */
final class TrackerFixture implements AutoCloseable {

    final Path base;
    final TrackerConfig config;
    final StorageIds ids;
    private final Vertx vertx = Vertx.vertx();
    private TrackerServer server;

    /**
     * @param conf extra tracker.conf lines
     * @param storageIds storage_ids.conf text, or null for IP mode; written where tracker.conf says
     */
    TrackerFixture(Path base, String conf, String storageIds) throws Exception {
        this.base = base;
        Files.createDirectories(base);
        Path file = base.resolve("tracker.conf");
        String text = "base_path = " + base + "\nbind_addr = 127.0.0.1\nport = " + Ports.free()
                + "\nnetwork_timeout = 2\n" + (storageIds != null ? "use_storage_id = true\nid_type_in_filename = id\n" : "")
                + conf;
        Files.writeString(file, text);
        this.config = TrackerConfig.from(ConfFile.parse(file, text));
        if (storageIds != null) {
            Files.writeString(config.storageIdsPath(), storageIds);
        }
        this.ids = storageIds == null ? null : StorageIds.parse("storage_ids.conf", storageIds);
        start();
    }


    void start() throws Exception {
        server = TrackerServer.deploy(vertx, config, ids).await(20, TimeUnit.SECONDS);
    }

    void stop() throws Exception {
        vertx.undeploy(server.deploymentID()).await(20, TimeUnit.SECONDS);
    }

    void restart() throws Exception {
        stop();
        start();
    }

    int port() {
        return server.port();
    }

    Path data(String file) {
        return base.resolve("data").resolve(file);
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(20, TimeUnit.SECONDS);
    }
}
