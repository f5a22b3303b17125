package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.LogCapture;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * storage_ids.conf mounted as a Kubernetes ConfigMap (the file a symlink into {@code ..data}, which the
 * kubelet swaps atomically) is taken again when it changes: new storages and groups join without a tracker
 * restart, a file that does not load changes nothing, a storage whose line went keeps serving until it
 * leaves.
 */
class StorageIdsReloadTest {

    static final String ONE = "100001 group1 127.0.0.1:23000\n";

    @TempDir
    Path dir;
    Path volume;
    int version;
    TrackerFixture tracker;
    final List<AutoCloseable> open = new ArrayList<>();
    LogCapture logged;

    /** The kubelet's layout: storage_ids.conf -> ..data/storage_ids.conf, ..data -> ..version_0. */
    @BeforeEach
    void mount() throws Exception {
        logged = new LogCapture(StorageIdsReload.class);
        volume = Files.createDirectories(dir.resolve("volume"));
        Files.createDirectories(volume.resolve("..version_0"));
        Files.createSymbolicLink(volume.resolve("..data"), Path.of("..version_0"));
        Files.createSymbolicLink(volume.resolve("storage_ids.conf"), Path.of("..data", "storage_ids.conf"));
        tracker = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 10%\nstorage_ids_filename = "
                + volume.resolve("storage_ids.conf") + "\n", ONE);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        tracker.close();
        logged.close();
    }

    /** A new version of the ConfigMap, swapped in as the kubelet does. */
    void publish(String text) throws Exception {
        String next = "..version_" + ++version;
        Files.createDirectories(volume.resolve(next));
        Files.writeString(volume.resolve(next).resolve("storage_ids.conf"), text);
        Files.createSymbolicLink(volume.resolve("..data_tmp"), Path.of(next));
        Files.move(volume.resolve("..data_tmp"), volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    }

    StorageIdsReply storageIds() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            return StorageIdsReply.decode(c.call(Cmd.STORAGE_FETCH_STORAGE_IDS, new StorageIdsRequest(0, false)).buffer());
        }
    }

    FakeStorage storage(String group, String id, int port) throws Exception {
        FakeStorage s = new FakeStorage(tracker.port(), group, id, port);
        open.add(s);
        return s;
    }

    @Test
    void aScaleOutAndANewGroupJoinWithoutARestart() throws Exception {
        storage("group1", "100001", 23000).startAlone(1000, 500);
        assertEquals(Status.ENOENT, storage("group1", "100002", 23001).joinReply(true, 0).status(), "not listed yet");

        publish(ONE + "100002 group1 127.0.0.1:23001\n100003 group2 127.0.0.1:23002\n");
        eventually(() -> storageIds().total(), n -> n == 3, "3 storage IDs");
        assertEquals(List.of("100001 group1 127.0.0.1:23000", "100002 group1 127.0.0.1:23001",
                "100003 group2 127.0.0.1:23002"), storageIds().lines());
        FakeStorage added = storage("group1", "100002", 23001);
        added.join(true, 0);
        assertEquals("100001", added.syncDestReq().orElseThrow().srcId(), "a new member, copying from the first");
        storage("group2", "100003", 23002).startAlone(1000, 500);
        assertEquals(StorageStatus.ACTIVE, tracker.storage("group2", "100003").orElseThrow().status());
        assertEquals(StorageStatus.ACTIVE, tracker.storage("group1", "100001").orElseThrow().status(), "the first one untouched");
    }

    @Test
    void aFileThatDoesNotLoadKeepsTheIdsInUse() throws Exception {
        publish(ONE + "100002 group1 127.0.0.1:23001\n100002 group1 127.0.0.1:23002\n");
        eventually(logged::lines, lines -> lines.stream().anyMatch(l -> l.startsWith("SEVERE")
                && l.contains("storage_ids.conf:3: duplicate storage ID 100002 (first on line 2)")), "the error logged");
        assertEquals(new StorageIdsReply(1, List.of("100001 group1 127.0.0.1:23000")), storageIds());
        assertEquals(Status.ENOENT, storage("group1", "100002", 23001).joinReply(true, 0).status());

        publish(ONE + "100002 group1 127.0.0.1:23001\n");
        eventually(() -> storageIds().total(), n -> n == 2, "2 storage IDs");
        assertEquals(1, logged.lines().stream().filter(l -> l.startsWith("SEVERE")).count(),
                "logged once: " + logged.lines());
    }

    @Test
    void aStorageWhoseLineWentServesUntilItLeaves() throws Exception {
        publish(ONE + "100002 group1 127.0.0.1:23001\n");
        eventually(() -> storageIds().total(), n -> n == 2, "2 storage IDs");
        FakeStorage gone = storage("group1", "100001", 23000).startAlone(1000, 500);
        storage("group1", "100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500);

        publish("100002 group1 127.0.0.1:23001 rw=read\n");
        eventually(() -> storageIds().total(), n -> n == 1, "1 storage ID");
        assertEquals(4, tracker.storage("group1", "100002").orElseThrow().rwMode(), "rw modes apply at once");
        gone.beat();
        assertEquals(StorageStatus.ACTIVE, tracker.storage("group1", "100001").orElseThrow().status(), "joined: it serves on");
        assertEquals(List.of(), logged.lines().stream().filter(l -> l.startsWith("SEVERE")).toList());
        gone.close();
        eventually(() -> tracker.storage("group1", "100001").orElseThrow().status(), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
        assertEquals(Status.ENOENT, storage("group1", "100001", 23000).joinReply(false, StorageStatus.ACTIVE).status(),
                "without its line it cannot join again");
    }
}
