package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.testing.LogCapture;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.FetchAllReply;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupNameRequest;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.MyIpRequest;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.StoreAllReply;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a joining storage is identified: storage IDs (trusted, or looked up by address, host names resolved)
 * or its IP; and a storage that comes back, from a new IP or on a new connection while the old one is open.
 */
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

    TestClient client(String ip) throws Exception {
        TestClient c = TestClient.from(ip, tracker.port());
        open.add(c);
        return c;
    }

    @Test
    void twoStoragesOnOneIpWithDifferentPorts() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
        storage("127.0.0.1", "group1", "100001", 23000).startAlone(1000, 500);
        storage("127.0.0.1", "group1", "100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500);
        TestClient c = client("127.0.0.1");
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
        try (TestClient c = new TestClient(tracker.port())) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE,
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
        TestClient c = client("127.0.0.2");
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
        TestClient c = client("127.0.0.1");
        TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE,
                new io.kfdfs.protocol.tracker.GroupStorageFilter("group1", "127.0.0.2"));
        assertEquals(Status.OK, r.status());
        assertEquals(new StorageIdsReply(0, List.of()), StorageIdsReply.decode(c.call(Cmd.STORAGE_FETCH_STORAGE_IDS,
                new StorageIdsRequest(0, true)).buffer()));
        assertEquals(Status.EOPNOTSUPP, c.call(Cmd.STORAGE_FETCH_STORAGE_IDS, new StorageIdsRequest(0, false)).status());
        assertEquals(Status.EOPNOTSUPP, c.call(Cmd.STORAGE_GET_GROUP_NAME, new GroupNameRequest("", 23000)).status());
        assertEquals("127.0.0.1", new String(c.call(Cmd.STORAGE_GET_SERVER_ID,
                new io.kfdfs.protocol.tracker.ServerLookup("group1", "127.0.0.1:23000")).body()));
    }

    /** Kubernetes pod names stand in storage_ids.conf; here {@code localhost} is such a name. */
    static final String NAMED_IDS = "100001 group1 localhost:23000\n100002 group1 no-such-host.invalid:23001\n"
            + "100003 group2 localhost,10.0.0.3:23002\n";

    @Test
    void hostNamesAreResolvedForEveryLookupByAddress() throws Exception {
        tracker = new TrackerFixture(dir, "trust_storage_server_id = false\nreserved_storage_space = 10%\n", NAMED_IDS);
        TestClient c = client("127.0.0.1");
        assertEquals("127.0.0.1", new String(c.call(Cmd.STORAGE_GET_MY_IP, new MyIpRequest("group1", 23000)).body()),
                "the address localhost resolves to, not the name");
        assertEquals("100001", new String(c.call(Cmd.STORAGE_GET_SERVER_ID,
                new io.kfdfs.protocol.tracker.ServerLookup("group1", "127.0.0.1:23000")).body()));
        assertEquals(new GroupName("group1"), GroupName.decode(c.call(Cmd.STORAGE_GET_GROUP_NAME,
                new GroupNameRequest("", 23000)).buffer()));
        FakeStorage s = storage("127.0.0.1", "group1", "", 23000);
        s.startAlone(1000, 500);
        TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100001"));
        assertEquals(Status.OK, r.status(), "joined as the ID of localhost:23000");
        assertEquals("127.0.0.1", StorageStats.decode(r.buffer()).storages().get(0).ip());
        assertEquals(Status.ENOENT, storage("127.0.0.2", "group1", "", 23000).joinReply(true, 0).status(),
                "127.0.0.2 is not localhost");
    }

    @Test
    void aHostNameThatDoesNotResolveIsAnUnknownStorage() throws Exception {
        try (LogCapture logged = new LogCapture(StorageIdLookup.class)) {
            tracker = new TrackerFixture(dir, "trust_storage_server_id = false\nreserved_storage_space = 10%\n",
                    NAMED_IDS);
            assertEquals(Status.ENOENT, storage("127.0.0.1", "group1", "", 23001).joinReply(true, 0).status());
            assertTrue(logged.lines().stream().anyMatch(l -> l.startsWith("WARNING storage 100002 of storage_ids.conf: "
                    + "cannot resolve no-such-host.invalid")), logged.lines().toString());
            TestClient c = client("127.0.0.1");
            assertEquals(Status.ENOENT, c.call(Cmd.STORAGE_GET_SERVER_ID,
                    new io.kfdfs.protocol.tracker.ServerLookup("group1", "127.0.0.1:23001")).status());
            storage("127.0.0.1", "group1", "", 23000).startAlone(1000, 500);
            assertEquals(Status.OK, c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).status(), "the others serve on");
        }
        tracker.close();
        tracker = new TrackerFixture(dir.resolve("trusted"), "", NAMED_IDS);
        assertEquals(Status.ENOENT, storage("127.0.0.1", "group1", "100002", 23001).joinReply(true, 0).status(),
                "a trusted ID whose host does not resolve cannot be used yet either");
    }

    @Test
    void aDualAddressWithAHostNameGivesClientsIps() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", NAMED_IDS);
        storage("127.0.0.1", "group2", "100003", 23002).startAlone(1000, 500);
        StoreReply local = StoreReply.decode(client("127.0.0.1").call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE,
                new GroupName("group2")).buffer());
        assertEquals("127.0.0.1", local.server().ip(), "localhost resolved");
        assertEquals("127.0.0.1,10.0.0.3", new String(client("127.0.0.1").call(Cmd.STORAGE_GET_MY_IP,
                new MyIpRequest("group2", 23002)).body()));
    }

    @Test
    void ipChangeRetiresTheOldRecord() throws Exception {
        tracker = new TrackerFixture(dir, "", null);
        try (FakeStorage old = storage("127.0.0.1", "group1", "", 23000)) {
            old.join(true, 0);
        }
        TestClient moved = client("127.0.0.2");
        eventually(() -> moved.call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.2")).status(), s -> s == Status.OK,
                "the address change taken");
        assertEquals(Status.EALREADY, moved.call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.2")).status());
        assertEquals(Status.EINVAL, moved.call(Cmd.STORAGE_REPORT_IP_CHANGED,
                new IpChangedReport("group1", "127.0.0.1", "127.0.0.9")).status(), "the new IP must be the caller's");
        TestClient.Reply list = moved.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "127.0.0.1"));
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

    // ---------------------------------------------------------------- a storage that comes back

    /** The tracker's own open connections, as its cluster stat (96) reports them. */
    int trackerConnections() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            return TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                    new TrackerClusterStatRequest(0, false, false)).buffer()).trackers().get(0).connCurrent() - 1;
        }
    }

    @Test
    void backWithANewIpItIsTheSameMemberAndClientsGetTheNewAddress() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
        FakeStorage a = storage("127.0.0.1", "group1", "100001", 23000).startAlone(1000, 500);
        FakeStorage b = storage("127.0.0.1", "group1", "100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 500);
        long now = System.currentTimeMillis() / 1000;
        String file = SelectionTest.fileName(100001, now, false);
        b.syncReport(new SyncReport.Entry("100001", (int) now + 1));
        b.emptyBeat();
        a.close();
        eventually(() -> tracker.storage("group1", "100001").orElseThrow().status(), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");

        FakeStorage moved = storage("127.0.0.2", "group1", "100001", 23000);
        assertEquals(new JoinReply(StorageStatus.ONLINE, ""), moved.join(false, StorageStatus.ACTIVE),
                "a known member: no INIT, no WAIT_SYNC");
        assertEquals(Status.OK, moved.syncNotify("", 0));
        moved.beat();
        moved.diskUsage(1000, 500);
        StorageStat s = tracker.storage("group1", "100001").orElseThrow();
        assertEquals(List.of(StorageStatus.ACTIVE, "127.0.0.2", 23000), List.of(s.status(), s.ip(), s.storagePort()));
        TestClient c = client("127.0.0.1");
        GroupStats groups = GroupStats.decode(c.call(Cmd.SERVER_LIST_ALL_GROUPS).buffer());
        assertEquals(2, groups.groups().get(0).storageCount(), "no new member");

        ServerAddress at = new ServerAddress("127.0.0.2", 23000);
        assertEquals(at, FetchReply.decode(c.call(Cmd.SERVICE_QUERY_UPDATE, new GroupFile("group1", file)).buffer())
                .server(), "updates go to the source, at its new address");
        assertEquals(List.of(at, new ServerAddress("127.0.0.1", 23001)), FetchAllReply.decode(c.call(
                Cmd.SERVICE_QUERY_FETCH_ALL, new GroupFile("group1", file)).buffer()).servers());
        List<ServerAddress> fetched = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fetched.add(FetchReply.decode(c.call(Cmd.SERVICE_QUERY_FETCH_ONE, new GroupFile("group1", file)).buffer())
                    .server());
        }
        assertTrue(fetched.contains(at), fetched.toString());
        assertTrue(StoreAllReply.decode(c.call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL, new GroupName("group1"))
                .buffer()).servers().contains(at));
        List<ServerAddress> stored = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            stored.add(StoreReply.decode(c.call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, new GroupName("group1"))
                    .buffer()).server());
        }
        assertTrue(stored.contains(at), stored.toString());

        ChangeNotice toPeer = b.emptyBeat();
        assertTrue(toPeer.group().contains(new StorageBrief(StorageStatus.ACTIVE, 23000, "100001", "127.0.0.2")),
                "the other member learns the new address: " + toPeer);
        tracker.restart();
        assertTrue(Files.readString(tracker.data(StateFiles.SERVERS)).contains("\tid=100001\n\tgroup_name=group1\n"
                + "\tip_addr=127.0.0.2\n"), "saved");
        assertEquals("127.0.0.2", tracker.storage("group1", "100001").orElseThrow().ip(), "and loaded again");
    }

    @Test
    void aNewConnectionTakesOverAndTheOldOneNoLongerCounts() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", IDS);
        FakeStorage old = storage("127.0.0.1", "group1", "100001", 23000).startAlone(1000, 500);
        FakeStorage again = storage("127.0.0.1", "group1", "100001", 23000);
        assertEquals(StorageStatus.ACTIVE, again.join(false, StorageStatus.ACTIVE).status(), "still active");
        assertEquals(Status.EACCES, old.call(Cmd.STORAGE_BEAT, StatBlock.ZERO).status());
        assertEquals(Status.EACCES, old.call(Cmd.STORAGE_REPORT_DISK_USAGE, new io.kfdfs.protocol.tracker.DiskUsage(
                List.of(new io.kfdfs.protocol.tracker.DiskUsage.Path(1000, 1)))).status(), "its space is not taken");
        assertEquals(Status.EACCES, old.call(Cmd.STORAGE_SYNC_REPORT, new SyncReport(List.of(
                new SyncReport.Entry("100001", 0)))).status());
        assertEquals(500, tracker.storage("group1", "100001").orElseThrow().freeMb());
        again.emptyBeat();

        int before = trackerConnections();
        old.close();
        eventually(this::trackerConnections, n -> n == before - 1, "the old connection closed");
        assertEquals(StorageStatus.ACTIVE, tracker.storage("group1", "100001").orElseThrow().status(), "closing the old connection changes nothing");
        again.close();
        eventually(() -> tracker.storage("group1", "100001").orElseThrow().status(), s -> s == StorageStatus.OFFLINE, "100001 OFFLINE");
    }

    @Test
    void fromAnotherIpItTakesOverOnlyWhenTheOldConnectionFellSilent() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\ncheck_active_interval = 1\n", IDS);
        FakeStorage old = storage("127.0.0.1", "group1", "100001", 23000).startAlone(1000, 500);
        // the old connection stays open but sends nothing, as one to a pod whose node died
        eventually(() -> {
            try (FakeStorage moved = new FakeStorage(tracker.port(), "127.0.0.2", "group1", "100001", 23000)) {
                TestClient.Reply r = moved.joinReply(false, StorageStatus.ACTIVE);
                assertTrue(r.status() == Status.OK || r.status() == Status.EEXIST, "status " + r.status());
                return r.status();
            }
        }, s -> s == Status.OK, "the JOIN from 127.0.0.2 taken");
        assertEquals("127.0.0.2", tracker.storage("group1", "100001").orElseThrow().ip());
        assertEquals(Status.EACCES, old.call(Cmd.STORAGE_BEAT, StatBlock.ZERO).status());
    }
}
