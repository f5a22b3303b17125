package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.replay.Mask;
import io.kfdfs.protocol.replay.Replay;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StatusReport;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client connections the C tools opened to the C tracker, replayed against this tracker with storages
 * registered as they were then: every reply must match, except times, space, counters and the tracker's
 * own port.
 */
class VectorReplayTest {

    /** The capture's storage_ids.conf (vectors/conf). */
    static final String IDS = "100001 group1 127.0.0.1:23200\n100002 group1 127.0.0.1:23201\n";
    static final String CONF = "store_lookup = 0\nreserved_storage_space = 20%\n";

    @TempDir
    Path dir;

    /** Scenario 8's 104: where the round robin stood after every upload of the C session. */
    static final int ROUND_ROBIN_REPLY = 1601;

    static Mask mask(VectorFrame reply) {
        Mask m = Mask.none();
        if (reply.index() == ROUND_ROBIN_REPLY) {
            m.ignore(16 + 15, 16 + 15 + 8);
        }
        switch (reply.reqCmd()) {
            case Cmd.SERVER_LIST_ONE_GROUP, Cmd.SERVER_LIST_ALL_GROUPS -> m.ignore(17, 41).ignore(81, 89);
            case Cmd.SERVER_LIST_STORAGE -> {
                int size = StorageStat.size(16, false);
                for (int r = 0; r < reply.length() / size; r++) {
                    m.ignore(r * size + 58, r * size + 106).ignore(r * size + 138, r * size + 486);
                }
            }
            case Cmd.SERVER_GET_LEADER -> m.ignoreFrom("127.0.0.1:".length()).ignoreLength();
            // 73-75: kfdfs's mark on the version, 6.16.1k (docs/protocol.md §14.4)
            case Cmd.SERVER_TRACKER_CLUSTER_STAT -> m.ignore(11, 53).ignore(55, 67).ignore(73, 91);
            case Cmd.SERVER_STORAGE_CLUSTER_STAT -> {
                for (int r = 0; r < (reply.length() - 6) / 106; r++) {
                    int at = 6 + r * 106;
                    m.fixedString(at, 16).fixedString(at + 16, 52).ignore(at + 70, at + 82).ignore(at + 90, at + 106);
                }
            }
            case Cmd.SERVER_STORAGE_VOLUMN_STAT -> m.fixedString(5, 17).ignore(5 + 17, 5 + 57);
            case Cmd.STORAGE_SYNC_SRC_REQ -> m.ignore(16, 24); // the cutoff is the tracker's clock
            default -> {
            }
        }
        return m;
    }

    /** Frame #574 is storage 100002's JOIN: before it, 100001 was the group's only member. */
    static final int SECOND_STORAGE_JOINED = 574;

    static Replay replay(TrackerFixture t, boolean afterSecondJoined, String... files) throws Exception {
        return replay(t, f -> (f.index() >= SECOND_STORAGE_JOINED) == afterSecondJoined, files);
    }

    static Replay replay(TrackerFixture t, Predicate<VectorFrame> which, String... files) throws Exception {
        Replay replay = new Replay("127.0.0.1", t.port(), VectorReplayTest::mask);
        for (String file : files) {
            replay.run(Replay.connections(Vectors.load(file), f -> f.toTracker() && which.test(f)));
        }
        return replay;
    }

    /** How many replies the C tracker sent on the chosen connections. */
    static long replies(String file, Predicate<VectorFrame> which) {
        return Vectors.load(file).stream().filter(f -> f.toTracker() && !f.request() && which.test(f)).count();
    }

