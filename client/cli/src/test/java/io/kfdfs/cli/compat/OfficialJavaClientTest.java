package io.kfdfs.cli.compat;

import io.kfdfs.cli.LocalCluster;
import io.kfdfs.protocol.Version;
import org.csource.common.NameValuePair;
import org.csource.fastdfs.ClientGlobal;
import org.csource.fastdfs.FileInfo;
import org.csource.fastdfs.ProtoCommon;
import org.csource.fastdfs.StorageClient1;
import org.csource.fastdfs.StructGroupStat;
import org.csource.fastdfs.StructStorageStat;
import org.csource.fastdfs.TrackerClient;
import org.csource.fastdfs.TrackerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The community Java client {@code fastdfs-client-java} 1.27 (org.csource API) against the kfdfs tracker
 * ({@code list_legacy_layout = true}) and a storage with storage IDs, in-process on 127.0.0.1.
 */
class OfficialJavaClientTest {

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private TrackerServer tracker;
    private StorageClient1 client;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.in(dir.resolve("cluster")).trackerConf("list_legacy_layout = true\n").start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The old client keeps its settings in static fields: every test sets them to its tracker. */
    static void init(int trackerPort) throws Exception {
        Properties p = new Properties();
        p.setProperty(ClientGlobal.PROP_KEY_TRACKER_SERVERS, "127.0.0.1:" + trackerPort);
        p.setProperty(ClientGlobal.PROP_KEY_NETWORK_TIMEOUT_IN_SECONDS, "10");
        p.setProperty(ClientGlobal.PROP_KEY_CHARSET, "UTF-8");
        ClientGlobal.initByProperties(p);
    }

    @BeforeEach
    void connect() throws Exception {
        init(cluster.trackerPort(0));
        tracker = new TrackerClient().getConnection();
        client = new StorageClient1(tracker, null);
    }

    @AfterEach
    void disconnect() throws Exception {
        tracker.close();
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    static Map<String, String> map(NameValuePair[] pairs) {
        Map<String, String> m = new TreeMap<>();
        for (NameValuePair p : pairs) {
            m.put(p.getName(), p.getValue());
        }
        return m;
    }

    @Test
    void uploadDownloadDelete() throws Exception {
        byte[] data = random(300_000, 1);
        String id = client.upload_file1(data, "bin", null);
        assertTrue(id.matches("group1/M00/0[0-3]/0[0-3]/[A-Za-z0-9_-]{27}\\d{3}\\.bin"), id);
        assertArrayEquals(data, client.download_file1(id));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 6000), client.download_file1(id, 1000, 5000));

