package io.kfdfs.cli;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.tracker.TrackerFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * The real kfdfs trackers and the storages of group1 (IDs 100001, 100002 ...), in-process on 127.0.0.1 over
 * a temporary directory, with a one-second heartbeat: the CLI's cluster. Every tracker and storage runs on a
 * Vert.x of its own, so that {@link #killTracker(int)} drops all of that tracker's connections at once, as a
 * killed process would.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path dir;
    private final StorageIds ids;
    private final List<TrackerFixture> trackers = new ArrayList<>();
    private final List<Integer> storagePorts = new ArrayList<>();
    private final List<StorageFixture> storages = new ArrayList<>();
    private final Path clientConf;

    private LocalCluster(Builder b) throws Exception {
        this.dir = b.dir;
        StringBuilder idLines = new StringBuilder();
        for (int i = 0; i < b.storages; i++) {
            storagePorts.add(Ports.free());
            idLines.append(100001 + i).append(" group1 127.0.0.1:").append(storagePorts.get(i)).append('\n');
        }
        Path idsFile = Files.writeString(Files.createDirectories(dir).resolve("storage_ids.conf"), idLines);
        this.ids = b.storageIds ? StorageIds.load(idsFile) : null;
        for (int t = 0; t < b.trackers; t++) {
            trackers.add(new TrackerFixture(dir.resolve("tracker" + (t + 1)), "reserved_storage_space = 1%\n"
                    + b.trackerConf, b.storageIds ? idLines.toString() : null));
        }
        String trackerLines = trackers.stream().map(t -> "tracker_server = 127.0.0.1:" + t.port() + "\n")
                .collect(Collectors.joining());
        for (int i = 0; i < b.storages; i++) {
            storages.add(StorageFixture.at(storageBase(i)).conf(StorageFixture.FAST + trackerLines).port(storagePorts.get(i))
                    .start());
        }
        clientConf = Files.writeString(dir.resolve("client.conf"), "tracker_server = 127.0.0.1:" + trackerPort(0)
                + "\nnetwork_timeout = 10\n" + (b.storageIds
                ? "use_storage_id = true\nstorage_ids_filename = " + idsFile + "\n" : ""));
        awaitActive();
    }

    /** A cluster in {@code dir}: one tracker and one storage with storage IDs, unless the builder says otherwise. */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    public static final class Builder {
        private final Path dir;
        private int trackers = 1;
        private int storages = 1;
        private boolean storageIds = true;
        private String trackerConf = "";

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder trackers(int count) {
            this.trackers = count;
            return this;
        }

        public Builder storages(int count) {
            this.storages = count;
            return this;
        }

        /** IP mode: no storage IDs, file IDs carry the storage's address. */
        public Builder withoutStorageIds() {
            this.storageIds = false;
            return this;
        }

        /** Extra tracker.conf lines. */
        public Builder trackerConf(String lines) {
            this.trackerConf = lines;
            return this;
        }

        /** Starts every tracker and storage and returns once every tracker has every storage ACTIVE. */
        public LocalCluster start() throws Exception {
            return new LocalCluster(this);
        }
    }

    public int trackerPort(int t) {
        return trackers.get(t).port();
    }

    /** Storage {@code i}'s port (0-based: storage 100001 is 0). */
    public int storagePort(int i) {
        return storagePorts.get(i);
    }

    /** Storage {@code i}'s base path. */
    public Path storageBase(int i) {
        return dir.resolve("storage" + (i + 1));
    }

    /** A client.conf naming the first tracker (and the storage IDs, with them). */
    public Path clientConf() {
        return clientConf;
    }

    /** A client of every tracker, in order. */
    public ClientSettings.Builder settings() {
        ClientSettings.Builder b = ClientSettings.builder().storageIds(ids).networkTimeout(Duration.ofSeconds(10));
        trackers.forEach(t -> b.tracker("127.0.0.1:" + t.port()));
        return b;
    }

    /** Stops tracker {@code t}, keeping its data and port for {@link #startTracker(int)}. */
    public void stopTracker(int t) throws Exception {
        trackers.get(t).stop();
    }

    public void startTracker(int t) throws Exception {
        trackers.get(t).start();
    }

    /** Closes the tracker's Vert.x: its port and every connection to it close at once. */
    public void killTracker(int t) throws Exception {
        trackers.set(t, null).close();
    }

    public void stopStorage(int i) throws Exception {
        storages.get(i).stop();
    }

    /** Starts storage {@code i} again on its port and data, and waits until every live tracker has it ACTIVE. */
    public void startStorage(int i) throws Exception {
        storages.get(i).start();
        awaitActive();
    }

    /** Until every live tracker lists every storage ACTIVE with its disk space (they beat every second). */
    private void awaitActive() throws Exception {
        for (TrackerFixture t : trackers) {
            if (t != null) {
                eventually(() -> t.storages("group1"), list -> list.stream()
                                .filter(s -> s.status() == StorageStatus.ACTIVE && s.freeMb() > 0).count() == storages.size(),
                        storages.size() + " storages ACTIVE on the tracker at " + t.port());
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (StorageFixture s : storages) {
            s.close();
        }
        for (TrackerFixture t : trackers) {
            if (t != null) {
                t.close();
            }
        }
    }
}