    /**
     * The second storage joins as in the capture: synced from 100001, then ACTIVE, and its SYNC_REPORT
     * shows it has everything up to the cutoff (so it is readable, as it was in the capture).
     */
    static FakeStorage joinSecond(TrackerFixture t, long totalMb, long freeMb) throws Exception {
        FakeStorage s2 = new FakeStorage(t.port(), "group1", "100002", 23201);
        s2.join(true, 0);
        long until = s2.syncDestReq().orElseThrow().untilTimestamp();
        s2.syncNotify("100001", until);
        try (TestClient source = new TestClient(t.port())) {
            for (int status : new int[] {StorageStatus.SYNCING, StorageStatus.OFFLINE}) {
                source.call(Cmd.STORAGE_REPORT_STATUS, new StatusReport("group1",
                        new StorageBrief(status, 0, "100002", "127.0.0.1")));
            }
        }
        s2.beat();
        s2.diskUsage(totalMb, freeMb);
        s2.syncReport(new SyncReport.Entry("100001", (int) until), new SyncReport.Entry("100002", 0));
        return s2;
    }

    /** Uploads and downloads of scenarios 2 and 3, with the members the group had at the time. */
    @Test
    void uploadAndDownloadQueries() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, CONF, IDS);
             FakeStorage s1 = new FakeStorage(t.port(), "group1", "100001", 23200).startAlone(258019, 79546)) {
            Replay alone = replay(t, false, "02_upload.jsonl", "03_download.jsonl");
            assertEquals(List.of(), alone.mismatches());
            assertEquals(14, alone.compared());
            try (FakeStorage s2 = joinSecond(t, 258019, 79546)) {
                Replay both = replay(t, true, "02_upload.jsonl", "03_download.jsonl");
                assertEquals(List.of(), both.mismatches());
                assertEquals(5, both.compared());
            }
        }
    }

    /** fdfs_monitor and the stat tools of scenario 6 ran with both storages active. */
    @Test
    void monitorQueries() throws Exception {
        try (TrackerFixture t = new TrackerFixture(dir, CONF, IDS);
             FakeStorage s1 = new FakeStorage(t.port(), "group1", "100001", 23200).startAlone(258019, 79236);
             FakeStorage s2 = joinSecond(t, 258019, 79236)) {
            Replay r = replay(t, true, "06_monitor.jsonl");
            assertEquals(new ArrayList<String>(), r.mismatches());
            assertTrue(r.compared() >= 10, "compared " + r.compared());
        }
    }

    /**
     * The requests of scenario 8 to the tracker (unknown groups and commands, bad lengths, unjoined storage
     * commands, lookups): before the C tracker restarted both storages were active; after it, 100002 was
     * back to WAIT_SYNC (testdata/vectors/NOTES.md C9).
     */
    @Test
    void errorReplies() throws Exception {
        Predicate<VectorFrame> beforeRestart = f -> f.index() < StorageTrafficReplayTest.RESTART;
        String conf = ParametersTest.capturedConf("tracker.conf");
        try (TrackerFixture t = new TrackerFixture(dir, conf, IDS);
             FakeStorage s1 = new FakeStorage(t.port(), "group1", "100001", 23200).startAlone(258019, 79264);
             FakeStorage s2 = joinSecond(t, 258019, 79264)) {
            Replay r = replay(t, beforeRestart, "08_errors.jsonl");
            assertEquals(new ArrayList<String>(), r.mismatches());
            assertEquals(replies("08_errors.jsonl", beforeRestart), r.compared(), "every reply compared");
        }
        try (TrackerFixture t = new TrackerFixture(dir.resolve("restarted"), conf, IDS);
             FakeStorage s1 = new FakeStorage(t.port(), "group1", "100001", 23200).startAlone(258019, 79262);
             FakeStorage s2 = new FakeStorage(t.port(), "group1", "100002", 23201)) {
            s2.join(true, 0);
            s2.syncNotify("100001", s2.syncDestReq().orElseThrow().untilTimestamp());
            Replay r = replay(t, beforeRestart.negate(), "08_errors.jsonl");
            assertEquals(new ArrayList<String>(), r.mismatches());
            assertEquals(replies("08_errors.jsonl", beforeRestart.negate()), r.compared(), "every reply compared");
        }
    }
}
