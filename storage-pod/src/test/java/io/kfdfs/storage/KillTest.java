package io.kfdfs.storage;

import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 in the middle of concurrent uploads: after a restart every acknowledged file is intact, every
 * file under a final name is whole (its name's size and CRC match its content) and known to the binlog,
 * and no temporary file is left.
 */
class KillTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgedUploadsSurviveSigkill() throws Exception {
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        try (ChildStorage storage = new ChildStorage(dir, "", "256m")) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Random random = new Random(t);
                Thread th = new Thread(() -> {
                    while (running.get()) {
                        try (TestClient c = storage.client()) {
                            while (running.get()) {
                                byte[] content = new byte[random.nextInt(2 << 20)];
                                random.nextBytes(content);
                                acknowledged.put(c.upload(content, "bin"), content);
                            }
                        } catch (Exception | AssertionError killed) {
                            // the storage went away mid-request: that upload was never acknowledged
                        }
                    }
                });
                clients.add(th);
                th.start();
            }
            try {
                eventually(acknowledged::size, n -> n >= 30, Duration.ofSeconds(20), "30 uploads acknowledged before the kill");
                storage.kill();
            } finally {
                running.set(false);
                for (Thread th : clients) {
                    th.join();
                }
            }

            storage.start();
            try (TestClient c = storage.client()) {
                for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
                    assertArrayEquals(e.getValue(), c.download(e.getKey()), e.getKey());
                }
            }
            String binlog = Files.readString(dir.resolve("data/sync/binlog.000"));
            Path data = dir.resolve("data");
            List<Path> files;
            try (Stream<Path> s = Files.walk(data, 3)) {
                files = s.filter(Files::isRegularFile).filter(p -> data.relativize(p).getNameCount() == 3).toList();
            }
            assertTrue(files.size() >= acknowledged.size());
            for (Path f : files) {
                String name = "M00/" + data.relativize(f);
                FileInfo info = FileInfo.decode(RemoteFilename.parse(name));
                byte[] content = Files.readAllBytes(f);
                CRC32 crc = new CRC32();
                crc.update(content);
                assertEquals(info.size(), content.length, "whole file under " + name);
                assertEquals(info.crc32(), (int) crc.getValue(), "content of " + name);
                assertTrue(binlog.contains(" C " + name + "\n"), name + " is in the binlog");
            }
            try (Stream<Path> s = Files.walk(data, 3)) {
                assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temporary leftovers");
            }
        }
    }
}
