package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data files: FastDFS formats, atomic replacement, and state that survives a restart. */
class PersistenceTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n";

    @TempDir
    Path dir;

    /** The C tracker's own files load and are written back byte for byte. */
    @Test
    void theCTrackersFilesRoundTrip() throws Exception {
        for (String mode : List.of("tracker", "ipmode/tracker")) {
            Path base = dir.resolve(mode.replace('/', '_'));
            Path captured = Vectors.dir().resolve("run").resolve(mode).resolve("data");
            Files.createDirectories(base.resolve("data"));
            for (String f : List.of(StateFiles.GROUPS, StateFiles.SERVERS, StateFiles.SYNC_TIMESTAMPS)) {
                Files.copy(captured.resolve(f), base.resolve("data").resolve(f));
            }
            String ids = mode.equals("tracker") ? "100001 group1 127.0.0.1:23200\n100002 group1 127.0.0.1:23201\n"
                    : null;
            try (TrackerFixture t = new TrackerFixture(base, "", ids)) {
                assertEquals(StorageStatus.OFFLINE,
                        t.storage("group1", mode.equals("tracker") ? "100001" : "127.0.0.1").orElseThrow().status());
                t.stop();
                for (String f : List.of(StateFiles.GROUPS, StateFiles.SERVERS, StateFiles.SYNC_TIMESTAMPS)) {
                    assertEquals(Files.readString(captured.resolve(f)), Files.readString(t.data(f)), mode + " " + f);
                }
                t.start();
            }
        }
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS)) {
            try (FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000).startAlone(1000, 500);
                 FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001)) {
                b.join(true, 0);
                long until = b.syncDestReq().orElseThrow().untilTimestamp();
                a.syncReport(new SyncReport.Entry("100002", 0));
                t.restart();
                StorageStat sa = t.storage("group1", "100001").orElseThrow();
                assertEquals(StorageStatus.OFFLINE, sa.status(), "ACTIVE before the restart: OFFLINE until it joins");
                assertEquals(1000, sa.totalMb());
                assertEquals(500, sa.freeMb());
                StorageStat sb = t.storage("group1", "100002").orElseThrow();
                assertEquals(StorageStatus.WAIT_SYNC, sb.status(), "a storage still setting up keeps its status");
                assertEquals("100001", sb.srcId());
                try (FakeStorage a2 = new FakeStorage(t.port(), "group1", "100001", 23000);
                     FakeStorage b2 = new FakeStorage(t.port(), "group1", "100002", 23001)) {
                    assertEquals(StorageStatus.ONLINE, a2.join(false, StorageStatus.ACTIVE).status());
                    var reply = b2.join(false, StorageStatus.ACTIVE);
                    assertEquals(StorageStatus.WAIT_SYNC, reply.status());
                    assertEquals("100001", reply.srcId());
                    try (TestClient c = new TestClient(t.port())) {
                        TestClient.Reply src = c.call(Cmd.STORAGE_SYNC_SRC_REQ,
                                new io.kfdfs.protocol.tracker.GroupStorageId("group1", "100002"));
                        assertEquals(new io.kfdfs.protocol.tracker.SyncSource("100001", until),
                                io.kfdfs.protocol.tracker.SyncSource.decode(src.buffer()), "the cutoff survived too");
                    }
                }
            }
            t.stop();
            try (Stream<Path> files = Files.list(t.data(""))) {
                assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                        .toList(), "no temporary file left behind");
            }
            String status = Files.readString(t.data(StateFiles.STATUS));
            assertTrue(status.matches("up_time=\\d+\nlast_check_time=\\d+\n"), status);
        }
    }

    @Test
    void deletionIsLoggedAndForgottenAfterARestart() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "", IDS);
             FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000)) {
            a.join(true, 0);
            try (FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001)) {
                b.join(true, 0);
            }
            eventually(() -> t.storage("group1", "100002").orElseThrow().status(), s -> s == StorageStatus.INIT, "100002 INIT");
            try (TestClient admin = new TestClient(t.port())) {
                assertEquals(Status.OK, admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100002"))
                        .status());
            }
            String log = Files.readString(t.data(StateFiles.CHANGELOG));
            assertTrue(log.matches("\\d+ group1 100002 4 \n"), log);
            assertFalse(Files.readString(t.data(StateFiles.SERVERS)).contains("id=100002"),
                    "deleted storages are not saved");
            t.restart();
            try (TestClient c = new TestClient(t.port())) {
                assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100002"))
                        .status());
            }
            try (FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001)) {
                b.join(true, 0);
                assertEquals("", new String(b.call(Cmd.STORAGE_CHANGELOG_REQ, io.kfdfs.protocol.Body.EMPTY).body()),
                        "a storage that joins anew starts after the existing changelog");
            }
        }
    }

    @Test
    void groupsFileHasTheFastDfsLayout() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "", IDS);
             FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000)) {
            a.join(true, 0);
            assertEquals("[Global]\n\tgroup_count=1\n\n# group: group1\n[Group001]\n\tgroup_name=group1\n"
                    + "\tstorage_port=23000\n\tstore_path_count=1\n\tsubdir_count_per_path=256\n"
                    + "\tcurrent_trunk_file_id=0\n\ttrunk_server=\n\tlast_trunk_server=\n\n",
                    Files.readString(t.data(StateFiles.GROUPS)), "written before the join was answered");
            String servers = Files.readString(t.data(StateFiles.SERVERS));
            assertTrue(servers.startsWith("# storage: 127.0.0.1:23000\n[Storage001]\n\tid=100001\n\tgroup_name=group1\n"
                    + "\tip_addr=127.0.0.1\n\tstatus=0\n"), servers);
            assertTrue(servers.endsWith("\n\n[Global]\n\tstorage_count=1\n"), servers);
        }
    }

    @Test
    void temporaryFilesOfAnInterruptedWriteAreRemovedAtStart() throws Exception {
        Path stale = dir.resolve("data").resolve(StateFiles.SERVERS + ".1f2e.tmp");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "half a file");
        try (TrackerFixture t = new TrackerFixture(dir, "", IDS)) {
            assertFalse(Files.exists(stale));
        }
    }
}
