package io.kfdfs.cli.compat;

import io.kfdfs.cli.LocalCluster;
import org.csource.fastdfs.FileInfo;
import org.csource.fastdfs.StorageClient1;
import org.csource.fastdfs.TrackerClient;
import org.csource.fastdfs.TrackerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The community Java client 1.27 against a kfdfs tracker with its default (6.16) LIST_STORAGE layout and a
 * storage in IP mode (no storage IDs).
 */
class OfficialJavaClientWithoutLegacyLayoutTest {

    @Test
    void filesWorkListingStoragesDoesNot(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir).withoutStorageIds().start()) {
            OfficialJavaClientTest.init(cluster.trackerPort(0));
            TrackerServer tracker = new TrackerClient().getConnection();
            try {
                StorageClient1 client = new StorageClient1(tracker, null);
                byte[] data = OfficialJavaClientTest.random(50_000, 9);
                String id = client.upload_file1(data, "bin", null);
                assertArrayEquals(data, client.download_file1(id));

                // IP mode: the ID carries the storage's IP, which the old client decodes itself
                FileInfo info = client.get_file_info1(id);
                assertEquals("127.0.0.1", info.getSourceIpAddr());
                assertEquals(data.length, info.getFileSize());
                assertEquals(OfficialJavaClientTest.crc(data), info.getCrc32() & 0xFFFFFFFFL);

                // the 6.16 group and storage records (113 and 471 + IP size bytes) are not the ones the old client
                // expects (105 and 612 bytes): it rejects the C 6.16 tracker's answer the same way; the cure is the
                // tracker's list_legacy_layout = true
                TrackerClient trackerClient = new TrackerClient();
                IOException groups = assertThrows(IOException.class, () -> trackerClient.listGroups(tracker));
                assertEquals("byte array length: 113 is invalid!", groups.getMessage());
                IOException storages = assertThrows(IOException.class,
                        () -> trackerClient.listStorages(tracker, "group1"));
                assertTrue(storages.getMessage().matches("byte array length: \\d+ is invalid!"), storages.getMessage());
            } finally {
                tracker.close();
            }
        }
    }
}
