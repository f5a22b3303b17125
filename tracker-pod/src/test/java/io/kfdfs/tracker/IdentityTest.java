package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupNameRequest;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.MyIpRequest;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.StoreReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a joining storage is identified: storage IDs (trusted or looked up by address) or its IP. */
class IdentityTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n"
            + "100003 group2 127.0.0.2:23000 rw=read\n";

    @TempDir
    Path dir;
    TrackerFixture tracker;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        tracker.close();
    }

    FakeStorage storage(String ip, String group, String id, int port) throws Exception {
        FakeStorage s = new FakeStorage(tracker.port(), ip, group, id, port);
        open.add(s);
        return s;
    }

    TrackerClient client(String ip) throws Exception {
        TrackerClient c = new TrackerClient(ip, tracker.port());
        open.add(c);
        return c;
    }

    @Test
    void twoStoragesOnOneIpWithDifferentPorts() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
        storage("127.0.0.1", "group1", "100001", 23000).startAlone(1000, 500);
        storage("127.0.0.1", "group1", "100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500);
        TrackerClient c = client("127.0.0.1");
        GroupStats groups = GroupStats.decode(c.call(Cmd.SERVER_LIST_ALL_GROUPS).buffer());
        assertEquals(-1, groups.groups().get(0).storagePort(), "members on different ports");
        assertEquals(2, groups.groups().get(0).writableServerCount());
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            ports.add(StoreReply.decode(c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).buffer()).server().port());
        }
        assertEquals(Set.of(23000, 23001), ports);
    }

    @Test
    void aStorageClaimingAnotherOnesIdIsRefused() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
        FakeStorage real = storage("127.0.0.1", "group1", "100001", 23000).startAlone(1000, 500);
        FakeStorage impostor = storage("127.0.0.3", "group1", "100001", 23000);
        assertEquals(Status.EEXIST, impostor.joinReply(true, 0).status());
        assertEquals(0, real.emptyBeat().flags(), "the real one is undisturbed");
        assertEquals(Status.ENOENT, storage("127.0.0.1", "group1", "100099", 23005).joinReply(true, 0).status(),
                "an ID missing from storage_ids.conf");
        assertEquals(Status.EINVAL, storage("127.0.0.2", "group1", "100003", 23000).joinReply(true, 0).status(),
                "100003 belongs to group2");
        assertEquals(Status.EINVAL, storage("127.0.0.1", "bad-name", "100001", 23000).joinReply(true, 0).status(),
                "group names are [A-Za-z0-9]");
    }

    @Test
    void untrustedIdsAreLookedUpByAddress() throws Exception {
        tracker = new TrackerFixture(dir, "trust_storage_server_id = false\n", IDS);
        FakeStorage s = storage("127.0.0.1", "group1", "100002", 23000);
        s.join(true, 0);
        try (TrackerClient c = new TrackerClient(tracker.port())) {
            TrackerClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE,
                    new io.kfdfs.protocol.tracker.GroupStorageFilter("group1", "100001"));
            assertEquals(Status.OK, r.status(), "joined as the ID configured for 127.0.0.1:23000, not the one it sent");
        }
        assertEquals(Status.ENOENT, storage("127.0.0.1", "group1", "100001", 23009).joinReply(true, 0).status());
    }

    @Test
    void readOnlyStorageIsNeverAnUploadTarget() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
        storage("127.0.0.2", "group2", "100003", 23000).startAlone(1000, 500);
        assertEquals(Status.ENOENT, client("127.0.0.1").call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE,
                new GroupName("group2")).status());
    }

    @Test
    void addressQueriesWithStorageIds() throws Exception {
        tracker = new TrackerFixture(dir, "", IDS);
        TrackerClient c = client("127.0.0.2");
        assertEquals("127.0.0.2", new String(c.call(Cmd.STORAGE_GET_MY_IP, new MyIpRequest("group2", 23000)).body()));
        assertEquals(new GroupName("group2"), GroupName.decode(c.call(Cmd.STORAGE_GET_GROUP_NAME,
                new GroupNameRequest("", 23000)).buffer()));
        assertEquals(new GroupName("group1"), GroupName.decode(c.call(Cmd.STORAGE_GET_GROUP_NAME,
                new GroupNameRequest("127.0.0.1", 23001)).buffer()));
        assertEquals(Status.ENOENT, c.call(Cmd.STORAGE_GET_GROUP_NAME, new GroupNameRequest("", 29999)).status());
        assertEquals(Status.ENAMETOOLONG, c.call(Cmd.STORAGE_GET_GROUP_NAME,
                new GroupNameRequest("1".repeat(46), 1)).status());
        StorageIdsReply all = StorageIdsReply.decode(c.call(Cmd.STORAGE_FETCH_STORAGE_IDS,
                new StorageIdsRequest(0, false)).buffer());
        assertEquals(new StorageIdsReply(3, List.of("100001 group1 127.0.0.1:23000", "100002 group1 127.0.0.1:23001",
                "100003 group2 127.0.0.2:23000 rw=read")), all);
        assertEquals(new StorageIdsReply(3, List.of("100003 group2 127.0.0.2:23000 rw=read")),
                StorageIdsReply.decode(c.call(Cmd.STORAGE_FETCH_STORAGE_IDS, new StorageIdsRequest(2, false)).buffer()));
        assertEquals(Status.EINVAL, c.call(Cmd.STORAGE_FETCH_STORAGE_IDS, new StorageIdsRequest(4, false)).status());
    }

    @Test
    void ipModeUsesThePeerAddressAsTheId() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", null);
        storage("127.0.0.1", "group1", "", 23000).startAlone(1000, 500);
        assertEquals(Status.EINVAL, storage("127.0.0.2", "group1", "", 23001).joinReply(true, 0).status(),
                "without IDs in file names the port must be the group's");
        storage("127.0.0.2", "group1", "", 23000).startKnown(StorageStatus.ACTIVE, 1000, 500);
        TrackerClient c = client("127.0.0.1");
        TrackerClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE,
                new io.kfdfs.protocol.tracker.GroupStorageFilter("group1", "127.0.0.2"));
        assertEquals(Status.OK, r.status());
        assertEquals(new StorageIdsReply(0, List.of()), StorageIdsReply.decode(c.call(Cmd.STORAGE_FETCH_STORAGE_IDS,
                new StorageIdsRequest(0, true)).buffer()));
        assertEquals(Status.EOPNOTSUPP, c.call(Cmd.STORAGE_FETCH_STORAGE_IDS, new StorageIdsRequest(0, false)).status());
        assertEquals(Status.EOPNOTSUPP, c.call(Cmd.STORAGE_GET_GROUP_NAME, new GroupNameRequest("", 23000)).status());
        assertEquals("127.0.0.1", new String(c.call(Cmd.STORAGE_GET_SERVER_ID,
                new io.kfdfs.protocol.tracker.ServerLookup("group1", "127.0.0.1:23000")).body()));
    }

    @Test
    void ipChangeRetiresTheOldRecord() throws Exception {
        tracker = new TrackerFixture(dir, "", null);
        try (FakeStorage old = storage("127.0.0.1", "group1", "", 23000)) {
            old.join(true, 0);
        }
        TrackerClient moved = client("127.0.0.2");
        StorageSessionTest.waitFor(() -> moved.call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.2")).status() == Status.OK);
        assertEquals(Status.EALREADY, moved.call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.2")).status());
        assertEquals(Status.EINVAL, moved.call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.9")).status(), "the new IP must be the caller's");
        TrackerClient.Reply list = moved.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "127.0.0.1"));
        assertEquals(StorageStatus.IP_CHANGED, StorageStats.decode(list.buffer()).storages().get(0).status());
        assertEquals(Status.OK, moved.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "127.0.0.2"))
                .status());
        String log = java.nio.file.Files.readString(tracker.data(StateFiles.CHANGELOG));
        assertTrue(log.matches("\\d+ group1 127.0.0.1 3 127.0.0.2\n"), log);
    }

    @Test
    void ipChangesAreNotTrackedWithStorageIds() throws Exception {
        tracker = new TrackerFixture(dir, "", IDS);
        assertEquals(Status.EOPNOTSUPP, client("127.0.0.2").call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.2")).status());
    }
}
