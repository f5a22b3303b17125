package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.GroupStorageId;
import io.kfdfs.protocol.tracker.ReadOnlyReport;
import io.kfdfs.protocol.tracker.StatusReport;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracker's share of replication: the readable set after a full sync, read-only members, lost sources. */
class ReplicationRulesTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n"
            + "100003 group1 127.0.0.1:23002\n";

    @TempDir
    Path dir;

    private static long readable(TrackerFixture t) throws Exception {
        try (TestClient c = new TestClient(t.port())) {
            return GroupStats.decode(c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group1")).buffer()).groups()
                    .get(0).readableServerCount();
        }
    }

    /** A new member full-synced by {@code source}: WAIT_SYNC, SYNCING and OFFLINE as the source reports them. */
    private static long fullSync(TrackerFixture t, FakeStorage member, String source) throws Exception {
        member.join(true, 0);
        SyncSource src = member.syncDestReq().orElseThrow();
        assertEquals(source, src.srcId());
        assertEquals(Status.OK, member.syncNotify(src.srcId(), src.untilTimestamp()));
        try (TestClient c = new TestClient(t.port())) {
            for (int status : new int[] {StorageStatus.SYNCING, StorageStatus.OFFLINE}) {
                c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1", new StorageBrief(status, 0, member.id, "127.0.0.1")));
            }
        }
        member.beat();
        member.diskUsage(1000, 500);
        return src.untilTimestamp();
    }

    @Test
    void aFullSyncedMemberIsActiveButReadOnlyOnceItsReportsReachTheCutoff() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
             FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000).kfdfs().startAlone(1000, 500);
             FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001).kfdfs()) {
            long until = fullSync(t, b, "100001");
            try (TestClient admin = new TestClient(t.port())) {
                assertEquals(StorageStatus.ACTIVE, statusOf(admin, "100002"), "ACTIVE on the wire, as FastDFS");
            }
            assertEquals(1, readable(t), "not readable while it may lack files");
            b.syncReport(new SyncReport.Entry("100001", (int) until - 5), new SyncReport.Entry("100002", 0));
            assertEquals(1, readable(t), "still short of the cutoff");
            b.syncReport(new SyncReport.Entry("100001", (int) until), new SyncReport.Entry("100002", 0));
            assertEquals(2, readable(t));
        }
    }

    @Test
    void aReadOnlyMemberGetsNoUploadsUntilItJoinsAgainOrSaysSo() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
             FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000).kfdfs().startAlone(1000, 500);
             FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001).kfdfs().startKnown(StorageStatus.ACTIVE, 1000, 500);
             TestClient client = new TestClient(t.port())) {
            assertEquals(Set.of(23000, 23001), uploadPorts(client));
            assertEquals(Status.OK, b.call(Cmd.KFDFS_STORAGE_READ_ONLY, new ReadOnlyReport(true)).status());
            assertEquals(Set.of(23000), uploadPorts(client));
            assertEquals(2, readable(t), "still read from");
            assertEquals(Status.OK, b.call(Cmd.KFDFS_STORAGE_READ_ONLY, new ReadOnlyReport(false)).status());
            assertEquals(Set.of(23000, 23001), uploadPorts(client));
            try (TestClient unjoined = new TestClient(t.port())) {
                assertEquals(Status.EACCES, unjoined.call(Cmd.KFDFS_STORAGE_READ_ONLY, new ReadOnlyReport(true))
                        .status());
            }
        }
    }

    private static int statusOf(TestClient c, String id) throws Exception {
        TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", id));
        assertEquals(Status.OK, r.status(), "list " + id);
        return StorageStats.decode(r.buffer()).storages().get(0).status();
    }

    private static Set<Integer> uploadPorts(TestClient client) throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            TestClient.Reply r = client.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE);
            assertEquals(Status.OK, r.status(), "upload query");
            ports.add(StoreReply.decode(r.buffer()).server().port());
        }
        return ports;
    }

    @Test
    void aWaitingMemberWhoseSourceIsDeletedSyncsFromAnotherAndTheDeletedOneIsNotListed() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
             FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001).kfdfs().startKnown(StorageStatus.ACTIVE, 1000, 500);
             FakeStorage c = new FakeStorage(t.port(), "group1", "100003", 23002).kfdfs();
             TestClient admin = new TestClient(t.port())) {
            FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000).kfdfs().startKnown(StorageStatus.ACTIVE, 1000, 500);
            c.join(true, 0);
            SyncSource first = c.syncDestReq().orElseThrow();
            assertEquals("100001", first.srcId());
            a.close();
            eventually(() -> statusOf(admin, "100001"), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
            assertEquals(Status.OK, admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001"))
                    .status());
            TestClient.Reply src = admin.call(Cmd.STORAGE_SYNC_SRC_REQ, new GroupStorageId("group1", "100003"));
            assertEquals(Status.OK, src.status());
            SyncSource next = SyncSource.decode(src.buffer());
            assertEquals("100002", next.srcId());
            assertTrue(next.untilTimestamp() >= first.untilTimestamp());
            assertEquals(StorageStatus.WAIT_SYNC, statusOf(admin, "100003"));
            assertEquals(StorageStatus.DELETED, statusOf(admin, "100001"), "asked for by ID");
            assertEquals(java.util.List.of("100002", "100003"), StorageStats.decode(admin.call(Cmd.SERVER_LIST_STORAGE,
                    new GroupName("group1")).buffer()).storages().stream().map(x -> x.id()).toList(),
                    "the group's list leaves the deleted storage out");
            assertEquals(2, GroupStats.decode(admin.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group1")).buffer())
                    .groups().get(0).storageCount(), "and so does its count");
        }
    }
}
