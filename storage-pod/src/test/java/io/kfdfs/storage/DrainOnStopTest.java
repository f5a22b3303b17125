package io.kfdfs.storage;

import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A storage stopped with SIGTERM (a rolling update, a node drain) first waits until its ACTIVE peers have
 * every change it acknowledged, so that no file is readable only on a storage that is gone.
 */
class DrainOnStopTest {

    @TempDir
    Path dir;

    @Test
    void aStoppedStorageLeavesEveryAcknowledgedFileOnItsPeer() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            g.startChild(0);
            g.start(1);
            g.awaitActive(0);
            g.awaitActive(1);
            try (TestClient a = g.client(0)) {
                for (int i = 0; i < 400; i++) {
                    a.upload(("uploaded just before the stop " + i).getBytes(), "txt");
                }
            }
            g.child(0).close();
            Map<String, String> onTheStopped = MixedLoad.tree(g.base(0));
            assertEquals(400, onTheStopped.size());
            assertEquals(onTheStopped, MixedLoad.tree(g.base(1)), "the peer had them all when the stopped one was gone");
        }
    }
}
