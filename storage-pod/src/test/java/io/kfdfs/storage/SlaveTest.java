package io.kfdfs.storage;

import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
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

/** UPLOAD_SLAVE_FILE (§4.2) and slave names (§7.5), as plain files and as links. */
class SlaveTest {

    @TempDir
    Path dir;

    private static final byte[] BIG = "big slave content".getBytes(StandardCharsets.US_ASCII);

    @Test
    void slaveGoesBesideItsMasterUnderTheDerivedName() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String master = c.upload("hello".getBytes(), "txt");
            String slave = TestClient.name(c.uploadSlave(master, "_big", "txt", BIG));
            assertEquals(master.replace(".txt", "_big.txt"), slave);
            assertArrayEquals(BIG, c.download(slave));
            assertFalse(Files.isSymbolicLink(storage.file(slave)));
            assertTrue(storage.binlog().contains(" C " + slave + "\n"));
            assertEquals(FileInfo.Type.SLAVE, FileInfo.decode(RemoteFilename.parse(slave)).type());
            QueryFileInfoResponse info = c.fileInfo(slave, 0);
            assertEquals(BIG.length, info.fileSize());
            assertEquals(UploadDownloadTest.crc(BIG), info.crc32(), "computed: the name carries the master's CRC");
            assertEquals(0, c.fileInfo(slave, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32).crc32());

            assertEquals(Status.EEXIST, c.uploadSlave(master, "_big", "txt", BIG).status());
            assertEquals(master.replace(".txt", "_s"), TestClient.name(c.uploadSlave(master, "_s", "", BIG)));
        }
    }

    @Test
    void slaveErrors() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, ""); TestClient c = storage.client()) {
            String master = c.upload("hello".getBytes(), "txt");
            assertEquals(Status.ENOENT, c.uploadSlave(master.replace(".txt", ".jpg"), "_s", "txt", BIG).status());
            assertEquals(Status.EINVAL, c.uploadSlave(master, "", "txt", BIG).status());
            assertEquals(Status.EINVAL, c.uploadSlave(master, "-m", "", BIG).status());
            assertEquals(Status.EINVAL, c.uploadSlave(master, "a/b", "txt", BIG).status());
            assertEquals(Status.EINVAL, c.uploadSlave("M00/00/00/../../../../etc/passwd", "_s", "txt", BIG).status());
            assertEquals(0, storage.tempFiles());
        }
    }

    @Test
    void slaveAsLinkWhenTheTrackerSaysSo() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            storage.server.identity().setSlaveAsLink(true);
            try (TestClient c = storage.client()) {
                String master = c.upload("hello".getBytes(), "txt");
                String slave = TestClient.name(c.uploadSlave(master, "_big", "txt", BIG));
                assertEquals(master.replace(".txt", "_big.txt"), slave);
                Path link = storage.file(slave);
                assertTrue(Files.isSymbolicLink(link));
                Path target = link.resolveSibling(Files.readSymbolicLink(link)).normalize();
                String real = "M00/" + storage.base.resolve("data").relativize(target);
                assertArrayEquals(BIG, c.download(slave));
                String binlog = storage.binlog();
                assertTrue(binlog.contains(" C " + real + "\n"), binlog);
                assertTrue(binlog.contains(" L " + slave + " " + real + "\n"), "a correct L line (testdata/vectors/NOTES.md D9): " + binlog);

                assertEquals(0, c.delete(slave).status());
                assertFalse(Files.exists(target), "deleting the link deletes its target");
                assertTrue(storage.binlog().contains(" D " + real + "\n"));
                assertTrue(storage.binlog().contains(" D " + slave + "\n"));
            }
        }
    }
}
