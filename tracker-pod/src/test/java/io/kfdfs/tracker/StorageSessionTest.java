package io.kfdfs.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.ChangeStatus;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.GroupStorageId;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.ServerLookup;
import io.kfdfs.protocol.tracker.StatusReport;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage↔tracker session and every transition of the §6 state machine, over real sockets. */
class StorageSessionTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n"
            + "100003 group1 127.0.0.1:23002\n";

    @TempDir
    Path dir;
    TrackerFixture tracker;

    @BeforeEach
    void start() throws Exception {
        tracker = new TrackerFixture(dir, "check_active_interval = 1\n", IDS);
    }

    @AfterEach
    void stop() throws Exception {
        tracker.close();
    }

    FakeStorage storage(String id, int port) throws Exception {
        return new FakeStorage(tracker.port(), "group1", id, port);
    }

    int statusOf(String id) throws Exception {
        return tracker.storage("group1", id).orElseThrow().status();
    }

    @Test
    void firstStorageGoesInitOnlineActive() throws Exception {
        try (FakeStorage a = storage("100001", 23000)) {
            assertEquals(new JoinReply(StorageStatus.INIT, ""), a.join(true, 0));
            assertEquals(StorageStatus.INIT, statusOf("100001"));
            assertEquals(Optional.empty(), a.syncDestReq());
            assertEquals(StorageStatus.ONLINE, statusOf("100001"));
            assertEquals(Status.OK, a.syncNotify("", 0));
            ChangeNotice first = a.beat();
            assertEquals(ChangeNotice.FLAG_LEADER | ChangeNotice.FLAG_GROUP, first.flags());
            assertEquals(new StorageBrief(0, tracker.port(), "127.0.0.1", "127.0.0.1"), first.leader());
            assertEquals(List.of(new StorageBrief(StorageStatus.ACTIVE, 23000, "100001", "127.0.0.1")), first.group());
            assertEquals(ChangeNotice.NONE, a.emptyBeat(), "nothing changed since the last notice");
            assertEquals(ChangeNotice.NONE, a.diskUsage(1000, 500));
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
        }
    }

    @Test
    void secondStorageSyncsFromTheFirstThenBecomesActive() throws Exception {
        try (FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
             FakeStorage b = storage("100002", 23001)) {
            assertEquals(StorageStatus.INIT, b.join(true, 0).status());
            Optional<SyncSource> src = b.syncDestReq();
            assertEquals("100001", src.orElseThrow().srcId());
            assertEquals(StorageStatus.WAIT_SYNC, statusOf("100002"));
            assertEquals(Status.OK, b.syncNotify("100001", src.get().untilTimestamp()));
            ChangeNotice bNotice = b.beat();
            assertEquals(StorageStatus.WAIT_SYNC, bNotice.group().get(1).status(), "a syncing storage stays put");

            // the source learns about b from its next notice, and asks how to sync it
            ChangeNotice aNotice = a.emptyBeat();
            assertEquals(ChangeNotice.FLAG_GROUP, aNotice.flags());
            assertEquals(List.of("100001", "100002"), aNotice.group().stream().map(StorageBrief::id).toList());
            try (TestClient source = new TestClient(tracker.port())) {
                TestClient.Reply r = source.call(Cmd.STORAGE_SYNC_SRC_REQ, new GroupStorageId("group1", "100002"));
                assertEquals(src.get(), SyncSource.decode(r.buffer()));
                assertEquals(Status.OK, source.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1",
                        new StorageBrief(StorageStatus.SYNCING, 0, "100002", "127.0.0.1"))).status());
                assertEquals(StorageStatus.SYNCING, statusOf("100002"));
                assertEquals(Status.OK, source.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1",
                        new StorageBrief(StorageStatus.OFFLINE, 0, "100002", "127.0.0.1"))).status());
                assertEquals(StorageStatus.OFFLINE, statusOf("100002"));
            }
            b.emptyBeat();
            assertEquals(StorageStatus.ACTIVE, statusOf("100002"));
            try (TestClient c = new TestClient(tracker.port())) {
                StorageStat stat = StorageStats.decode(c.call(Cmd.SERVER_LIST_STORAGE,
                        new GroupStorageFilter("group1", "100002")).buffer()).storages().get(0);
                assertEquals("100001", stat.srcId(), "the source stays on record, as in the C tracker's listing");
            }
        }
    }

    @Test
    void syncReportsSetHowFarAStorageHasCaughtUp() throws Exception {
        try (FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
             FakeStorage b = storage("100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500)) {
            assertEquals(StorageStatus.ACTIVE, statusOf("100002"));
            b.syncReport(new SyncReport.Entry("100001", 1700000500), new SyncReport.Entry("100002", 0));
            try (TestClient c = new TestClient(tracker.port())) {
                StorageStat stat = StorageStats.decode(c.call(Cmd.SERVER_LIST_STORAGE,
                        new GroupStorageFilter("group1", "100002")).buffer()).storages().get(0);
                assertEquals(1700000500, stat.stat().get(io.kfdfs.protocol.tracker.StatBlock.Counter.LAST_SYNCED_TIMESTAMP));
                assertTrue(stat.stat().get(io.kfdfs.protocol.tracker.StatBlock.Counter.LAST_HEART_BEAT_TIME) > 0);
            }
        }
    }

    @Test
    void knownStorageRejoiningAfterATrackerLossIsAdoptedActiveAsOnline() throws Exception {
        try (FakeStorage a = storage("100001", 23000)) {
            assertEquals(StorageStatus.ONLINE, a.join(false, StorageStatus.ACTIVE).status());
            a.beat();
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
        }
    }

    @Test
    void unknownStorageWithoutInitFlagAndADeadStatusIsRefused() throws Exception {
        try (FakeStorage a = storage("100001", 23000)) {
            assertEquals(Status.EFAULT, a.joinReply(false, -1).status());
            assertEquals(Status.EFAULT, a.joinReply(false, StorageStatus.DELETED).status());
        }
    }

    @Test
    void closingTheConnectionMakesTheStorageOffline() throws Exception {
        FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
        assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
        a.close();
        eventually(() -> statusOf("100001"), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
        try (FakeStorage again = storage("100001", 23000)) {
            assertEquals(StorageStatus.ONLINE, again.join(false, StorageStatus.ACTIVE).status(), "OFFLINE -> ONLINE");
            again.emptyBeat();
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
        }
    }

    @Test
    void silentStorageGoesOfflineAfterTheCheckInterval() throws Exception {
        try (FakeStorage a = storage("100001", 23000).startAlone(1000, 500)) {
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
            eventually(() -> statusOf("100001"), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
            a.emptyBeat();
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"), "the next beat brings it back");
        }
    }

    @Test
    void storageCommandsNeedAJoinedConnection() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            for (int cmd : new int[] {Cmd.STORAGE_BEAT, Cmd.STORAGE_SYNC_DEST_QUERY, Cmd.STORAGE_SYNC_DEST_REQ}) {
                assertEquals(Status.EACCES, c.call(cmd).status(), Cmd.name(cmd));
            }
            assertEquals(Status.EACCES, c.call(Cmd.STORAGE_SYNC_NOTIFY, new SyncSource("", 0)).status());
            assertEquals(Status.EACCES, c.call(Cmd.STORAGE_CHANGE_STATUS, new ChangeStatus(5)).status());
            assertEquals(Status.EACCES, c.call(Cmd.STORAGE_REPORT_DISK_USAGE,
                    new io.kfdfs.protocol.tracker.DiskUsage(List.of(new io.kfdfs.protocol.tracker.DiskUsage.Path(1, 1))))
                    .status());
            assertEquals(Status.OK, c.call(Cmd.ACTIVE_TEST).status(), "the connection still serves");
        }
    }

    @Test
    void deletedStorageRejoinsAsInit() throws Exception {
        FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
        try (FakeStorage b = storage("100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500);
             TestClient admin = new TestClient(tracker.port())) {
            assertEquals(Status.EBUSY, admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001"))
                    .status(), "an active storage cannot be deleted");
            a.close();
            eventually(() -> statusOf("100001"), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
            assertEquals(Status.OK, admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001"))
                    .status());
            assertEquals(StorageStatus.DELETED, statusOf("100001"));
            assertEquals(Status.EALREADY, admin.call(Cmd.SERVER_DELETE_STORAGE,
                    new GroupStorageFilter("group1", "100001")).status());
            assertEquals(Status.ENOENT, admin.call(Cmd.SERVER_DELETE_STORAGE,
                    new GroupStorageFilter("group1", "100009")).status());
            assertEquals(Status.EINVAL, admin.call(Cmd.SERVER_DELETE_STORAGE,
                    new GroupStorageFilter("group1", "")).status());
            // b fetches the changelog line of the deletion
            TestClient.Reply log = b.call(Cmd.STORAGE_CHANGELOG_REQ, Body.EMPTY);
            String text = new String(log.body());
            assertTrue(text.matches("\\d+ group1 100001 4 \n"), text);
            assertEquals(0, b.call(Cmd.STORAGE_CHANGELOG_REQ, Body.EMPTY).body().length, "the offset advanced");
            assertEquals(Status.EBUSY, admin.call(Cmd.SERVER_DELETE_GROUP, new io.kfdfs.protocol.tracker.GroupName("group1"))
                    .status());
            try (FakeStorage again = storage("100001", 23000)) {
                assertEquals(StorageStatus.INIT, again.join(false, StorageStatus.ACTIVE).status());
            }
        }
    }

    @Test
    void changeStatusStoresLiveStatusesAsOffline() throws Exception {
        try (FakeStorage a = storage("100001", 23000)) {
            a.join(true, 0);
            assertEquals(StorageStatus.INIT, statusOf("100001"));
            assertEquals(Status.OK, a.call(Cmd.STORAGE_CHANGE_STATUS, new ChangeStatus(StorageStatus.ACTIVE)).status());
            assertEquals(StorageStatus.OFFLINE, statusOf("100001"));
            assertEquals(Status.OK, a.call(Cmd.STORAGE_CHANGE_STATUS, new ChangeStatus(StorageStatus.WAIT_SYNC)).status());
            assertEquals(StorageStatus.WAIT_SYNC, statusOf("100001"));
        }
    }

    @Test
    void statusReportMergeRule() throws Exception {
        try (FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
             TestClient c = new TestClient(tracker.port())) {
            // ACTIVE is never overridden by a report; an unknown storage is created only in a sync status
            c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1", new StorageBrief(StorageStatus.OFFLINE, 0,
                    "100001", "127.0.0.1")));
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
            c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1", new StorageBrief(StorageStatus.ACTIVE, 0,
                    "100003", "127.0.0.1")));
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100003"))
                    .status());
            c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1", new StorageBrief(StorageStatus.WAIT_SYNC, 0,
                    "100003", "127.0.0.1")));
            assertEquals(StorageStatus.WAIT_SYNC, statusOf("100003"));
            assertEquals(Status.ENOENT, c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("nogroup",
                    new StorageBrief(StorageStatus.WAIT_SYNC, 0, "100003", "127.0.0.1"))).status());
        }
    }

    /** Disk recovery (§6.3): the storage reports RECOVERY while it refills a store path, then joins again. */
    @Test
    void recoveryIsAdoptedFromAReportAndEndsWithTheNextJoin() throws Exception {
        FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
        try (FakeStorage b = storage("100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500);
             TestClient c = new TestClient(tracker.port())) {
            a.close();
            eventually(() -> statusOf("100001"), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
            assertEquals(Status.OK, c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1",
                    new StorageBrief(StorageStatus.RECOVERY, 0, "100001", "127.0.0.1"))).status());
            assertEquals(StorageStatus.RECOVERY, statusOf("100001"));
            c.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1",
                    new StorageBrief(StorageStatus.OFFLINE, 0, "100001", "127.0.0.1")));
            assertEquals(StorageStatus.RECOVERY, statusOf("100001"), "a report does not end a recovery");
            assertEquals(Status.EBUSY, c.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001"))
                    .status(), "a recovering storage is not deleted");
            assertEquals(StorageStatus.RECOVERY, b.emptyBeat().group().get(0).status(), "the members learn it");
            try (FakeStorage back = storage("100001", 23000)) {
                assertEquals(StorageStatus.ONLINE, back.join(false, StorageStatus.RECOVERY).status());
                back.emptyBeat();
                assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
            }
        }
    }

    @Test
    void getStatusAndServerIdByAddress() throws Exception {
        try (FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
             TestClient c = new TestClient(tracker.port())) {
            TestClient.Reply r = c.call(Cmd.STORAGE_GET_STATUS, new ServerLookup("group1", "127.0.0.1:23000"));
            assertEquals(new StorageBrief(StorageStatus.ACTIVE, 23000, "100001", "127.0.0.1"),
                    StorageBrief.decode(r.buffer()));
            assertEquals(Status.ENOENT, c.call(Cmd.STORAGE_GET_STATUS, new ServerLookup("group1", "127.0.0.1:29999"))
                    .status());
            assertEquals("100002", new String(c.call(Cmd.STORAGE_GET_SERVER_ID,
                    new ServerLookup("group1", "127.0.0.1:23001")).body()));
            assertEquals(Status.EINVAL, c.call(Cmd.STORAGE_GET_SERVER_ID, new ServerLookup("group1", "no-port"))
                    .status());
        }
    }

    @Test
    void replicaChangeIsAcceptedAndIgnoredByTheLeader() throws Exception {
        try (FakeStorage a = storage("100001", 23000).startAlone(1000, 500)) {
            assertEquals(Status.OK, a.call(Cmd.STORAGE_REPLICA_CHG, new io.kfdfs.protocol.tracker.ReplicaChange(List.of(
                    new StorageBrief(StorageStatus.OFFLINE, 23000, "100001", "127.0.0.1")))).status());
            assertEquals(StorageStatus.ACTIVE, statusOf("100001"));
        }
    }

    @Test
    void aNewConnectionGetsTheWholeStateAgain() throws Exception {
        FakeStorage a = storage("100001", 23000).startAlone(1000, 500);
        a.close();
        try (FakeStorage again = storage("100001", 23000)) {
            again.join(false, StorageStatus.ACTIVE);
            ChangeNotice n = again.emptyBeat();
            assertNotNull(n.leader());
            assertNull(n.trunkServer());
            assertEquals(1, n.group().size());
        }
    }
}
