package io.kfdfs.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.DrainRequest;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.FetchAllReply;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StoreAllReply;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.SyncReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Upload and download server selection (docs/protocol.md §9.6, §11.2) as clients see it. */
class SelectionTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n"
            + "100003 group2 127.0.0.1:23002\n";

    @TempDir
    Path dir;
    TrackerFixture tracker;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        closeAll();
    }

    /** Closes the connections and the tracker, for a test that continues with another tracker. */
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }

    void tracker(String conf) throws Exception {
        tracker = new TrackerFixture(dir, conf, IDS);
    }

    FakeStorage storage(String group, String id, int port, long totalMb, long freeMb) throws Exception {
        FakeStorage s = new FakeStorage(tracker.port(), group, id, port);
        open.add(s);
        return s.startKnown(StorageStatus.ACTIVE, totalMb, freeMb);
    }

    TestClient client() throws Exception {
        TestClient c = new TestClient(tracker.port());
        open.add(c);
        return c;
    }

    StoreReply store(TestClient c) throws Exception {
        TestClient.Reply r = c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE);
        assertEquals(Status.OK, r.status());
        return StoreReply.decode(r.buffer());
    }

    List<String> storeTargets(int n) throws Exception {
        TestClient c = client();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StoreReply r = store(c);
            seen.add(r.group() + ":" + r.server().port() + "/" + r.storePathIndex());
        }
        return seen;
    }

    @Test
    void roundRobinOverGroupsAndStorages() throws Exception {
        tracker("store_lookup = 0\nstore_server = 0\nreserved_storage_space = 10%\n");
        storage("group1", "100001", 23000, 1000, 500);
        storage("group1", "100002", 23001, 1000, 500);
        storage("group2", "100003", 23002, 1000, 500);
        assertEquals(List.of("group1:23000/0", "group2:23002/0", "group1:23001/0", "group2:23002/0"), storeTargets(4));
    }

    @Test
    void specifiedGroupAndFirstServer() throws Exception {
        tracker("store_lookup = 1\nstore_group = group1\nstore_server = 1\nreserved_storage_space = 10%\n");
        storage("group1", "100002", 23001, 1000, 500);
        storage("group1", "100001", 23000, 1000, 500);
        storage("group2", "100003", 23002, 1000, 900);
        assertEquals(List.of("group1:23000/0", "group1:23000/0"), storeTargets(2));
    }

    @Test
    void loadBalanceToTheGroupWithMostFreeSpaceAndLowestPriority() throws Exception {
        tracker("store_lookup = 2\nstore_server = 2\nreserved_storage_space = 10%\n");
        FakeStorage a = new FakeStorage(tracker.port(), "group1", "100001", 23000);
        open.add(a);
        a.uploadPriority = 20;
        a.startKnown(StorageStatus.ACTIVE, 1000, 500);
        storage("group1", "100002", 23001, 1000, 600);
        storage("group2", "100003", 23002, 1000, 400);
        assertEquals(List.of("group1:23001/0", "group1:23001/0"), storeTargets(2), "group1: min free 500 > 400");
        a.diskUsage(1000, 200);
        assertEquals(List.of("group2:23002/0"), storeTargets(1), "group1 now has min free 200");
    }

    @Test
    void storePathRoundRobinAndMostFree() throws Exception {
        tracker("store_path = 0\nreserved_storage_space = 10%\n");
        FakeStorage a = new FakeStorage(tracker.port(), "group1", "100001", 23000);
        open.add(a);
        a.storePathCount = 2;
        a.startKnown(StorageStatus.ACTIVE, 1000, 500);
        assertEquals(List.of("group1:23000/0", "group1:23000/1", "group1:23000/0"), storeTargets(3));
        a.diskUsage(1000, 500, 50);
        assertEquals(List.of("group1:23000/0", "group1:23000/0"), storeTargets(2), "path 1 is below 10%");
    }

    @Test
    void storePathWithMostFreeSpace() throws Exception {
        tracker("store_path = 2\nreserved_storage_space = 10%\n");
        FakeStorage a = new FakeStorage(tracker.port(), "group1", "100001", 23000);
        open.add(a);
        a.storePathCount = 2;
        a.startKnown(StorageStatus.ACTIVE, 1000, 500);
        a.diskUsage(1000, 300, 700);
        assertEquals(List.of("group1:23000/1", "group1:23000/1"), storeTargets(2));
    }

    @Test
    void reservedSpaceInMegabytesAndPercent() throws Exception {
        tracker("reserved_storage_space = 600M\n");
        FakeStorage a = storage("group1", "100001", 23000, 1000, 500);
        TestClient c = client();
        assertEquals(Status.ENOSPC, c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).status());
        assertEquals(Status.ENOSPC, c.call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, new GroupName("group1")).status());
        a.diskUsage(1000, 700);
        assertEquals("group1", store(c).group());
        closeAll();
        tracker = new TrackerFixture(dir.resolve("ratio"), "reserved_storage_space = 50%\n", IDS);
        FakeStorage b = storage("group1", "100001", 23000, 1000, 400);
        assertEquals(Status.ENOSPC, client().call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).status());
        b.diskUsage(1000, 600);
        assertEquals("group1", store(client()).group());
    }

    @Test
    void noWritableStorage() throws Exception {
        tracker("");
        TestClient c = client();
        assertEquals(Status.ENOENT, c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).status(), "no groups");
        assertEquals(Status.ENOENT, c.call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL, new GroupName("nogroup")).status());
        FakeStorage a = new FakeStorage(tracker.port(), "group1", "100001", 23000);
        open.add(a);
        a.join(true, 0);
        assertEquals(Status.ENOENT, c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).status(), "INIT is not writable");
    }

    @Test
    void storeAllListsEveryWritableStorage() throws Exception {
        tracker("reserved_storage_space = 10%\n");
        storage("group1", "100002", 23001, 1000, 500);
        storage("group1", "100001", 23000, 1000, 500);
        TestClient.Reply r = client().call(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL, new GroupName("group1"));
        assertEquals(new StoreAllReply("group1", List.of(new ServerAddress("127.0.0.1", 23000),
                new ServerAddress("127.0.0.1", 23001)), 0, 16), StoreAllReply.decode(r.buffer()));
        assertEquals(63, r.body().length);
    }

    /** 243: a drained member (a C storage about to be retired) takes no upload, rejoining or not, until undrained. */
    @Test
    void aDrainedMemberTakesNoUploadUntilUndrained() throws Exception {
        tracker("store_server = 0\nreserved_storage_space = 10%\n");
        FakeStorage a = storage("group1", "100001", 23000, 1000, 500);
        storage("group1", "100002", 23001, 1000, 500);
        TestClient admin = client();
        assertEquals(Status.OK, admin.call(Cmd.KFDFS_DRAIN, new DrainRequest("group1", true, "100001")).status());
        assertEquals(List.of("group1:23001/0", "group1:23001/0", "group1:23001/0"), storeTargets(3));
        TestClient.Reply group = admin.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group1"));
        assertEquals(1, GroupStats.decode(group.buffer()).groups().get(0).writableServerCount(), "counted out of the writable members");
        a.close();
        storage("group1", "100001", 23000, 1000, 500);
        assertEquals(List.of("group1:23001/0", "group1:23001/0"), storeTargets(2), "still drained after a new JOIN");
        assertEquals(Status.OK, admin.call(Cmd.KFDFS_DRAIN, new DrainRequest("group1", false, "100001")).status());
        assertEquals(2, Set.copyOf(storeTargets(4)).size(), "both members again");
        assertEquals(Status.ENOENT, admin.call(Cmd.KFDFS_DRAIN, new DrainRequest("group1", true, "100009")).status());
        assertEquals(Status.ENOENT, admin.call(Cmd.KFDFS_DRAIN, new DrainRequest("nogroup", true, "100001")).status());
        assertEquals(Status.EINVAL, admin.call(Cmd.KFDFS_DRAIN, new GroupName("group1")).status(), "no flag, no ID");
    }

    static String fileName(int serverId, long timestamp, boolean appender) {
        FileName.Block block = new FileName.Block(FileName.sourceOfServerId(serverId), timestamp,
                FileName.sizeField(5, appender, 0x1234), 0x3610a686);
        return FileName.remoteFilename(0, 0, 0, block, "123.txt");
    }

    int fetchPort(TestClient c, int cmd, String name) throws Exception {
        TestClient.Reply r = c.call(cmd, new GroupFile("group1", name));
        assertEquals(Status.OK, r.status(), Cmd.name(cmd) + " " + name);
        return FetchReply.decode(r.buffer()).server().port();
    }

    @Test
    void downloadsGoWhereTheFileIs() throws Exception {
        tracker("reserved_storage_space = 10%\n");
        storage("group1", "100001", 23000, 1000, 500);
        FakeStorage b = storage("group1", "100002", 23001, 1000, 500);
        long now = System.currentTimeMillis() / 1000;
        String fresh = fileName(100001, now, false);
        TestClient c = client();
        for (int i = 0; i < 3; i++) {
            assertEquals(23000, fetchPort(c, Cmd.SERVICE_QUERY_FETCH_ONE, fresh), "only the source has it");
        }
        b.syncReport(new SyncReport.Entry("100001", (int) now + 1));
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ports.add(fetchPort(c, Cmd.SERVICE_QUERY_FETCH_ONE, fresh));
        }
        assertEquals(2, ports.stream().distinct().count(), "both have it now: round robin " + ports);
        String appender = fileName(100001, now - 1000, true);
        for (int i = 0; i < 3; i++) {
            assertEquals(23000, fetchPort(c, Cmd.SERVICE_QUERY_FETCH_ONE, appender), "appenders only on the source");
        }
        assertEquals(23000, fetchPort(c, Cmd.SERVICE_QUERY_UPDATE, fresh), "updates go to the source");
        assertEquals(23001, fetchPort(c, Cmd.SERVICE_QUERY_UPDATE, fileName(100002, now, false)));

        TestClient.Reply all = c.call(Cmd.SERVICE_QUERY_FETCH_ALL, new GroupFile("group1", fresh));
        assertEquals(List.of(new ServerAddress("127.0.0.1", 23000), new ServerAddress("127.0.0.1", 23001)),
                FetchAllReply.decode(all.buffer()).servers());
        assertEquals(Status.ENOENT, c.call(Cmd.SERVICE_QUERY_FETCH_ONE, new GroupFile("nogroup", fresh)).status());
        assertEquals(Status.EINVAL, c.call(Cmd.SERVICE_QUERY_FETCH_ONE, new GroupFile("group1", "M00/00/00/short"))
                .status());
    }

    @Test
    void oldFilesNeedTheTimeHeuristicsToBeReadFromReplicas() throws Exception {
        tracker("reserved_storage_space = 10%\n");
        storage("group1", "100001", 23000, 1000, 500);
        storage("group1", "100002", 23001, 1000, 500);
        String old = fileName(100001, System.currentTimeMillis() / 1000 - 200_000, false);
        TestClient c = client();
        for (int i = 0; i < 3; i++) {
            assertEquals(23000, fetchPort(c, Cmd.SERVICE_QUERY_FETCH_ONE, old), "heuristics off: source only");
        }
        closeAll();
        tracker = new TrackerFixture(dir.resolve("h"), "reserved_storage_space = 10%\ndownload_use_time_heuristics = true\n",
                IDS);
        storage("group1", "100001", 23000, 1000, 500);
        storage("group1", "100002", 23001, 1000, 500);
        TestClient h = client();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ports.add(fetchPort(h, Cmd.SERVICE_QUERY_FETCH_ONE, old));
        }
        assertEquals(2, ports.stream().distinct().count(), "older than storage_sync_file_max_delay: everywhere");
    }

    @Test
    void sourceDownServesReadsElsewhereAndHoldsChangesUntilItIsBack() throws Exception {
        tracker("reserved_storage_space = 10%\n");
        FakeStorage a = storage("group1", "100001", 23000, 1000, 500);
        storage("group1", "100002", 23001, 1000, 500);
        String fresh = fileName(100001, System.currentTimeMillis() / 1000, false);
        assertEquals(23000, fetchPort(client(), Cmd.SERVICE_QUERY_UPDATE, fresh), "changes go to the source");
        a.close();
        open.remove(a);
        TestClient c = client();
        eventually(() -> c.call(Cmd.SERVICE_QUERY_UPDATE, new GroupFile("group1", fresh)).status(),
                s -> s == Status.EAGAIN, "EAGAIN for an update of the fresh file");
        assertEquals(23001, fetchPort(c, Cmd.SERVICE_QUERY_FETCH_ONE, fresh), "reads go to the store server, as C falls back");
        String appender = fileName(100001, System.currentTimeMillis() / 1000, true);
        assertEquals(Status.EAGAIN, c.call(Cmd.SERVICE_QUERY_UPDATE, new GroupFile("group1", appender)).status(),
                "an appender file too, while its source is down");
        for (int cmd : new int[] {Cmd.SERVICE_QUERY_FETCH_ONE, Cmd.SERVICE_QUERY_FETCH_ALL}) {
            assertEquals(Status.EAGAIN, c.call(cmd, new GroupFile("group1", appender)).status(),
                    "an appender file is not read elsewhere while its source is down: a copy there may be half way");
        }
        assertEquals(0, c.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001")).status());
        assertEquals(23001, fetchPort(c, Cmd.SERVICE_QUERY_FETCH_ONE, appender),
                "its source retired, an appender file is read where it was copied");
        assertEquals(23001, fetchPort(c, Cmd.SERVICE_QUERY_UPDATE, fresh),
                "its source deleted (retired), a file's changes go to a member that has it");
        assertEquals(Status.ENOENT, c.call(Cmd.SERVICE_QUERY_UPDATE, new GroupFile("group1",
                fileName(100001, System.currentTimeMillis() / 1000, true))).status(),
                "an appender file is changed on its source only: the other member's copy may lag");
    }

    @Test
    void legacyFetchAllFormat() throws Exception {
        tracker("reserved_storage_space = 10%\nfetch_all_legacy_format = true\n");
        storage("group1", "100001", 23000, 1000, 500);
        FakeStorage b = storage("group1", "100002", 23001, 1000, 500);
        long now = System.currentTimeMillis() / 1000;
        b.syncReport(new SyncReport.Entry("100001", (int) now + 10));
        TestClient.Reply r = client().call(Cmd.SERVICE_QUERY_FETCH_ALL, new GroupFile("group1",
                fileName(100001, now, false)));
        assertEquals(16 + 23 + 15, r.body().length);
        assertEquals(List.of("127.0.0.1", "127.0.0.1"), FetchAllReply.decodeLegacy(ByteBuffer.wrap(r.body()), 16)
                .servers().stream().map(ServerAddress::ip).toList());
    }

    @Test
    void emptyBodyCommandsRefuseABody() throws Exception {
        tracker("");
        TestClient c = client();
        c.send(ByteBuffer.allocate(11).putLong(1).put((byte) Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).array());
        assertEquals(Status.EINVAL, c.read().status());
        assertEquals(true, c.closedWithin(2000));
        assertEquals(Status.ENOENT, client().call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL, Body.EMPTY).status());
    }
}
