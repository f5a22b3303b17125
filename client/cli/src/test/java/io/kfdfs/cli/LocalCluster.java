package io.kfdfs.cli;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
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

/**
 * The real kfdfs tracker and the storages of group1 (IDs 100001, 100002 ...), in-process on 127.0.0.1
 * over a temporary directory, with storage IDs and a one-second heartbeat.
 */
final class LocalCluster implements AutoCloseable {

    final Path dir;
    final int trackerPort;
    final List<Integer> storagePorts = new ArrayList<>();
    final Path clientConf;
    private final Vertx vertx = Vertx.vertx();
    private final TrackerConfig trackerConfig;
    private final StorageIds ids;
    private TrackerServer tracker;
    private final List<StorageServer> storages = new ArrayList<>();

    LocalCluster(Path dir, int storageCount) throws Exception {
        this.dir = dir;
        this.trackerPort = Ports.free();
        StringBuilder idLines = new StringBuilder();
        for (int i = 0; i < storageCount; i++) {
            storagePorts.add(Ports.free());
            idLines.append(100001 + i).append(" group1 127.0.0.1:").append(storagePorts.get(i)).append('\n');
        }
        Path idsFile = Files.writeString(Files.createDirectories(dir).resolve("storage_ids.conf"), idLines);
        ids = StorageIds.load(idsFile);
        trackerConfig = TrackerConfig.from(ConfFile.parse(dir.resolve("tracker.conf"), "base_path = "
                + Files.createDirectories(dir.resolve("tracker")) + "\nbind_addr = 127.0.0.1\nport = " + trackerPort
                + "\nreserved_storage_space = 1%\nuse_storage_id = true\nid_type_in_filename = id\n"
                + "storage_ids_filename = " + idsFile + "\n"));
        startTracker();
        for (int i = 0; i < storageCount; i++) {
            Path base = Files.createDirectories(dir.resolve("storage" + (i + 1)));
            StorageConfig conf = StorageConfig.from(ConfFile.parse(base.resolve("storage.conf"),
                    "group_name = group1\nbind_addr = 127.0.0.1\nport = " + storagePorts.get(i) + "\nbase_path = " + base
                            + "\nsubdir_count_per_path = 4\ntracker_server = 127.0.0.1:" + trackerPort
                            + "\nheart_beat_interval = 1\nstat_report_interval = 1\nnetwork_timeout = 5\n"));
            storages.add(StorageServer.start(vertx, conf).await(30, TimeUnit.SECONDS));
        }
        clientConf = Files.writeString(dir.resolve("client.conf"), "tracker_server = 127.0.0.1:" + trackerPort
                + "\nnetwork_timeout = 10\nuse_storage_id = true\nstorage_ids_filename = " + idsFile + "\n");
        awaitActive(storageCount);
    }

    void startTracker() throws Exception {
        tracker = TrackerServer.deploy(vertx, trackerConfig, ids).await(30, TimeUnit.SECONDS);
    }

    void stopTracker() throws Exception {
        vertx.undeploy(tracker.deploymentID()).await(30, TimeUnit.SECONDS);
    }

    ClientSettings.Builder settings() {
        return ClientSettings.builder().tracker("127.0.0.1:" + trackerPort).storageIds(ids)
                .networkTimeout(Duration.ofSeconds(10));
    }

    /**
     * Waits until the tracker reports {@code count} ACTIVE storages with their disk space (they join, beat
     * and report every second).
     */
    private void awaitActive(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (FdfsClient client = FdfsClient.create(settings().build())) {
            while (true) {
                List<StorageStat> list = List.of();
                try {
                    list = client.listStorages("group1");
                } catch (RuntimeException notYet) {
                    // no group until the first storage joined
                }
                if (list.stream().filter(s -> s.status() == StorageStatus.ACTIVE && s.freeMb() > 0).count() == count) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("storages not ACTIVE after 60 s: " + list);
                }
                Thread.sleep(100);
            }
        }
    }


    @Override
    public void close() throws Exception {
        for (StorageServer s : storages) {
            s.close().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}
