package io.kfdfs.storage;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Upload, then download at once where the tracker says, 1000 times, while the replicas lag behind a
 * background load: the download never fails (the tracker sends it to a member that has the file, or the
 * client falls back to the file's source). Afterwards, reads are spread over both members.
 */
class ReadAfterWriteTest {

    @TempDir
    Path dir;

    @Test
    void aFileReadRightAfterItsUploadIsAlwaysFound() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            Thread background = new Thread(() -> {
                Random random = new Random(3);
                try (TestClient c0 = g.client(0); TestClient c1 = g.client(1)) {
                    while (running.get()) {
                        byte[] big = new byte[512 * 1024];
                        random.nextBytes(big);
                        (random.nextBoolean() ? c0 : c1).upload(big, "bin");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            background.start();
            ClientSettings.Builder settings = ClientSettings.builder();
            g.trackers().forEach(settings::tracker);
            String first = null;
            try (FdfsClient client = FdfsClient.create(settings.build())) {
                Random random = new Random(4);
                for (int i = 0; i < 1000; i++) {
                    byte[] content = new byte[1 + random.nextInt(2048)];
                    random.nextBytes(content);
                    String id = client.upload(content, "txt");
                    first = first == null ? id : first;
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    client.download(id, got);
                    assertArrayEquals(content, got.toByteArray(), "download " + i + " of " + id);
                }
            } finally {
                running.set(false);
                background.join();
            }
            // once the members report each other caught up, reads of an older file go to both (§9.6 rule 3)
            String name = first.substring("group1/".length());
            try (TestClient tracker = new TestClient(g.tracker(0).port())) {
                eventually(() -> {
                    Set<Integer> ports = new HashSet<>();
                    for (int i = 0; i < 6; i++) {
                        ports.add(g.fetchPort(tracker, name));
                    }
                    return ports;
                }, ports -> ports.equals(Set.of(g.port(0), g.port(1))), "reads of " + name + " sent to both members");
            }
        }
    }
}
