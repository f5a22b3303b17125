package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.TruncateFileRequest;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The appender lifecycle of §4.8–4.11, replaying the captured hand-made sequence of scenario 5x. */
class AppenderTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lifecycleMatchesTheCapturedOne() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.uploadAppender(bytes("0123456789"), "txt");
            FileName.Block block = FileName.blockOf(RemoteFilename.parse(name));
            assertTrue(block.isAppender());
            assertEquals(0xa684c7c6, block.crc32(), "CRC of the initial content");
            assertEquals(FileInfo.Type.APPENDER, FileInfo.decode(RemoteFilename.parse(name)).type());

            assertEquals(0, c.call(Cmd.TRUNCATE_FILE, new TruncateFileRequest(name, 5)).status());
            assertEquals(0, c.append(name, bytes("0123456789")).status());
            assertEquals(0, c.modify(name, 15, bytes("0123456789")).status());
            assertArrayEquals(bytes("01234012345678901234567890123456789".substring(0, 25)), c.download(name));
            assertEquals(0, c.call(Cmd.TRUNCATE_FILE, new TruncateFileRequest(name, 30)).status());
            assertEquals(0, c.modify(name, 28, bytes("XY")).status());
            assertEquals(0, c.append(name, bytes("hello")).status());
            byte[] expected = bytes("0123401234567890123456789\0\0\0XYhello");
            assertArrayEquals(expected, c.download(name));

            QueryFileInfoResponse info = c.fileInfo(name, 0);
            assertEquals(35, info.fileSize());
            assertEquals(0xd021731c, info.crc32(), "computed over the content, as #5x");
            assertEquals(0, c.fileInfo(name, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32).crc32());
            assertEquals(Status.EINVAL, c.modify(name, 100, bytes("z")).status());
            assertEquals(0, c.append(name, new byte[0]).status());

            String binlog = storage.binlog();
            assertTrue(binlog.contains(" T " + name + " 10 5\n"), binlog);
            assertTrue(binlog.contains(" A " + name + " 5 10\n"), binlog);
            assertTrue(binlog.contains(" M " + name + " 15 10\n"), binlog);
            assertTrue(binlog.contains(" T " + name + " 25 30\n"), binlog);
            assertTrue(binlog.contains(" M " + name + " 28 2\n"), binlog);
            assertTrue(binlog.contains(" A " + name + " 30 5\n"), binlog);

            TestClient.Reply r = c.call(Cmd.REGENERATE_APPENDER_FILENAME, new RegenerateAppenderRequest(name));
            String fresh = TestClient.name(r);
            assertEquals(name.substring(0, 10), fresh.substring(0, 10), "same Mxx/HH/HH/");
            assertEquals(name.substring(37), fresh.substring(37), "same extension tail");
            FileInfo regenerated = FileInfo.decode(RemoteFilename.parse(fresh));
            assertEquals(FileInfo.Type.NORMAL, regenerated.type());
            assertEquals(35, regenerated.size());
            assertEquals(0xd021731c, regenerated.crc32());
            assertArrayEquals(expected, c.download(fresh));
            assertFalse(Files.exists(storage.file(name)));
            assertTrue(storage.binlog().contains(" R " + fresh + " " + name + "\n"));
            assertEquals(Status.EINVAL, c.append(fresh, bytes("x")).status(), "no longer an appender");
        }
    }

    @Test
    void appenderOperationsOnANormalFileAreInvalid() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.upload(bytes("hello"), "txt");
            assertEquals(Status.EINVAL, c.append(name, bytes("x")).status());
            assertEquals(Status.EINVAL, c.modify(name, 0, bytes("x")).status());
            assertEquals(Status.EINVAL, c.call(Cmd.TRUNCATE_FILE, new TruncateFileRequest(name, 1)).status());
            assertEquals(Status.EINVAL, c.call(Cmd.REGENERATE_APPENDER_FILENAME, new RegenerateAppenderRequest(name)).status());
            assertArrayEquals(bytes("hello"), c.download(name));
        }
    }

    @Test
    void missingAppenderIsEnoent() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.uploadAppender(bytes("a"), "log");
            assertEquals(0, c.delete(name).status());
            assertEquals(Status.ENOENT, c.append(name, bytes("x")).status());
            assertEquals(Status.ENOENT, c.modify(name, 0, bytes("x")).status());
            assertEquals(Status.ENOENT, c.call(Cmd.TRUNCATE_FILE, new TruncateFileRequest(name, 0)).status());
            assertEquals(Status.ENOENT, c.call(Cmd.QUERY_FILE_INFO, new GroupFile("group1", name)).status());
        }
    }

    @Test
    void concurrentAppendsToOneFileDoNotInterleave() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            String name;
            try (TestClient c = storage.client()) {
                name = c.uploadAppender(new byte[0], "");
            }
            int clients = 8;
            int chunk = 100_000;
            java.util.List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < clients; i++) {
                byte fill = (byte) ('a' + i);
                Thread t = new Thread(() -> {
                    try (TestClient c = storage.client()) {
                        byte[] data = new byte[chunk];
                        java.util.Arrays.fill(data, fill);
                        if (c.append(name, data).status() != 0) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(0, failures.get());
            byte[] all = Files.readAllBytes(storage.file(name));
            assertEquals(clients * chunk, all.length);
            for (int i = 0; i < clients; i++) {
                byte first = all[i * chunk];
                for (int j = 0; j < chunk; j++) {
                    if (all[i * chunk + j] != first) {
                        throw new AssertionError("append " + i + " interleaved at byte " + j);
                    }
                }
            }
        }
    }
}
