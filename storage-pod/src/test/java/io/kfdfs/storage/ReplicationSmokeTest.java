package io.kfdfs.storage;

import io.kfdfs.protocol.StorageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ReplicationSmokeTest {

    @TempDir
    Path dir;

    @Test
    void uploadReachesThePeer() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            g.start(0);
            ReplicaGroup.await(20, "A active", () -> g.storage(0).map(s -> s.status()).orElse(-1), s -> s == StorageStatus.ACTIVE);
            g.start(1);
            ReplicaGroup.await(20, "B active", () -> g.storage(1).map(s -> s.status()).orElse(-1), s -> s == StorageStatus.ACTIVE);
            String name;
            try (TestClient c = g.member(0).client()) {
                name = c.upload("hello".getBytes(), "txt");
            }
            Path replica = g.member(1).file(name);
            ReplicaGroup.await(5, "replica of " + name, () -> Files.exists(replica), x -> x);
            assertArrayEquals("hello".getBytes(), Files.readAllBytes(replica));
        }
    }
}
