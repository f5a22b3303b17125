package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.JoinLeaderRequest;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.kfdfs.protocol.tracker.TextBody;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.protocol.tracker.TrackerStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two trackers that learn of each other from storage JOINs elect one leader and fail over (§5.3). */
class LeaderElectionTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n";

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
        TrackerFixture t = new TrackerFixture(dir.resolve(name), "reserved_storage_space = 10%\n", IDS);
        open.add(t);
        return t;
    }

    /** The storage reports to both trackers, each connection naming both, as a real storage does. */
    FakeStorage reportTo(TrackerFixture t, TrackerFixture... all) throws Exception {
        FakeStorage s = new FakeStorage(t.port(), "group1", "100001", 23000);
        open.add(s);
        s.trackers = java.util.Arrays.stream(all).map(x -> "127.0.0.1:" + x.port()).toList();
        return s.startAlone(1000, 500);
    }

    static TrackerClient.Reply ask(TrackerFixture t, int cmd) throws Exception {
        try (TrackerClient c = new TrackerClient(t.port())) {
            return c.call(cmd);
        }
    }

    static boolean leads(TrackerFixture t) throws Exception {
        TrackerClient.Reply r = ask(t, Cmd.TRACKER_GET_STATUS);
        return r.status() == Status.OK && TrackerStatus.decode(r.buffer()).leader();
    }

    static String leaderSeenBy(TrackerFixture t) throws Exception {
        TrackerClient.Reply r = ask(t, Cmd.SERVER_GET_LEADER);
        return r.status() == Status.OK ? new String(r.body()) : "";
    }

    @Test
    void oneLeaderFollowersPingAndOnlyTheLeaderAnnounces() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture b = tracker("b");
        FakeStorage toA = reportTo(a, a, b);
        FakeStorage toB = reportTo(b, a, b);
        StorageSessionTest.waitFor(() -> leads(a) != leads(b) && !leaderSeenBy(a).isEmpty()
                && leaderSeenBy(a).equals(leaderSeenBy(b)));
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
        try (TrackerClient c = new TrackerClient((leader == a ? b : a).port())) {
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                    new TrackerClusterStatRequest(0, false, false)).status(), "cluster stat is the leader's");
        }
        StorageSessionTest.waitFor(() -> {
            try (TrackerClient c = new TrackerClient(leader.port())) {
                TrackerClusterStat s = TrackerClusterStat.decode(c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT,
                        new TrackerClusterStatRequest(0, false, false)).buffer());
                return s.trackers().size() == 2 && s.trackers().stream().allMatch(TrackerClusterStat.Tracker::active);
            }
        });
    }

    @Test
    void theFollowerTakesOverWhenTheLeaderDies() throws Exception {
        TrackerFixture a = tracker("a");
        TrackerFixture b = tracker("b");
        reportTo(a, a, b);
        reportTo(b, a, b);
        StorageSessionTest.waitFor(() -> leads(a) != leads(b) && leaderSeenBy(a).equals(leaderSeenBy(b)));
        TrackerFixture leader = leads(a) ? a : b;
        TrackerFixture follower = leader == a ? b : a;
        leader.stop();
        StorageSessionTest.waitFor(20, () -> leads(follower));
        assertEquals("127.0.0.1:" + follower.port(), leaderSeenBy(follower));
    }

    @Test
    void peerCommandsAreChecked() throws Exception {
        TrackerFixture a = tracker("a");
        reportTo(a, a);
        StorageSessionTest.waitFor(() -> leads(a));
        try (TrackerClient c = new TrackerClient(a.port())) {
            assertEquals(Status.ENOENT, c.call(Cmd.TRACKER_NOTIFY_NEXT_LEADER, new TextBody("127.0.0.9:22122")).status(),
                    "not a tracker the storages named");
            assertEquals(Status.EINVAL, c.call(Cmd.TRACKER_COMMIT_NEXT_LEADER, new TextBody("127.0.0.1:1")).status(),
                    "a commit without its notification");
            assertEquals(Status.ENOENT, c.call(Cmd.TRACKER_JOIN_LEADER,
                    new JoinLeaderRequest(1, "6.16.1", 22999)).status(), "an unknown follower");
            assertEquals(Status.OK, c.call(Cmd.TRACKER_GET_SYS_FILES_START).status());
            SysFileChunk groups = SysFileChunk.decode(c.call(Cmd.TRACKER_GET_ONE_SYS_FILE,
                    new SysFileRequest(0, 0)).buffer());
            assertTrue(new String(groups.data()).contains("group_name=group1"));
            assertEquals(groups.fileSize(), groups.data().length);
            try (TrackerClient other = new TrackerClient(a.port())) {
                assertEquals(Status.EBUSY, other.call(Cmd.TRACKER_GET_SYS_FILES_START).status());
            }
            assertEquals(Status.OK, c.call(Cmd.TRACKER_GET_SYS_FILES_END).status());
            assertEquals(Status.OK, c.call(Cmd.TRACKER_NOTIFY_RESELECT_LEADER).status(), "the leader steps down");
            assertEquals(Status.EOPNOTSUPP, c.call(Cmd.TRACKER_NOTIFY_RESELECT_LEADER).status());
        }
        StorageSessionTest.waitFor(20, () -> leads(a));
    }
}
