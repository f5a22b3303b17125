package io.kfdfs.storage;

import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a member in the middle of uploads and deletes, then a restart: both members end up with the
 * same files, every acknowledged upload is there (unless acknowledged deleted), no deleted file came back,
 * and nothing is there twice (at most the one upload in flight at the kill, never acknowledged).
 */
class ReplicationKillTest {

    @TempDir
    Path dir;

    /** What the client was told: acknowledged files with their content hashes, and acknowledged deletes. */
    private static final class Model {
        final Map<String, String> live = new ConcurrentHashMap<>();
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        /** A delete sent when the member died: it may or may not have happened. */
        final Set<String> inDoubt = ConcurrentHashMap.newKeySet();

        /** Acknowledged uploads: a delete moves a file from live to deleted. */
        int uploads() {
            return live.size() + deleted.size();
        }
    }

    private static Thread load(ReplicaGroup g, Model model, AtomicBoolean running) {
        Thread t = new Thread(() -> {
            Random random = new Random(7);
            List<String> names = new ArrayList<>();
            try (TestClient c = g.client(0)) {
                while (running.get()) {
                    if (names.isEmpty() || random.nextInt(4) > 0) {
                        byte[] content = new byte[random.nextInt(10) == 0 ? 1 << 20 : random.nextInt(64 * 1024)];
                        random.nextBytes(content);
                        String name = c.upload(content, "bin");
                        model.live.put(name, MixedLoad.sha256(content));
                        names.add(name);
                    } else {
                        String name = names.remove(random.nextInt(names.size()));
                        model.inDoubt.add(name);
                        assertEquals(0, c.delete(name).status(), "delete " + name);
                        model.inDoubt.remove(name);
                        model.live.remove(name);
                        model.deleted.add(name);
                    }
                }
            } catch (IOException | AssertionError killed) {
                // the member died under this request: it was never acknowledged
            }
        });
        t.start();
        return t;
    }

    private void killUnderLoad(boolean killTheLoadedMember) throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            int victim = killTheLoadedMember ? 0 : 1;
            g.startChild(victim);
            g.start(1 - victim);
            g.awaitActive(0);
            g.awaitActive(1);
            Model model = new Model();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread loader = load(g, model, running);
            eventually(model.live::size, n -> n >= 150, Duration.ofSeconds(60), "uploads before the kill");
            g.child(victim).kill();
            if (!killTheLoadedMember) {
                // the loaded member carries on while its peer is down: files the peer must catch up with
                int atKill = model.uploads();
                eventually(model::uploads, n -> n >= atKill + 20, "uploads while the peer is down");
            }
            running.set(false);
            loader.join();

            g.startChild(victim);
            g.awaitActive(victim);
            g.awaitSameTrees(2, 60);
            for (int m = 0; m < 2; m++) {
                Map<String, String> tree = MixedLoad.tree(g.storeRoot(m));
                for (Map.Entry<String, String> e : model.live.entrySet()) {
                    if (model.inDoubt.contains(e.getKey())) {
                        continue; // its delete was cut off by the kill: it may have been done or not
                    }
                    assertEquals(e.getValue(), tree.get(e.getKey()), "acknowledged " + e.getKey() + " on " + m);
                }
                for (String name : model.deleted) {
                    assertTrue(!tree.containsKey(name), "deleted " + name + " came back on " + m);
                }
                long unknown = tree.keySet().stream()
                        .filter(n -> !model.live.containsKey(n) && !model.inDoubt.contains(n)).count();
                assertTrue(unknown <= 1, unknown + " files nobody was told of on " + m);
            }
        }
    }

    @Test
    void theMemberTakingTheLoadIsKilledAndCatchesUp() throws Exception {
        killUnderLoad(true);
    }

    @Test
    void itsPeerIsKilledAndCatchesUpFromTheMarks() throws Exception {
        killUnderLoad(false);
    }
}
