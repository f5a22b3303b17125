package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.JoinLeaderRequest;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.kfdfs.protocol.tracker.TextBody;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.protocol.tracker.TrackerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two trackers that learn of each other from storage JOINs elect one leader and fail over, and a tracker
 * without data (or down too long) copies a peer's before it accepts a storage (§5.3).
 */
class LeaderElectionTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n"
            + "100003 group1 127.0.0.1:23002\n";

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    TrackerFixture tracker(String name) throws Exception {
        return tracker(name, "");
    }

    TrackerFixture tracker(String name, String conf) throws Exception {
        TrackerFixture t = new TrackerFixture(dir.resolve(name), "reserved_storage_space = 10%\n" + conf, IDS);
        open.add(t);
        return t;
    }

    /** The tracker_server lines of a storage that reports to {@code all}. */
    static List<String> trackerLines(TrackerFixture... all) {
        return java.util.Arrays.stream(all).map(t -> "127.0.0.1:" + t.port()).toList();
    }

    /** The storage reports to both trackers, each connection naming both, as a real storage does. */
    FakeStorage reportTo(TrackerFixture t, TrackerFixture... all) throws Exception {
        FakeStorage s = new FakeStorage(t.port(), "group1", "100001", 23000);
        open.add(s);
        s.trackers = trackerLines(all);
        return s.startAlone(1000, 500);
    }

    static TestClient.Reply ask(TrackerFixture t, int cmd) throws Exception {
        try (TestClient c = new TestClient(t.port())) {
            return c.call(cmd);
        }
    }

    static boolean leads(TrackerFixture t) throws Exception {
        TestClient.Reply r = ask(t, Cmd.TRACKER_GET_STATUS);
        return r.status() == Status.OK && TrackerStatus.decode(r.buffer()).leader();
    }

    static String leaderSeenBy(TrackerFixture t) throws Exception {
        TestClient.Reply r = ask(t, Cmd.SERVER_GET_LEADER);
        return r.status() == Status.OK ? new String(r.body()) : "";
    }

    /** What two trackers say of the leadership, asked one after the other. */
    record Views(boolean aLeads, boolean bLeads, String aSees, String bSees) {
        static Views of(TrackerFixture a, TrackerFixture b) throws Exception {
            return new Views(leads(a), leads(b), leaderSeenBy(a), leaderSeenBy(b));
        }
    }

    @Test
    void oneLeaderFollowersPingAndOnlyTheLeaderAnnounces() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture b = tracker("b");
        FakeStorage toA = reportTo(a, a, b);
        FakeStorage toB = reportTo(b, a, b);
        eventually(() -> Views.of(a, b), v -> v.aLeads() != v.bLeads() && !v.aSees().isEmpty()
                && v.aSees().equals(v.bSees()), "one leader, seen by both");
        TrackerFixture leader = leads(a) ? a : b;
        FakeStorage toLeader = leader == a ? toA : toB;
        FakeStorage toFollower = leader == a ? toB : toA;
        assertEquals("127.0.0.1:" + leader.port(), leaderSeenBy(leader));

        assertEquals(ChangeNotice.NONE, toFollower.emptyBeat(), "a follower never announces");
        try (FakeStorage again = new FakeStorage(leader.port(), "group1", "100001", 23000)) {
            again.trackers = toLeader.trackers;
            again.join(false, 7);
            ChangeNotice n = again.emptyBeat();
            assertNotNull(n.leader(), "a new connection to the leader learns who leads");
            assertEquals(leader.port(), n.leader().port());
        }
        try (TestClient c = new TestClient((leader == a ? b : a).port())) {
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                    new TrackerClusterStatRequest(0, false, false)).status(), "cluster stat is the leader's");
        }
        eventually(() -> {
            try (TestClient c = new TestClient(leader.port())) {
                return TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                        new TrackerClusterStatRequest(0, false, false)).buffer()).trackers();
            }
        }, t -> t.size() == 2 && t.stream().allMatch(TrackerClusterStat.Tracker::active), "both trackers active");
    }

    @Test
    void theFollowerTakesOverWhenTheLeaderDies() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture b = tracker("b");
        reportTo(a, a, b);
        reportTo(b, a, b);
        eventually(() -> Views.of(a, b), v -> v.aLeads() != v.bLeads() && v.aSees().equals(v.bSees()),
                "one leader, seen by both");
        TrackerFixture leader = leads(a) ? a : b;
        TrackerFixture follower = leader == a ? b : a;
        leader.stop();
        eventually(() -> leads(follower), yes -> yes, "the follower leading");
        assertEquals("127.0.0.1:" + follower.port(), leaderSeenBy(follower));
    }

    @Test
    void peerCommandsAreChecked() throws Exception {
        TrackerFixture a = tracker("a");
        reportTo(a, a);
        eventually(() -> leads(a), yes -> yes, "a leading");
        try (TestClient c = new TestClient(a.port())) {
            assertEquals(Status.EINVAL, c.call(Cmd.TRACKER_COMMIT_NEXT_LEADER, new TextBody("127.0.0.1:1")).status(),
                    "a commit without its notification");
            assertEquals(Status.OK, c.call(Cmd.TRACKER_JOIN_LEADER, new JoinLeaderRequest(1, "6.16.1", 22999)).status(),
                    "a follower the storages did not name registers all the same");
            assertEquals(java.util.Set.of("127.0.0.1:22999", "127.0.0.1:" + a.port()), java.util.Set.copyOf(trackersSeenBy(a)));
            assertEquals(Status.OK, c.call(Cmd.TRACKER_GET_SYS_FILES_START).status());
            SysFileChunk groups = SysFileChunk.decode(c.call(Cmd.TRACKER_GET_ONE_SYS_FILE,
                    new SysFileRequest(0, 0)).buffer());
            assertTrue(new String(groups.data()).contains("group_name=group1"));
            assertEquals(groups.fileSize(), groups.data().length);
            try (TestClient other = new TestClient(a.port())) {
                assertEquals(Status.EBUSY, other.call(Cmd.TRACKER_GET_SYS_FILES_START).status());
            }
            assertEquals(Status.OK, c.call(Cmd.TRACKER_GET_SYS_FILES_END).status());
            assertEquals(Status.OK, c.call(Cmd.TRACKER_NOTIFY_RESELECT_LEADER).status(), "the leader steps down");
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.TRACKER_NOTIFY_RESELECT_LEADER).status());
            assertEquals(Status.OK, c.call(Cmd.TRACKER_NOTIFY_NEXT_LEADER, new TextBody("127.0.0.9:22122")).status(),
                    "a candidate the storages did not name announces itself all the same");
        }
        eventually(() -> leads(a), yes -> yes, "a leading");
        assertTrue(trackersSeenBy(a).contains("127.0.0.9:22122"), "the candidate is a tracker: " + trackersSeenBy(a));
    }

    /** The trackers the leader {@code t} knows (96). */
    static List<String> trackersSeenBy(TrackerFixture t) throws Exception {
        try (TestClient c = new TestClient(t.port())) {
            return TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                    new TrackerClusterStatRequest(0, false, false)).buffer()).trackers().stream()
                    .map(TrackerClusterStat.Tracker::host).toList();
        }
    }

    /**
     * A tracker pod that starts after the storages joined the running tracker: the storages name every
     * tracker to the new one only, so the leader learns it from its registration and keeps leading.
     */
    @Test
    void aTrackerStartedAfterTheStoragesJoinedFollowsTheLeader() throws Exception {
        TrackerFixture a = tracker("a");
        reportTo(a, a);
        eventually(() -> leads(a), yes -> yes, "a leading");
        TrackerFixture b = tracker("b");
        reportTo(b, a, b);
        eventually(() -> {
            try (TestClient c = new TestClient(a.port())) {
                return TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                        new TrackerClusterStatRequest(0, false, false)).buffer()).trackers();
            }
        }, t -> t.size() == 2 && t.stream().allMatch(TrackerClusterStat.Tracker::active), "both trackers active");
        assertTrue(leads(a) && !leads(b));
        assertEquals("127.0.0.1:" + a.port(), leaderSeenBy(b));
    }

    // ---------------------------------------------------------------- system-data copy

    /**
     * Gives {@code t} data of its own: 100001 ACTIVE, 100002 waiting for its full sync from 100001, and
     * 100003 deleted (a changelog line). The storages name the trackers {@code named}.
     */
    void fill(TrackerFixture t, TrackerFixture... named) throws Exception {
        FakeStorage a = new FakeStorage(t.port(), "group1", "100001", 23000);
        FakeStorage b = new FakeStorage(t.port(), "group1", "100002", 23001);
        open.add(a);
        open.add(b);
        a.trackers = trackerLines(named);
        b.trackers = a.trackers;
        a.startAlone(1000, 500);
        b.join(true, 0);
        assertEquals("100001", b.syncDestReq().orElseThrow().srcId());
        try (FakeStorage c = new FakeStorage(t.port(), "group1", "100003", 23002)) {
            c.trackers = a.trackers;
            c.join(true, 0);
        }
        eventually(() -> {
            try (TestClient admin = new TestClient(t.port())) {
                return admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100003")).status();
            }
        }, s -> s == Status.OK, "100003 deleted");
    }

    /** 100001 joins {@code t}, its JOIN naming {@code named}. */
    FakeStorage joiner(TrackerFixture t, TrackerFixture... named) throws Exception {
        FakeStorage s = new FakeStorage(t.port(), "group1", "100001", 23000);
        open.add(s);
        s.trackers = trackerLines(named);
        return s;
    }

    @Test
    void aPeerThatStaysUnreachableHoldsJoinsBackForPeerDataWaitOnly() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture fresh = tracker("b", "peer_data_wait = 1\n");
        fill(a, a, fresh);
        a.stop();
        FakeStorage s = joiner(fresh, a, fresh);
        assertEquals(Status.EAGAIN, s.joinReply(false, StorageStatus.ACTIVE).status());
        // peer_data_wait is 1 s here and a minute by default: taken within 10 s, the JOIN was held for it only
        eventually(() -> s.joinReply(false, StorageStatus.ACTIVE).status(), st -> st == Status.OK,
                Duration.ofSeconds(10), "a JOIN taken after peer_data_wait: the tracker starts from what the storages report");
        assertEquals("100001", fresh.storage("group1", "100001").orElseThrow().id());
        try (TestClient c = new TestClient(fresh.port())) {
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100002"))
                    .status(), "100002 never reported here, and the copy that knew it was not made");
        }
    }

    @Test
    void aFreshTrackerCopiesItsPeersDataBeforeTheFirstJoin() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture fresh = tracker("b");
        fill(a, a, fresh);
        assertEquals(new JoinReply(StorageStatus.ONLINE, ""), joiner(fresh, a, fresh).join(false, StorageStatus.ACTIVE));
        StorageStat waiting = fresh.storage("group1", "100002").orElseThrow();
        assertEquals(List.of(StorageStatus.WAIT_SYNC, "100001"), List.of(waiting.status(), waiting.srcId()),
                "known from the copy only: 100002 never reported to this tracker");
        for (String f : List.of(StateFiles.GROUPS, StateFiles.CHANGELOG)) {
            assertEquals(Files.readString(a.data(f)), Files.readString(fresh.data(f)), f);
        }
        assertTrue(Files.readString(fresh.data(StateFiles.CHANGELOG)).matches("\\d+ group1 100003 4 \n"));
        try (TestClient c = new TestClient(a.port())) {
            assertEquals(Status.OK, c.call(Cmd.TRACKER_GET_SYS_FILES_START).status(), "the copier released the lock");
        }
    }

    @Test
    void aJoinGetsEagainWhileNoPeerCanBeAsked() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture fresh = tracker("b");
        fill(a, a, fresh);
        a.stop();
        FakeStorage s = joiner(fresh, a, fresh);
        assertEquals(Status.EAGAIN, s.joinReply(false, StorageStatus.ACTIVE).status());
        assertEquals(Status.EACCES, s.call(Cmd.STORAGE_BEAT, io.kfdfs.protocol.Body.EMPTY).status(), "not joined");
        try (TestClient c = new TestClient(fresh.port())) {
            assertEquals(0, c.call(Cmd.SERVER_LIST_ALL_GROUPS).body().length, "nothing taken in, still serving");
        }
        a.start();
        assertEquals(StorageStatus.ONLINE, s.join(false, StorageStatus.ACTIVE).status(), "joins again once copied");
        assertEquals(StorageStatus.WAIT_SYNC, fresh.storage("group1", "100002").orElseThrow().status());
    }

    @Test
    void aPeerWithoutDataHasNothingToGive() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture b = tracker("b");
        assertEquals(new JoinReply(StorageStatus.INIT, ""), joiner(b, a, b).join(true, 0));
        try (TestClient c = new TestClient(b.port())) {
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100002"))
                    .status());
        }
    }

    /** A data directory of group9 alone, written by a tracker that stopped {@code downSeconds} ago. */
    void oldData(String name, long downSeconds) throws Exception {
        Path data = dir.resolve(name).resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve(StateFiles.GROUPS), "[Global]\n\tgroup_count=1\n\n[Group001]\n"
                + "\tgroup_name=group9\n\tstorage_port=23000\n\tstore_path_count=1\n\tsubdir_count_per_path=256\n");
        long now = System.currentTimeMillis() / 1000;
        Files.writeString(data.resolve(StateFiles.STATUS), StateFiles.trackerStatus(now - 86400, now - downSeconds));
    }

    @Test
    void aTrackerDownLongerThanTenMinutesCopiesFresherData() throws Exception {
        TrackerFixture a = tracker("a");
        fill(a, a);
        eventually(() -> leads(a), yes -> yes, "a leading");
        oldData("long", 1000);
        oldData("short", 60);
        TrackerFixture longDown = tracker("long");
        TrackerFixture shortDown = tracker("short");
        joiner(longDown, a, longDown).join(false, StorageStatus.ACTIVE);
        joiner(shortDown, a, shortDown).join(false, StorageStatus.ACTIVE);
        try (TestClient c = new TestClient(longDown.port())) {
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group9")).status(),
                    "replaced by the leader's data");
        }
        assertEquals(StorageStatus.WAIT_SYNC, longDown.storage("group1", "100002").orElseThrow().status());
        try (TestClient c = new TestClient(shortDown.port())) {
            assertEquals(Status.OK, c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("group9")).status(), "kept");
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100002"))
                    .status(), "nothing copied");
        }
    }
}
