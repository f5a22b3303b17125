package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.storage.commands.FileCommands;
import io.kfdfs.storage.stats.Counters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadDownloadTest {

    @TempDir
    Path dir;

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    @Test
    void uploadNamesTheFileAsSection7AndRecordsIt() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            long before = System.currentTimeMillis() / 1000;
            String name = c.upload(HELLO, "txt");
            RemoteFilename r = RemoteFilename.parse(name);
            assertEquals(44, name.length());
            assertTrue(name.startsWith("M00/00/00/fwAAAW"), name + " carries 127.0.0.1");
            assertTrue(name.endsWith(".txt"));
            FileInfo info = FileInfo.decode(r);
            assertEquals(FileInfo.Type.NORMAL, info.type());
            assertEquals("127.0.0.1", info.sourceIp());
            assertEquals(5, info.size());
            assertEquals(0x3610a686, info.crc32());
            assertTrue(info.createTime() >= before - 1);
            assertArrayEquals(HELLO, Files.readAllBytes(storage.file(name)));
            assertTrue(storage.binlog().contains(info.createTime() + " C " + name + "\n"), storage.binlog());
            assertArrayEquals(HELLO, c.download(name));
            assertEquals(0, storage.tempFiles());
        }
    }

    @Test
    void uploadWithoutExtensionAndEmptyFile() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.upload(new byte[0], "");
            assertTrue(name.substring(37).matches("[0-9]{7}"), name);
            FileInfo info = FileInfo.decode(RemoteFilename.parse(name));
            assertEquals(0, info.size());
            assertEquals(0, info.crc32());
            // kfdfs answers an empty file with an empty success where C 6.15.4+ says EINVAL
            TestClient.Reply r = c.download(name, 0, 0);
            assertEquals(0, r.status());
            assertEquals(0, r.body().length);
        }
    }

    @Test
    void downloadRangesAreClampedAndCheckedLikeC() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            byte[] big = new byte[70_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i % 251);
            }
            try (TestClient c = storage.client()) {
                String name = c.upload(big, "bin");
                FileInfo info = FileInfo.decode(RemoteFilename.parse(name));
                assertEquals(0x9fe1c7c1, info.crc32());
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 1000, 3000), c.download(name, 1000, 2000).body());
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 69990, 70000), c.download(name, 69990, 100).body());
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 69000, 70000), c.download(name, 69000, 0).body());
                assertEquals(Status.EINVAL, c.download(name, 70000, 0).status());
                assertEquals(Status.EINVAL, c.download(name, 80000, 1).status());
                assertArrayEquals(big, c.download(name));
            }
        }
    }

    /** Ranges up to 256 KiB are answered from memory in one write, longer ones with sendFile: both are exact. */
    @Test
    void rangesOnBothSidesOfTheInlineLimitAreExact() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            int limit = FileCommands.INLINE_DOWNLOAD;
            byte[] big = new byte[limit + 5000];
            new java.util.Random(3).nextBytes(big);
            try (TestClient c = storage.client()) {
                String name = c.upload(big, "bin");
                assertArrayEquals(big, c.download(name));
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 5000, big.length), c.download(name, 5000, 0).body());
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 4999, big.length), c.download(name, 4999, 0).body());
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 1, limit + 2), c.download(name, 1, limit + 1).body());
                assertArrayEquals(java.util.Arrays.copyOfRange(big, 7, limit + 7), c.download(name, 7, limit).body());
                assertEquals(0, c.download(name, 0, 0).status());
            }
        }
    }

    /** A long range is sent from a file the worker opened; the storage holds it open only while sending. */
    @Test
    void aSentFileIsClosedOnceItIsSent() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            byte[] big = new byte[FileCommands.INLINE_DOWNLOAD * 2];
            new java.util.Random(4).nextBytes(big);
            try (TestClient c = storage.client()) {
                String name = c.upload(big, "bin");
                Path file = storage.file(name).toRealPath();
                for (int i = 0; i < 20; i++) {
                    assertArrayEquals(big, c.download(name));
                }
                // the descriptor is closed when the send completes, which may be just after the client has it all
                StorageFixture.awaitClosed(file);
            }
        }
    }

    @Test
    void missingFilesAndWrongGroups() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.upload(HELLO, "txt");
            String missing = name.substring(0, 20) + (name.charAt(20) == 'A' ? 'B' : 'A') + name.substring(21);
            assertEquals(Status.ENOENT, c.download(missing, 0, 0).status());
            assertEquals(Status.ENOENT, c.delete(missing).status());
            assertEquals(Status.ENOENT, c.getMetadata(missing).status());
            assertEquals(Status.ENOENT, c.call(Cmd.QUERY_FILE_INFO, new GroupFile("group1", missing)).status());
            assertEquals(Status.EINVAL, c.call(Cmd.DOWNLOAD_FILE,
                    new io.kfdfs.protocol.storage.DownloadRequest(0, 0, "group2", name)).status());
            assertEquals(Status.EINVAL, c.call(Cmd.DELETE_FILE, new GroupFile("group2", name)).status());
            assertEquals(Status.EINVAL, c.download("M01" + name.substring(3), 0, 0).status());
            assertEquals(Status.EINVAL, c.download("M00/zz" + name.substring(6), 0, 0).status());
        }
    }

    @Test
    void badUploadRequests() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            assertEquals(Status.EINVAL, c.upload(Cmd.UPLOAD_FILE, 5, "txt", HELLO).status());
            assertEquals(Status.EINVAL, c.upload(Cmd.UPLOAD_FILE, 0, "t/x", HELLO).status());
            // declared file size 6, 5 bytes sent: C answers EINVAL and the connection carries on
            byte[] frame = new byte[Header.SIZE + 20];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(frame);
            new Header(20, Cmd.UPLOAD_FILE, 0).encodeTo(b);
            new UploadFileRequest(0, 6, "txt").encodeTo(b);
            b.put(HELLO);
            c.send(frame);
            assertEquals(Status.EINVAL, c.read().status());
            assertEquals(Status.EINVAL, c.call(200, io.kfdfs.protocol.Body.EMPTY).status());
            assertEquals(Status.OK, c.call(Cmd.ACTIVE_TEST, io.kfdfs.protocol.Body.EMPTY).status());
            assertEquals(0, storage.tempFiles());
        }
    }

    @Test
    void quitClosesTheConnection() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            c.send(Header.request(Cmd.QUIT, 0).toBytes());
            assertTrue(c.closedWithin(30_000));
        }
    }

    @Test
    void deleteRemovesFileAndMetadata() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.upload(HELLO, "txt");
            assertEquals(0, c.setMetadata(name, 'O', io.kfdfs.protocol.Metadata.parse("a\u0002b")).status());
            assertEquals(0, c.delete(name).status());
            assertFalse(Files.exists(storage.file(name)));
            assertFalse(Files.exists(storage.file(name + "-m")));
            assertTrue(storage.binlog().contains(" D " + name + "\n"));
            assertTrue(storage.binlog().contains(" D " + name + "-m\n"));
            assertEquals(Status.ENOENT, c.delete(name).status());
        }
    }

    @Test
    void fileInfoOfANormalFileTakesTheCrcFromTheName() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.upload(HELLO, "txt");
            QueryFileInfoResponse info = c.fileInfo(name, 0);
            assertEquals(5, info.fileSize());
            assertEquals(0x3610a686, info.crc32());
            assertEquals("127.0.0.1", info.sourceIp());
            assertEquals(16, info.ipSize());
            assertEquals(FileInfo.decode(RemoteFilename.parse(name)).createTime(), info.createTime());
            assertEquals(0x3610a686, c.fileInfo(name, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32).crc32());
        }
    }

    @Test
    void namesUseTheServerIdWhenTheTrackerSaysSo() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            storage.server.identity().setServerId("100001");
            storage.server.identity().setIdInFilename(true);
            storage.server.identity().setPeerIps(java.util.Map.of("100001", "10.0.0.1"));
            try (TestClient c = storage.client()) {
                String name = c.upload(HELLO, "txt");
                assertTrue(name.startsWith("M00/00/00/oYYBAG"), name);
                assertEquals(100001, FileName.blockOf(RemoteFilename.parse(name)).serverId());
                assertEquals("10.0.0.1", c.fileInfo(name, 0).sourceIp());
            }
        }
    }

    @Test
    void countersTrackOperations() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String name = c.upload(HELLO, "txt");
            c.download(name);
            c.download(name, 99, 0);
            Counters n = storage.server.counters();
            var s = io.kfdfs.protocol.tracker.StatBlock.Counter.class;
            assertEquals(1, n.get(Enum.valueOf(s, "SUCCESS_UPLOAD_COUNT")));
            assertEquals(5, n.get(Enum.valueOf(s, "SUCCESS_UPLOAD_BYTES")));
            assertEquals(2, n.get(Enum.valueOf(s, "TOTAL_DOWNLOAD_COUNT")));
            assertEquals(1, n.get(Enum.valueOf(s, "SUCCESS_DOWNLOAD_COUNT")));
        }
    }

    @Test
    void severalStorePaths() throws Exception {
        try (StorageFixture two = new StorageFixture(dir.resolve("two"),
                "store_path_count = 2\nstore_path1 = " + dir.resolve("two/second"));
             TestClient c = two.client()) {
            String a = c.upload(HELLO, "txt");
            String b = c.upload(HELLO, "txt");
            assertEquals(java.util.Set.of("M00", "M01"), java.util.Set.of(a.substring(0, 3), b.substring(0, 3)),
                    "0xFF: the storage alternates");
            String explicit = TestClient.name(c.upload(Cmd.UPLOAD_FILE, 1, "txt", HELLO));
            assertTrue(explicit.startsWith("M01/"));
            assertTrue(Files.exists(dir.resolve("two/second/data").resolve(explicit.substring(4))));
            assertArrayEquals(HELLO, c.download(explicit));
            assertEquals(Status.EINVAL, c.download("M02" + explicit.substring(3), 0, 0).status());
        }
    }

    static int crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }
}
