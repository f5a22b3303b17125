package io.kfdfs.storage.report;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.LogCapture;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.storage.store.IniFile;
import io.kfdfs.tracker.TrackerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A storage reporting to real kfdfs trackers over 127.0.0.1 (§5.1). */
class ReporterTest {

    @TempDir
    Path dir;

    private static boolean active(Optional<StorageStat> s) {
        return s.isPresent() && s.get().status() == StorageStatus.ACTIVE;
    }

    @Test
    void joinsWithItsStorageIdBeatsAndReportsDiskUsage() throws Exception {
        int storagePort = Ports.free();
        try (TrackerFixture tracker = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 1%\n",
                "100001 group1 127.0.0.1:" + storagePort + "\n");
             StorageFixture storage = StorageFixture.at(dir.resolve("storage"))
                     .conf(StorageFixture.FAST + "tracker_server = 127.0.0.1:" + tracker.port()).port(storagePort).start()) {
            StorageStat stat = eventually(() -> tracker.storage("group1", "100001"), ReporterTest::active,
                    "ACTIVE on the tracker").get();
            assertEquals("127.0.0.1", stat.ip());
            assertEquals(storagePort, stat.storagePort());
            assertEquals(Reporter.VERSION, stat.version());
            assertEquals(1, stat.storePathCount());
            assertEquals(4, stat.subdirCountPerPath());
            eventually(() -> tracker.storage("group1", "100001").get().totalMb(), mb -> mb > 0, "disk usage");
            assertEquals("100001", storage.server.identity().serverId(), "learned with GET_SERVER_ID");
            assertEquals("1.00%", storage.server.store().reserved().toParameter(), "reserved space from PARAMETER_REQ");
            eventually(() -> storage.server.reporter().status(), s -> s == StorageStatus.ACTIVE, "own status");

            try (TestClient c = storage.client()) {
                String name = c.upload("hello".getBytes(), "txt");
                assertTrue(name.startsWith("M00/00/00/oYYBAG"), "server ID 100001 in the name: " + name);
            }
            eventually(() -> tracker.storage("group1", "100001").get().stat().get(Counter.SUCCESS_UPLOAD_COUNT),
                    n -> n == 1, "the upload counted in a BEAT");

            Map<String, String> flag = IniFile.read(storage.base.resolve("data/.data_init_flag"));
            assertEquals("1", flag.get("sync_old_done"), "SYNC_DEST_REQ answered: nothing to copy");
            assertEquals("127.0.0.1", flag.get("last_ip_addr"));
            assertEquals(1, storage.server.reporter().group().size());
        }
    }

    @Test
    void rejoinsATrackerThatRestarts() throws Exception {
        try (TrackerFixture tracker = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 1%\n", null);
             StorageFixture storage = new StorageFixture(dir.resolve("storage"), StorageFixture.FAST + "tracker_server = 127.0.0.1:" + tracker.port());
             LogCapture sessions = new LogCapture(TrackerSession.class)) {
            eventually(() -> tracker.storage("group1", "127.0.0.1"), ReporterTest::active, "ACTIVE on the tracker");
            tracker.stop();
            eventually(sessions::lines, l -> l.contains("WARNING lost the connection to tracker 127.0.0.1:" + tracker.port()),
                    "the storage seeing its tracker gone");
            tracker.start();
            eventually(() -> tracker.storage("group1", "127.0.0.1"), ReporterTest::active, "ACTIVE again after the restart");
            try (TestClient c = storage.client()) {
                assertTrue(c.upload("x".getBytes(), "").startsWith("M00/00/00/fwAAAW"), "IP mode names carry 127.0.0.1");
            }
        }
    }

    @Test
    void reportsToEveryTracker() throws Exception {
        try (TrackerFixture one = new TrackerFixture(dir.resolve("t1"), "reserved_storage_space = 1%\n", null);
             TrackerFixture two = new TrackerFixture(dir.resolve("t2"), "reserved_storage_space = 1%\n", null);
             StorageFixture storage = new StorageFixture(dir.resolve("storage"),
                     StorageFixture.FAST + "tracker_server = 127.0.0.1:" + one.port() + "\ntracker_server = 127.0.0.1:" + two.port())) {
            eventually(() -> one.storage("group1", "127.0.0.1"), ReporterTest::active, "ACTIVE on tracker 1");
            eventually(() -> two.storage("group1", "127.0.0.1"), ReporterTest::active, "ACTIVE on tracker 2");
            // with two trackers the storage learns its status from the leader's replies, a beat later
            eventually(() -> storage.server.reporter().status(), s -> s == StorageStatus.ACTIVE, "ACTIVE as the storage sees it");
            // and it stays so on both: the follower is not taken for one still holding the storage in its
            // initial sync (its session restarted: OFFLINE, then ONLINE until the next beat)
            for (int i = 0; i < 30; i++) {
                assertTrue(active(one.storage("group1", "127.0.0.1")) && active(two.storage("group1", "127.0.0.1")),
                        "ACTIVE on both trackers, " + i * 100 + " ms after");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void startsWhileTheTrackerIsDownAndJoinsWhenItComes() throws Exception {
        int trackerPort;
        try (TrackerFixture probe = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 1%\n", null)) {
            trackerPort = probe.port();
            probe.stop();
            try (LogCapture sessions = new LogCapture(TrackerSession.class);
                 StorageFixture storage = new StorageFixture(dir.resolve("storage"), StorageFixture.FAST + "tracker_server = 127.0.0.1:" + trackerPort)) {
                try (TestClient c = storage.client()) {
                    assertTrue(c.upload("early".getBytes(), "").length() == 44, "serves before any tracker answers");
                }
                eventually(sessions::lines, l -> l.stream().anyMatch(s -> s.startsWith("INFO tracker 127.0.0.1:" + trackerPort)
                        && s.endsWith("; retrying in 1 s")), "a JOIN attempt failed before the tracker comes");
                probe.start();
                eventually(() -> probe.storage("group1", "127.0.0.1"), ReporterTest::active, "ACTIVE once the tracker is up");
            }
        }
    }
}
