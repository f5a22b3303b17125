package io.kfdfs.storage;

import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** A copy made seconds later (a member that joins) carries the time of the origin's record, as C's receiver sets it. */
    @Test
    void aLaterCopyCarriesTheOriginsTime() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            g.start(0);
            g.awaitActive(0);
            String name;
            try (TestClient c = g.member(0).client()) {
                name = c.upload("hello".getBytes(), "txt");
            }
            long recorded = Files.readAllLines(g.base(0).resolve("data/sync/binlog.000")).stream()
                    .map(l -> l.split(" ")).filter(f -> f.length > 2 && f[2].equals(name))
                    .mapToLong(f -> Long.parseLong(f[0])).findFirst().orElseThrow();
            Thread.sleep(2000 - System.currentTimeMillis() % 1000); // the copy is made in a later second
            g.start(1);
            g.awaitActive(1);
            Path replica = g.member(1).file(name);
            eventually(() -> Files.exists(replica), x -> x, Duration.ofSeconds(5), "replica of " + name);
            assertEquals(recorded, Files.getLastModifiedTime(replica).toMillis() / 1000);
        }
    }
}
