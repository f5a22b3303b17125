package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.StorageClusterStat;
import io.kfdfs.protocol.tracker.StorageClusterStatRequest;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.protocol.tracker.TrackerStatus;
import io.kfdfs.protocol.tracker.VolumeStat;
import io.kfdfs.protocol.tracker.VolumeStatRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listings and monitoring replies, in the current and the legacy layouts. */
class ListingTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group2 127.0.0.1:23001\n";

    @TempDir
    Path dir;

    @Test
    void emptyTracker() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "", IDS); TestClient c = new TestClient(t.port())) {
            TestClient.Reply groups = c.call(Cmd.SERVER_LIST_ALL_GROUPS);
            assertEquals(Status.OK, groups.status(), "no groups is an empty list (testdata/vectors/NOTES.md C5)");
            assertEquals(0, groups.body().length);
            assertEquals(Status.ENOENT, c.call(Cmd.TRACKER_GET_STATUS).status(), "no groups: not electable");
        }
    }

    @Test
    void currentLayouts() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
             FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000).startAlone(1000, 500);
             FakeStorage b = new FakeStorage(t.port(), "group2", "100002", 23001);
             TestClient c = new TestClient(t.port())) {
            b.join(true, 0);
            GroupStats groups = GroupStats.decode(c.call(Cmd.SERVER_LIST_ALL_GROUPS).buffer());
            assertEquals(List.of("group1", "group2"), groups.groups().stream().map(g -> g.group()).toList());
            var g1 = groups.groups().get(0);
            assertEquals(List.of(1000L, 500L, 100L, 1L, 23000L, 1L, 1L, -1L), List.of(g1.totalMb(), g1.freeMb(),
                    g1.reservedMb(), g1.storageCount(), (long) g1.storagePort(), g1.readableServerCount(),
                    g1.writableServerCount(), g1.currentTrunkFileId()));
            StorageStat s = StorageStats.decode(c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", ""))
                    .buffer()).storages().get(0);
            assertEquals(List.of("100001", "127.0.0.1", "6.16.1"), List.of(s.id(), s.ip(), s.version()));
            assertEquals(StorageStatus.ACTIVE, s.status());
            assertEquals(3, s.stat().get(io.kfdfs.protocol.tracker.StatBlock.Counter.TOTAL_UPLOAD_COUNT));

            TrackerStatus status = TrackerStatus.decode(c.call(Cmd.TRACKER_GET_STATUS).buffer());
            assertEquals(new TrackerStatus(true, 0, 0), status);
            assertEquals("127.0.0.1:" + t.port(), new String(c.call(Cmd.SERVER_GET_LEADER).body()));
            TrackerClusterStat trackers = TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                    new TrackerClusterStatRequest(0, false, false)).buffer());
            assertEquals("127.0.0.1:" + t.port(), trackers.trackers().get(0).host());
            assertEquals(0, TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                    new TrackerClusterStatRequest(2, false, false)).buffer()).trackers().size(), "no follower");
            StorageClusterStat active = StorageClusterStat.decode(c.call(Cmd.SERVER_STORAGE_CLUSTER_STAT,
                    new StorageClusterStatRequest(2, '=', StorageStatus.ACTIVE, false)).buffer());
            assertEquals(List.of("100001"), active.storages().stream().map(x -> x.id()).toList());
            assertEquals(2, StorageClusterStat.decode(c.call(Cmd.SERVER_STORAGE_CLUSTER_STAT,
                    new StorageClusterStatRequest(0, 0, 0, false)).buffer()).storages().size());
            VolumeStat volumes = VolumeStat.decode(c.call(Cmd.SERVER_STORAGE_VOLUMN_STAT,
                    new VolumeStatRequest(1, true, false, false)).buffer());
            assertEquals(List.of(new VolumeStat.Volume("group1", 1000, 500, 100, 400, 0, true, false)),
                    volumes.groups());
        }
    }

    @Test
    void legacyLayoutsForOldJavaClients() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "reserved_storage_space = 10%\nlist_legacy_layout = true\n", IDS);
             FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000).startAlone(1000, 500);
             TestClient c = new TestClient(t.port())) {
            TestClient.Reply groups = c.call(Cmd.SERVER_LIST_ALL_GROUPS);
            assertEquals(105, groups.body().length);
            assertEquals(1, GroupStats.decode(groups.buffer(), true).groups().get(0).writableServerCount());
            TestClient.Reply one = c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group1"));
            assertEquals(105, one.body().length);
            TestClient.Reply storages = c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", ""));
            assertEquals(612, storages.body().length);
            StorageStat s = StorageStats.decode(ByteBuffer.wrap(storages.body()), 16, true).storages().get(0);
            assertEquals(List.of("100001", "127.0.0.1", "6.16.1"), List.of(s.id(), s.ip(), s.version()));
            assertTrue(s.stat().get(io.kfdfs.protocol.tracker.StatBlock.Counter.LAST_HEART_BEAT_TIME) > 0);
        }
    }

    @Test
    void deleteAnEmptyGroup() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, "", IDS); TestClient admin = new TestClient(t.port())) {
            try (FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000)) {
                a.join(true, 0);
            }
            eventually(() -> {
                try (TestClient c = new TestClient(t.port())) {
                    return StorageStats.decode(c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", ""))
                            .buffer()).storages().get(0).status();
                }
            }, s -> s == StorageStatus.INIT, "100001 INIT");
            assertEquals(Status.OK, admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001"))
                    .status());
            assertEquals(Status.EBUSY, admin.call(Cmd.SERVER_DELETE_GROUP, new GroupName("group1")).status(),
                    "deleted storages still count until a restart");
            t.restart();
            try (TestClient c = new TestClient(t.port())) {
                assertEquals(Status.OK, c.call(Cmd.SERVER_DELETE_GROUP, new GroupName("group1")).status());
                assertEquals(0, c.call(Cmd.SERVER_LIST_ALL_GROUPS).body().length);
            }
        }
    }
}
