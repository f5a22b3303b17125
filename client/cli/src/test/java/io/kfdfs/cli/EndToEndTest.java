package io.kfdfs.cli;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FileInfoResult;
import io.kfdfs.client.InvalidArgumentException;
import io.kfdfs.client.MetadataMode;
import io.kfdfs.client.NoSuchFileException;
import io.kfdfs.protocol.FileInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library, {@code fdfs} and the classic tools against the real kfdfs tracker and a storage. (One
 * storage: a second one stays WAIT_SYNC until the storage-to-storage sync exists.)
 */
class EndToEndTest {

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static FdfsClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.in(dir.resolve("cluster")).start();
        client = FdfsClient.create(cluster.settings().build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] download(String id) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(id, out);
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyOperationOfTheLibrary() throws Exception {
        String id = client.upload(null, Content.of(bytes("hello")), "txt", Map.of("width", "1024", "name", "straße"));
        assertTrue(id.matches("group1/M00/0[0-3]/0[0-3]/[A-Za-z0-9_-]{27}\\d{3}\\.txt"), id);
        assertArrayEquals(bytes("hello"), download(id));
        assertEquals(Map.of("name", "straße", "width", "1024"), client.getMetadata(id));
        client.setMetadata(id, Map.of("width", "800"), MetadataMode.MERGE);
        assertEquals("800", client.getMetadata(id).get("width"));

        FileInfoResult info = client.fileInfo(id);
        assertFalse(info.fromServer());
        assertEquals(FileInfo.Type.NORMAL, info.info().type());
        assertEquals("127.0.0.1", info.info().sourceIp());
        assertEquals(5, info.info().size());
        assertEquals(crc(bytes("hello")), info.info().crc32());

        String slave = client.uploadSlave(id, "_s", "txt", Content.of(bytes("thumb")), Map.of());
        assertEquals(id.replace(".txt", "_s.txt"), slave);
        assertArrayEquals(bytes("thumb"), download(slave));
        assertEquals(FileInfo.Type.SLAVE, client.fileInfo(slave).info().type());

        ByteArrayOutputStream part = new ByteArrayOutputStream();
        client.download(id, 1, 3, part);
        assertEquals("ell", part.toString(StandardCharsets.UTF_8));

        client.delete(slave);
        client.delete(id);
        assertThrows(NoSuchFileException.class, () -> download(id));
        assertThrows(NoSuchFileException.class, () -> client.delete(id));
    }

    @Test
    void appenderFiles() throws Exception {
        String id = client.uploadAppender(null, Content.of(bytes("0123456789")), "log", Map.of());
        client.truncate(id, 5);
        client.append(id, Content.of(bytes("abcde")));
        client.modify(id, 3, Content.of(bytes("XY")));
        assertArrayEquals(bytes("012XYabcde"), download(id));
        FileInfoResult info = client.fileInfo(id);
        assertTrue(info.fromServer());
        assertEquals(FileInfo.Type.APPENDER, info.info().type());
        assertEquals(10, info.info().size());
        assertEquals(crc(bytes("012XYabcde")), info.info().crc32());

        String normal = client.regenerateAppenderFilename(id);
        assertArrayEquals(bytes("012XYabcde"), download(normal));
        assertEquals(10, client.fileInfo(normal).info().size());
        assertThrows(InvalidArgumentException.class, () -> client.append(normal, Content.of(bytes("z"))));
        client.delete(normal);
    }

    @Test
    void aLargeFileRoundTripsAndEveryUploadIsReadableAtOnce() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(big);
        String id = client.upload(big, "bin");
        assertArrayEquals(big, download(id));
        for (int i = 0; i < 20; i++) {
            byte[] data = bytes("file " + i);
            String small = client.upload(data, "txt");
            assertArrayEquals(data, download(small), small);
            assertEquals(data.length, client.fileInfo(small).info().size());
        }
    }

    @Test
    void theClassicToolsAndFdfs() throws Exception {
        String conf = cluster.clientConf().toString();
        Path hello = Files.writeString(dir.resolve("hello.txt"), "hello");
        CliRun up = CliRun.run("fdfs_upload_file", conf, hello.toString());
        assertEquals(0, up.code(), up.toString());
        String id = up.out().trim();

        CliRun info = CliRun.run("fdfs_file_info", conf, id);
        assertTrue(info.out().matches("GET FROM SERVER: false\n\nfile type: normal\nsource storage id: 100001\n"
                + "source ip address: 127\\.0\\.0\\.1\nfile create timestamp: [0-9: -]{19}\nfile size: 5\n"
                + "file crc32: 907060870 \\(0x3610a686\\)\n\n"), info.out());

        Path back = dir.resolve("back.txt");
        assertEquals(0, CliRun.run("fdfs_download_file", conf, id, back.toString()).code());
        assertEquals("hello", Files.readString(back));

        CliRun monitor = CliRun.run("fdfs_monitor", conf);
        assertEquals(0, monitor.code(), monitor.toString());
        assertTrue(monitor.out().startsWith("tracker server count=1, current server index=0\n\ntracker server is 127.0.0.1:"
                + cluster.trackerPort(0) + "\n\ngroup count: 1\n\nGroup 1:\ngroup name = group1\n"), monitor.out());
        assertEquals(1, monitor.out().lines().filter(l -> l.matches("\t\thost = 127\\.0\\.0\\.1:\\d+  ACTIVE")).count(),
                monitor.out());

        CliRun meta = CliRun.run("--conf", conf, "meta", "set", id, "k=v");
        assertEquals(0, meta.code(), meta.toString());
        assertEquals("k=v\n", CliRun.run("--conf", conf, "meta", "get", id).out());
        CliRun summary = CliRun.run("--conf", conf, "monitor");
        assertTrue(summary.out().startsWith("group1: 1 storage (1 readable, 1 writable)"), summary.out());

        assertEquals(0, CliRun.run("fdfs_delete_file", conf, id).code());
        CliRun again = CliRun.run("fdfs_delete_file", conf, id);
        assertEquals(2, again.code());
        assertTrue(again.err().startsWith("fdfs_delete_file: " + id + ": no such file or group (ENOENT) from 127.0.0.1:"),
                again.err());
    }

    @Test
    void theClientRidesOutATrackerRestart() throws Exception {
        client.upload(bytes("before"), "txt");
        cluster.stopTracker(0);
        cluster.startTracker(0);
        Object uploaded = eventually(() -> {
            try {
                return client.upload(bytes("after"), "txt");
            } catch (RuntimeException notYet) {
                return notYet;
            }
        }, r -> r instanceof String, Duration.ofSeconds(60), "an upload through the restarted tracker");
        assertArrayEquals(bytes("after"), download((String) uploaded));
    }

    private static int crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }
}