        assertEquals(0, client.delete_file1(id));
        // the old client answers a failed download with null and the status in getErrorCode()
        assertNull(client.download_file1(id));
        assertEquals(2, client.getErrorCode());
        assertEquals(2, client.delete_file1(id));
    }

    @Test
    void emptyFileAndLocalFile(@TempDir Path tmp) throws Exception {
        String empty = client.upload_file1(new byte[0], "", null);
        assertArrayEquals(new byte[0], client.download_file1(empty));

        byte[] data = random(70_000, 2);
        Path file = java.nio.file.Files.write(tmp.resolve("in.dat"), data);
        String id = client.upload_file1(file.toString(), "dat", null);
        Path out = tmp.resolve("out.dat");
        assertEquals(0, client.download_file1(id, out.toString()));
        assertArrayEquals(data, java.nio.file.Files.readAllBytes(out));
    }

    @Test
    void metadata() throws Exception {
        NameValuePair[] meta = {new NameValuePair("width", "1024"), new NameValuePair("name", "straße")};
        String id = client.upload_file1("hello".getBytes(StandardCharsets.UTF_8), "txt", meta);
        assertEquals(Map.of("name", "straße", "width", "1024"), map(client.get_metadata1(id)));

        assertEquals(0, client.set_metadata1(id, new NameValuePair[] {new NameValuePair("width", "800"),
                new NameValuePair("height", "600")}, ProtoCommon.STORAGE_SET_METADATA_FLAG_MERGE));
        assertEquals(Map.of("height", "600", "name", "straße", "width", "800"), map(client.get_metadata1(id)));

        assertEquals(0, client.set_metadata1(id, new NameValuePair[] {new NameValuePair("a", "b")},
                ProtoCommon.STORAGE_SET_METADATA_FLAG_OVERWRITE));
        assertEquals(Map.of("a", "b"), map(client.get_metadata1(id)));
    }

    @Test
    void fileInfo() throws Exception {
        byte[] data = random(12_345, 3);
        long before = System.currentTimeMillis() / 1000;
        String id = client.upload_file1(data, "bin", null);

        // from the storage (QUERY_FILE_INFO 22): the storage resolves its ID 100001 to its IP, as the C server
        FileInfo queried = client.query_file_info1(id);
        assertEquals(data.length, queried.getFileSize());
        assertEquals(crc(data), queried.getCrc32() & 0xFFFFFFFFL);
        assertEquals("127.0.0.1", queried.getSourceIpAddr());
        long created = queried.getCreateTimestamp().getTime() / 1000;
        assertTrue(created >= before - 1 && created <= before + 60, "created " + created);

        // decoded from the ID by the old client itself: the 4 bytes carry the storage ID 100001 (0.1.134.161),
        // which it shows as an empty source IP whatever server wrote the file (C 6.16 IDs look the same)
        FileInfo decoded = client.get_file_info1(id);
        assertEquals(data.length, decoded.getFileSize());
        assertEquals(crc(data), decoded.getCrc32() & 0xFFFFFFFFL);
        assertEquals("", decoded.getSourceIpAddr());
        assertEquals(created, decoded.getCreateTimestamp().getTime() / 1000);
    }

    @Test
    void appenderFile() throws Exception {
        byte[] first = random(10_000, 4);
        String id = client.upload_appender_file1(first, "log", null);
        assertArrayEquals(first, client.download_file1(id));

        byte[] more = random(5_000, 5);
        assertEquals(0, client.append_file1(id, more));
        byte[] expected = concat(first, more);
        assertArrayEquals(expected, client.download_file1(id));

        byte[] patch = random(3_000, 6);
        assertEquals(0, client.modify_file1(id, 9_000, patch));
        System.arraycopy(patch, 0, expected, 9_000, patch.length);
        assertArrayEquals(expected, client.download_file1(id));

        assertEquals(0, client.truncate_file1(id, 4_000));
        assertArrayEquals(Arrays.copyOf(expected, 4_000), client.download_file1(id));
        // an appender's ID says so: the old client asks the storage for its info
        FileInfo info = client.get_file_info1(id);
        assertEquals(4_000, info.getFileSize());
        assertEquals("127.0.0.1", info.getSourceIpAddr());

        assertEquals(0, client.truncate_file1(id));
        assertArrayEquals(new byte[0], client.download_file1(id));

        // a normal file is not an appender: EINVAL (22)
        String normal = client.upload_file1(first, "bin", null);
        assertEquals(22, client.append_file1(normal, more));
        assertArrayEquals(first, client.download_file1(normal));
    }

    @Test
    void slaveFile() throws Exception {
        byte[] master = random(20_000, 7);
        String masterId = client.upload_file1(master, "jpg", null);
        byte[] thumb = random(2_000, 8);
        String slaveId = client.upload_file1(masterId, "_150x150", thumb, "jpg",
                new NameValuePair[] {new NameValuePair("size", "150")});
        assertEquals(masterId.replace(".jpg", "_150x150.jpg"), slaveId);
        assertArrayEquals(thumb, client.download_file1(slaveId));
        assertEquals(Map.of("size", "150"), map(client.get_metadata1(slaveId)));
        assertEquals(thumb.length, client.get_file_info1(slaveId).getFileSize());

        // the same slave again: EEXIST (17), reported as a null ID
        assertNull(client.upload_file1(masterId, "_150x150", thumb, "jpg", null));
        assertEquals(17, client.getErrorCode());
    }

    @Test
    void listGroupsAndStorages() throws Exception {
        TrackerClient trackerClient = new TrackerClient();
        StructGroupStat[] groups = trackerClient.listGroups(tracker);
        assertEquals(1, groups.length);
        assertEquals("group1", groups[0].getGroupName());
        assertEquals(1, groups[0].getStorageCount());
        assertEquals(1, groups[0].getActiveCount());
        assertEquals(cluster.storagePort(0), groups[0].getStoragePort());
        assertTrue(groups[0].getFreeMB() > 0);

        StructStorageStat[] storages = trackerClient.listStorages(tracker, "group1");
        assertEquals(1, storages.length);
        StructStorageStat s = storages[0];
        assertEquals(ProtoCommon.FDFS_STORAGE_STATUS_ACTIVE, s.getStatus());
        assertEquals("100001", s.getId());
        assertEquals("127.0.0.1", s.getIpAddr());
        assertEquals(cluster.storagePort(0), s.getStoragePort());
        assertTrue(s.getTotalMB() >= s.getFreeMB() && s.getFreeMB() > 0);
        assertEquals(1, s.getStorePathCount());
        assertEquals(4, s.getSubdirCountPerPath());
        assertEquals(Version.FASTDFS, s.getVersion(), "the legacy record holds 6 characters of kfdfs's 6.16.1k");

        // a single storage is asked for by its ID (the old client calls the field an IP address); with storage IDs
        // the C tracker, too, knows no storage "127.0.0.1": ENOENT, null
        assertEquals("100001", trackerClient.listStorages(tracker, "group1", "100001")[0].getId());
        assertNull(trackerClient.listStorages(tracker, "group1", "127.0.0.1"));
        assertEquals(2, trackerClient.getErrorCode());
        // unknown group: ENOENT, null
        assertNull(trackerClient.listStorages(tracker, "nogroup"));
        assertEquals(2, trackerClient.getErrorCode());
    }

    @Test
    void storesThroughTheTrackerItAsks() throws Exception {
        TrackerClient trackerClient = new TrackerClient();
        org.csource.fastdfs.StorageServer store = trackerClient.getStoreStorage(tracker);
        assertEquals(cluster.storagePort(0), store.getInetSocketAddress().getPort());
        String id = client.upload_file1("abc".getBytes(StandardCharsets.US_ASCII), "txt", null);
        org.csource.fastdfs.StorageServer fetch = trackerClient.getFetchStorage1(tracker, id);
        assertEquals("127.0.0.1", fetch.getInetSocketAddress().getAddress().getHostAddress());
        assertEquals(1, trackerClient.getFetchStorages1(tracker, id).length);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
