package io.kfdfs.storage;

import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ReplicationSmokeTest {

    @TempDir
    Path dir;

    @Test
    void uploadReachesThePeer() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            g.start(0);
            g.awaitActive(0);
            g.start(1);
            g.awaitActive(1);
            String name;
            try (TestClient c = g.member(0).client()) {
                name = c.upload("hello".getBytes(), "txt");
            }
            Path replica = g.member(1).file(name);
            eventually(() -> Files.exists(replica), x -> x, Duration.ofSeconds(5), "replica of " + name);
            assertArrayEquals("hello".getBytes(), Files.readAllBytes(replica));
        }
    }
}
