package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full sync (docs/protocol.md §6.3): a member that joins a group holding files, or that lost its files, is
 * filled from its peers without hand work, and clients are sent to it only once it holds everything.
 */
class FullSyncTest {

    @TempDir
    Path dir;

    /** Runs a mixed load on each of the first {@code loaded} members and waits until they all agree. */
    private static void loadAndConverge(ReplicaGroup g, int loaded, int ops) throws Exception {
        for (int m = 0; m < loaded; m++) {
            try (TestClient c = g.client(m)) {
                new MixedLoad(10 + m).run(c, ops);
            }
        }
        for (int m = 1; m < loaded; m++) {
            int member = m;
            eventually(() -> MixedLoad.difference(MixedLoad.tree(g.storeRoot(0)), MixedLoad.tree(g.storeRoot(member))),
                    String::isEmpty, "the loaded members agree");
        }
    }

    @Test
    void aNewMemberIsFilledFromTheGroupAndReadableOnlyOnceItHoldsEverything() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 3)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            loadAndConverge(g, 2, 300);
            Map<String, String> files = MixedLoad.tree(g.storeRoot(0));

            g.start(2);
            Set<Integer> statuses = new HashSet<>();
            eventually(() -> {
                statuses.add(g.storage(2).map(s -> s.status()).orElse(-1));
                return g.group().readableServerCount();
            }, n -> n == 3, Duration.ofSeconds(60), "the new member readable");
            assertEquals("", MixedLoad.difference(files, MixedLoad.tree(g.storeRoot(2))),
                    "readable only once it holds every file");
            assertTrue(statuses.contains(StorageStatus.WAIT_SYNC) || statuses.contains(StorageStatus.SYNCING),
                    "went through the full sync: " + statuses);
            assertEquals(StorageStatus.ACTIVE, g.storage(2).orElseThrow().status());
        }
    }

    /**
     * A member keeps the source of its full sync in .data_init_flag and names it to the trackers after every
     * JOIN (SYNC_NOTIFY). Once that source has been retired and deleted the trackers answer ENOENT; the member
     * used to end the session on it and never joined again (a group scaled in, or moved off C, lost its
     * survivors at their next restart). Now it forgets the source, as C does, and joins.
     */
    @Test
    void aMemberWhoseSyncSourceWasDeletedJoinsAgainAfterARestart() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            g.start(0);
            g.awaitActive(0);
            loadAndConverge(g, 1, 50);
            g.start(1);
            g.awaitActive(1);
            g.awaitSameTrees(2, 60);
            assertTrue(Files.readString(g.base(1).resolve("data/.data_init_flag")).contains("sync_src_server=100001"));
            g.stop(0);
            try (TestClient admin = new TestClient(g.tracker(0).port())) {
                eventually(() -> admin.call(Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter("group1", "100001")).status(),
                        s -> s == Status.OK, "100001 deleted once OFFLINE");
            }
            g.stop(1);
            g.start(1);
            g.awaitActive(1);
            assertTrue(Files.readString(g.base(1).resolve("data/.data_init_flag")).contains("sync_src_server=\n"),
                    "the deleted source forgotten");
            g.stop(1);
            g.start(1);
            g.awaitActive(1);
        }
    }

    /**
     * With two trackers, only the leader sends a member the group's statuses: on the follower the new member
     * saw itself as still syncing and asked that tracker to adopt the leader's status by CHANGE_STATUS and a
     * new session, which made it OFFLINE there for a beat. It now asks the follower first (71) and finds the
     * follower already past the sync.
     */
    @Test
    void aFullySyncedMemberStaysActiveOnEveryTracker() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2, 2, false)) {
            g.start(0);
            g.awaitActive(0);
            loadAndConverge(g, 1, 100);
            g.start(1);
            Map<Integer, List<Integer>> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long end = 0;
            while (end == 0 || System.nanoTime() < end) {
                assertTrue(end != 0 || System.nanoTime() < deadline, "ACTIVE on both trackers within 60 s: " + seen);
                boolean everywhere = true;
                for (int t = 0; t < 2; t++) {
                    int status = g.tracker(t).storages("group1").stream().filter(s -> s.id().equals(ReplicaGroup.id(1)))
                            .findFirst().map(s -> s.status()).orElse(-1);
                    List<Integer> statuses = seen.computeIfAbsent(t, k -> new ArrayList<>());
                    if (statuses.isEmpty() || statuses.get(statuses.size() - 1) != status) {
                        statuses.add(status);
                    }
                    everywhere &= status == StorageStatus.ACTIVE;
                }
                if (everywhere && end == 0) {
                    // a few beats and sync reports after: the flap came about 5 s after the full sync
                    end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                }
                Thread.sleep(50); // polling both trackers' view; no event to wait for
            }
            for (int t = 0; t < 2; t++) {
                List<Integer> statuses = seen.get(t);
                int firstActive = statuses.indexOf(StorageStatus.ACTIVE);
                assertEquals(List.of(StorageStatus.ACTIVE), statuses.subList(firstActive, statuses.size()),
                        "tracker " + t + " once ACTIVE stays so: " + statuses);
            }
        }
    }

    /**
     * testdata/vectors/NOTES.md C9: a tracker that crashed before it saved the end of a full sync brings the member back as
     * WAIT_SYNC; the source sees it wait and reports SYNCING and OFFLINE again (its mark says the full
     * sync is done), so the member does not wait for ever.
     */
    @Test
    void aTrackerThatLostTheEndOfAFullSyncDoesNotLeaveTheMemberWaiting() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            loadAndConverge(g, 1, 50);
            g.tracker(0).stop();
            Path servers = g.tracker(0).data("storage_servers_new.dat");
            String saved = Files.readString(servers);
            int at = saved.indexOf("id=" + ReplicaGroup.id(1));
            int status = saved.indexOf("status=", at);
            Files.writeString(servers, saved.substring(0, status) + "status=" + StorageStatus.WAIT_SYNC
                    + saved.substring(saved.indexOf('\n', status)));
            g.tracker(0).start();
            g.awaitActive(1);
            try (TestClient c = g.client(0)) {
                c.upload("after the tracker's crash".getBytes(), "txt");
            }
            g.awaitSameTrees(2, 30);
        }
    }

    @Test
    void aMemberWhoseDataWasWipedIsFilledAgainFromItsPeers() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            loadAndConverge(g, 2, 200);
            g.stop(1);
            MixedLoad.deleteTree(g.base(1));
            g.start(1);
            g.awaitSameTrees(2, 60);
            g.awaitActive(1);
        }
    }

    @Test
    void aStorePathThatLostItsFilesIsFilledAgainFromItsPeers() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2, 1, true)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            loadAndConverge(g, 2, 200);
            g.stop(1);
            MixedLoad.deleteTree(g.storeRoot(1));
            g.start(1);
            g.awaitSameTrees(2, 60);
            g.awaitActive(1);
            try (TestClient c = g.client(1)) {
                assertTrue(c.upload("after the rebuild".getBytes(), "txt").startsWith("M00/"));
            }
        }
    }
}
