package io.kfdfs.storage;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
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
