package io.kfdfs.cli.resilience;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.testing.Eventually;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.storage.StorageServer;
import io.kfdfs.tracker.TrackerServer;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The real kfdfs trackers and one group1 storage, in-process on 127.0.0.1 over a temporary directory, with
 * a one-second heartbeat. Every server runs on its own Vert.x instance, so that {@link #killTracker(int)}
 * drops all of that tracker's connections at once, as a killed process would.
 */
public final class TestCluster implements AutoCloseable {

    public final int storagePort;
    private final List<Integer> trackerPorts = new ArrayList<>();
    private final List<Vertx> trackerVertx = new ArrayList<>();
    private final StorageIds ids;
    private final Vertx storageVertx = Vertx.vertx();
    private final StorageConfig storageConfig;
    private StorageServer storage;

    /**
     * @param storageId   with storage IDs (100001 for the storage, {@code id_type_in_filename = id}), else IP mode
     * @param trackerConf extra tracker.conf lines
     */
    public TestCluster(Path dir, int trackers, boolean storageId, String trackerConf) throws Exception {
        storagePort = Ports.free();
        Path idsFile = Files.writeString(Files.createDirectories(dir).resolve("storage_ids.conf"),
                "100001 group1 127.0.0.1:" + storagePort + "\n");
        ids = storageId ? StorageIds.load(idsFile) : null;
        String idLines = storageId
                ? "use_storage_id = true\nid_type_in_filename = id\nstorage_ids_filename = " + idsFile + "\n" : "";
        for (int i = 0; i < trackers; i++) {
            trackerPorts.add(Ports.free());
        }
        for (int i = 0; i < trackers; i++) {
            Path base = Files.createDirectories(dir.resolve("tracker" + (i + 1)));
            TrackerConfig conf = TrackerConfig.from(ConfFile.parse(base.resolve("tracker.conf"), "base_path = " + base
                    + "\nbind_addr = 127.0.0.1\nport = " + trackerPorts.get(i) + "\nreserved_storage_space = 1%\n"
                    + idLines + trackerConf));
            Vertx vertx = Vertx.vertx();
            trackerVertx.add(vertx);
            TrackerServer.deploy(vertx, conf, ids).await(30, TimeUnit.SECONDS);
        }
        Path base = Files.createDirectories(dir.resolve("storage"));
        String trackerLines = trackerPorts.stream().map(p -> "tracker_server = 127.0.0.1:" + p + "\n")
                .collect(Collectors.joining());
        storageConfig = StorageConfig.from(ConfFile.parse(base.resolve("storage.conf"),
                "group_name = group1\nbind_addr = 127.0.0.1\nport = " + storagePort + "\nbase_path = " + base
                        + "\nsubdir_count_per_path = 4\nheart_beat_interval = 1\nstat_report_interval = 1\n"
                        + "network_timeout = 5\n" + trackerLines));
        startStorage();
    }

    public int trackerPort(int i) {
        return trackerPorts.get(i);
    }

    /** A client of every tracker, in order. */
    public ClientSettings.Builder settings() {
        ClientSettings.Builder b = ClientSettings.builder().storageIds(ids).networkTimeout(Duration.ofSeconds(10));
        trackerPorts.forEach(p -> b.tracker("127.0.0.1:" + p));
        return b;
    }

    /** Starts the storage on its port and data, and waits until every running tracker has it ACTIVE. */
    public void startStorage() throws Exception {
        storage = StorageServer.start(storageVertx, storageConfig).await(30, TimeUnit.SECONDS);
        for (int i = 0; i < trackerPorts.size(); i++) {
            if (trackerVertx.get(i) != null) {
                awaitActive(trackerPorts.get(i));
            }
        }
    }

    public void stopStorage() throws Exception {
        storage.close().await(30, TimeUnit.SECONDS);
        storage = null;
    }

    /** Closes the tracker's Vert.x: its port and every connection to it close at once. */
    public void killTracker(int i) throws Exception {
        trackerVertx.set(i, null).close().await(30, TimeUnit.SECONDS);
    }

    private void awaitActive(int trackerPort) throws Exception {
        ClientSettings one = ClientSettings.builder().tracker("127.0.0.1:" + trackerPort).storageIds(ids).build();
        try (FdfsClient client = FdfsClient.create(one)) {
            Eventually.eventually(() -> {
                try {
                    return client.listStorages("group1");
                } catch (RuntimeException notYet) {
                    return List.<StorageStat>of(); // no group until the storage joined
                }
            }, list -> list.stream().anyMatch(s -> s.status() == StorageStatus.ACTIVE && s.freeMb() > 0),
                    "the storage ACTIVE on the tracker at " + trackerPort);
        }
    }


    @Override
    public void close() throws Exception {
        if (storage != null) {
            stopStorage();
        }
        storageVertx.close().await(30, TimeUnit.SECONDS);
        for (Vertx v : trackerVertx) {
            if (v != null) {
                v.close().await(30, TimeUnit.SECONDS);
            }
        }
    }
}
