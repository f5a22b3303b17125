package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.JoinRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and broken requests get the FastDFS status (or a close) while the tracker keeps serving others. */
class BadInputTest {

    @TempDir
    Path dir;
    TrackerFixture tracker;
    FakeStorage member;

    @BeforeEach
    void start() throws Exception {
        tracker = new TrackerFixture(dir, "reserved_storage_space = 10%\n", "100001 group1 127.0.0.1:23000\n");
        member = new FakeStorage(tracker.port(), "group1", "100001", 23000).startAlone(1000, 500);
    }

    @AfterEach
    void stop() throws Exception {
        member.close();
        tracker.close();
    }

    /** The tracker still answers a well-behaved client and the joined storage. */
    void stillServing() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            assertEquals(Status.OK, c.call(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).status());
        }
        assertEquals(0, member.emptyBeat().flags());
    }

    static byte[] header(long length, int cmd) {
        return new Header(length, cmd, 0).toBytes();
    }

    @Test
    void unknownCommandIsInvalidAndTheConnectionStays() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            c.send(header(0, 200));
            assertEquals(Status.EINVAL, c.read().status());
            c.send(ByteBuffer.allocate(13).put(header(3, 201)).put(new byte[3]).array());
            assertEquals(Status.EINVAL, c.read().status());
            assertEquals(Status.OK, c.call(Cmd.ACTIVE_TEST).status());
        }
        stillServing();
    }

    @Test
    void overlongBodiesAreRefusedAndTheConnectionClosed() throws Exception {
        for (int cmd : new int[] {Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, Cmd.STORAGE_JOIN, Cmd.STORAGE_BEAT,
                Cmd.SERVER_LIST_ALL_GROUPS}) {
            try (TestClient c = new TestClient(tracker.port())) {
                c.send(header(10_000_000, cmd));
                assertEquals(Status.EINVAL, c.read().status(), Cmd.name(cmd));
                assertTrue(c.closedWithin(2000), Cmd.name(cmd));
            }
        }
        stillServing();
    }

    @Test
    void negativeLengthClosesWithoutReply() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            c.send(header(-1, Cmd.ACTIVE_TEST));
            assertTrue(c.closedWithin(2000));
        }
        stillServing();
    }

    @Test
    void truncatedFrameIsCutOffAfterTheNetworkTimeout() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            c.send(ByteBuffer.allocate(15).put(header(16, Cmd.SERVER_LIST_ONE_GROUP)).put("group".getBytes()).array());
            stillServing();
            assertTrue(c.closedWithin(6000), "network_timeout = 2 s");
        }
    }

    @Test
    void wrongLengthsAndValuesAreInvalid() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            c.send(ByteBuffer.allocate(10 + 15).put(header(15, Cmd.SERVER_LIST_ONE_GROUP)).array());
            assertEquals(Status.EINVAL, c.read().status(), "group field of 15 bytes");
            c.send(ByteBuffer.allocate(10 + 100).put(header(100, Cmd.STORAGE_BEAT)).array());
            assertEquals(Status.EACCES, c.read().status(), "unjoined first");
            byte[] join = member.joinRequest(true, 0).toBytes();
            ByteBuffer.wrap(join).putLong(137, 9); // a tracker count the list does not hold
            c.send(ByteBuffer.allocate(10 + join.length).put(header(join.length, Cmd.STORAGE_JOIN)).put(join).array());
            assertEquals(Status.EINVAL, c.read().status());
            assertEquals(Status.OK, c.call(Cmd.ACTIVE_TEST).status());
        }
        assertEquals(Status.EINVAL, member.call(Cmd.STORAGE_BEAT, new GroupName("not-a-stat-block")).status());
        assertEquals(Status.EINVAL, member.call(Cmd.STORAGE_REPORT_DISK_USAGE,
                new io.kfdfs.protocol.tracker.DiskUsage(java.util.List.of(new io.kfdfs.protocol.tracker.DiskUsage.Path(1, 1),
                        new io.kfdfs.protocol.tracker.DiskUsage.Path(1, 1)))).status(), "the group has one store path");
        stillServing();
    }

    @Test
    void unknownGroupsAndStorages() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("nogroup")).status());
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("nogroup", "")).status());
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "999999")).status());
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_DELETE_GROUP, new GroupName("nogroup")).status());
            assertEquals(Status.ENOENT, c.call(Cmd.STORAGE_SYNC_SRC_REQ,
                    new io.kfdfs.protocol.tracker.GroupStorageId("group1", "999999")).status());
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.SERVER_SET_TRUNK_SERVER, new GroupStorageFilter("group1", ""))
                    .status(), "no trunk server");
        }
        stillServing();
    }

    @Test
    void invalidGroupNamesAreRefusedAtJoin() throws Exception {
        for (String bad : new String[] {"", "group_1", "group 1", "g\u00e9"}) {
            JoinRequest r = new JoinRequest(bad, 23000, 1, 256, 10, 1, 1, "6.16.1", true, 0, "100001", "127.0.0.1",
                    java.util.List.of("127.0.0.1:22122"));
            try (TestClient c = new TestClient(tracker.port())) {
                assertEquals(Status.EINVAL, c.call(Cmd.STORAGE_JOIN, r).status(), "group \"" + bad + "\"");
            }
        }
        stillServing();
    }

    @Test
    void quitClosesAndActiveTestWithABodyIsInvalid() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            c.send(ByteBuffer.allocate(11).put(header(1, Cmd.ACTIVE_TEST)).array());
            assertEquals(Status.EINVAL, c.read().status());
            c.send(header(0, Cmd.QUIT));
            assertTrue(c.closedWithin(2000));
        }
        stillServing();
    }
}
