package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.client.fake.FakeCluster;
import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.client.fake.FakeStorage;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade against a fake tracker and storage over 127.0.0.1: every operation end to end. */
class FdfsClientTest {

    @RegisterExtension
    final FakeCluster cluster = new FakeCluster();
    private FdfsClient client;

    @BeforeEach
    void client() {
        client = cluster.client();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String download(String fileId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.download(fileId, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void uploadDownloadDelete() throws Exception {
        String id = client.upload(bytes("hello"), "txt");
        assertTrue(id.matches("group1/M00/00/00/[A-Za-z0-9_-]{27}\\d{3}\\.txt"), id);
        assertEquals("hello", download(id));

        ByteArrayOutputStream part = new ByteArrayOutputStream();
        assertEquals(3, client.download(id, 1, 3, part));
        assertEquals("ell", part.toString(StandardCharsets.UTF_8));

        client.delete(id);
        assertFalse(cluster.storage.exists(id));
        assertThrows(NoSuchFileException.class, () -> client.delete(id));
    }

    @Test
    void asksTheTrackerForTheLeader() {
        assertThrows(NoSuchFileException.class, () -> client.tracker().leader(), "no leader known yet: ENOENT");
        cluster.tracker.leader("10.0.0.7:22122");
        assertEquals(new HostPort("10.0.0.7", 22122), client.tracker().leader());
        cluster.tracker.leader("[fd00::7]:22122");
        assertEquals(new HostPort("fd00::7", 22122), client.tracker().leader());
        cluster.tracker.leader("not an address:x");
        assertThrows(ConnectionException.class, () -> client.tracker().leader());
    }

    @Test
    void uploadsAFileWithTheExtensionOfItsNameAndDownloadsToAPath(@TempDir Path dir) throws Exception {
        Path src = Files.write(dir.resolve("photo.jpeg"), new byte[70_000]);
        String id = client.upload(src);
        assertTrue(id.endsWith(".jpeg"), id);
        Path target = dir.resolve("copy");
        assertEquals(70_000, client.download(id, target));
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(target));
    }

    @Test
    void aDownloadThatFailsLeavesAnExistingFileAloneAndRemovesAPartialOne(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("keep.txt"), "old");
        assertThrows(NoSuchFileException.class,
                () -> client.download("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoZ152.txt", target));
        assertEquals("old", Files.readString(target));

        byte[] cut = ByteBuffer.allocate(Header.SIZE + 10).put(Header.response(100).toBytes()).array();
        try (FakeServer cutting = FakeServer.start(r -> new FakeServer.Reply(cut, true))) {
            cluster.tracker.fetchFrom(cutting.address());
            assertThrows(ConnectionException.class,
                    () -> client.download("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt", target));
            assertFalse(Files.exists(target));
        }
    }

    @Test
    void metadataIsSetWithTheUploadAndMergedOrOverwrittenLater() throws Exception {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("width", "1024");
        meta.put("name", "häuschen");
        String id = client.upload(null, Content.of(bytes("x")), "", meta);
        assertEquals(Map.of("name", "häuschen", "width", "1024"), client.getMetadata(id));

        client.setMetadata(id, Map.of("width", "800", "color", "red"), MetadataMode.MERGE);
        assertEquals(Map.of("color", "red", "name", "häuschen", "width", "800"), client.getMetadata(id));

        client.setMetadata(id, Map.of("k", "v"), MetadataMode.OVERWRITE);
        assertEquals(Map.of("k", "v"), client.getMetadata(id));

        client.setMetadata(id, Map.of(), MetadataMode.OVERWRITE);
        assertThrows(NoSuchFileException.class, () -> client.getMetadata(id));
    }

    @Test
    void anUploadWhoseMetadataFailsIsDeletedAgain() {
        cluster.storage.fail(Cmd.SET_METADATA, Status.EIO);
        FdfsException e = assertThrows(FdfsException.class,
                () -> client.upload(null, Content.of(bytes("x")), "txt", Map.of("a", "b")));
        assertEquals(Status.EIO, e.status());
        assertEquals(1, cluster.storageServer.requests(Cmd.DELETE_FILE).size());
        String uploaded = "group1/" + new String(cluster.storageServer.requests(Cmd.DELETE_FILE).get(0).body(),
                StandardCharsets.ISO_8859_1).substring(16);
        assertFalse(cluster.storage.exists(uploaded));
    }

    @Test
    void appenderFilesCanBeAppendedModifiedTruncatedAndRegenerated() throws Exception {
        String id = client.uploadAppender(null, Content.of(bytes("0123456789")), "txt", Map.of());
        client.truncate(id, 5);
        client.append(id, Content.of(bytes("abcde")));
        client.modify(id, 3, Content.of(bytes("XY")));
        assertEquals("012XYabcde", download(id));

        FileInfoResult info = client.fileInfo(id);
        assertTrue(info.fromServer());
        assertEquals(FileInfo.Type.APPENDER, info.info().type());
        assertEquals(10, info.info().size());

        String normal = client.regenerateAppenderFilename(id);
        assertEquals(id.substring(0, 17), normal.substring(0, 17));
        assertEquals(id.substring(id.length() - 7), normal.substring(normal.length() - 7));
        assertEquals("012XYabcde", download(normal));
        assertThrows(InvalidArgumentException.class, () -> client.append(normal, Content.of(bytes("z"))));
    }

    @Test
    void slaveFilesAreNamedAfterTheirMaster() throws Exception {
        String master = client.upload(bytes("master"), "jpg");
        String slave = client.uploadSlave(master, "_150x150", "jpg", Content.of(bytes("thumb")), Map.of("k", "v"));
        assertEquals(master.replace(".jpg", "_150x150.jpg"), slave);
        assertEquals("thumb", download(slave));
        assertEquals(Map.of("k", "v"), client.getMetadata(slave));
        assertThrows(FileExistsException.class,
                () -> client.uploadSlave(master, "_150x150", "jpg", Content.of(bytes("again")), Map.of()));
    }

    @Test
    void fileInfoOfANormalFileIsDecodedFromItsIdWhenTheSourceIsKnown() throws Exception {
        StorageIds ids = StorageIds.parse("test", "100001 group1 10.0.0.7:23000\n");
        try (FdfsClient withIds = FdfsClient.create(cluster.settings().storageIds(ids).build())) {
            String id = withIds.upload(bytes("hello"), "txt");
            int queriesBefore = cluster.storageServer.requests(Cmd.QUERY_FILE_INFO).size();
            FileInfoResult r = withIds.fileInfo(id);
            assertFalse(r.fromServer());
            assertEquals(new FileInfo(FileInfo.Type.NORMAL, 100001, "10.0.0.7", r.info().createTime(), 5,
                    crc("hello")), r.info());
            assertEquals(queriesBefore, cluster.storageServer.requests(Cmd.QUERY_FILE_INFO).size());
        }
    }

    @Test
    void storageIdsCanComeFromTheTracker() throws Exception {
        cluster.tracker.parameters(Map.of("use_storage_id", "1"))
                .storageIds(List.of("100001 group1 10.0.0.7:23000", "100002 group1 10.0.0.8:23000"));
        try (FdfsClient fromTracker = FdfsClient.create(cluster.settings().storageIdsFromTracker(true).build())) {
            String id = fromTracker.upload(bytes("hello"), "txt");
            assertEquals("10.0.0.7", fromTracker.fileInfo(id).info().sourceIp());
            assertFalse(fromTracker.fileInfo(id).fromServer());
            assertEquals(1, cluster.trackerServer.requests(Cmd.STORAGE_PARAMETER_REQ).size());
            assertEquals(2, cluster.trackerServer.requests(Cmd.STORAGE_FETCH_STORAGE_IDS).size());
            assertEquals(0, cluster.storageServer.requests(Cmd.QUERY_FILE_INFO).size());
        }
    }

    @Test
    void fileInfoAsksTheStorageWhenTheSourceIdCannotBeNamed() throws Exception {
        String id = client.upload(bytes("hello"), "txt");
        FileInfoResult r = client.fileInfo(id, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32);
        assertTrue(r.fromServer());
        assertEquals("127.0.0.1", r.info().sourceIp());
        assertEquals(100001, r.info().serverId());
        assertEquals(5, r.info().size());
        assertEquals(QueryFileInfoResponse.FLAG_NOT_CALC_CRC32,
                cluster.storageServer.requests(Cmd.QUERY_FILE_INFO).get(0).header().status());
    }

    @Test
    void malformedFileIdsAreRejectedWithoutTraffic() {
        assertThrows(InvalidArgumentException.class, () -> client.delete("group1-no-slash"));
        assertThrows(InvalidArgumentException.class, () -> client.fileInfo("group1/M00/00/00/short.txt"));
        assertThrows(InvalidArgumentException.class, () -> client.upload(bytes("x"), "t/x"));
        assertEquals(0, cluster.trackerServer.connections());
        assertEquals(0, cluster.storageServer.connections());
    }

    @Test
    void aReadThatMissesOnAReplicaIsRepeatedOnTheSourceStorage() throws Exception {
        FakeStorage replica = new FakeStorage(FakeCluster.GROUP, 100002);
        try (FakeServer replicaServer = FakeServer.start(replica)) {
            String id = client.upload(bytes("fresh"), "txt");
            cluster.tracker.fetchFrom(replicaServer.address());
            assertEquals("fresh", download(id));
            assertEquals(5, client.fileInfo(id).info().size());
            assertEquals(1, replicaServer.requests(Cmd.DOWNLOAD_FILE).size());
            assertEquals(1, replicaServer.requests(Cmd.QUERY_FILE_INFO).size());
            // one QUERY_UPDATE each for the download and the file info, to find the source storage
            assertEquals(2, cluster.trackerServer.requests(Cmd.SERVICE_QUERY_UPDATE).size());

            replica.put(id, bytes("synced"));
            assertEquals("synced", download(id));
        }
    }

    @Test
    void aReadFallsBackToTheSourceWhenTheChosenStorageIsDown() throws Exception {
        String id = client.upload(bytes("hello"), "txt");
        cluster.tracker.fetchFrom(Ports.refusing());
        assertEquals("hello", download(id));
    }

    @Test
    void anUploadIsRepeatedOnlyWhenItsStorageRefusedTheConnection() throws Exception {
        cluster.tracker.storeTo(Ports.refusing());
        ConnectionException refused = assertThrows(ConnectionException.class,
                () -> client.upload(bytes("x"), "txt"));
        assertFalse(refused.requestSent());
        assertEquals(Status.ECONNREFUSED, refused.status());
        assertEquals(2, cluster.trackerServer.requests(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE).size());

        try (FakeServer dropping = FakeServer.start(r -> FakeServer.Reply.drop())) {
            cluster.tracker.storeTo(dropping.address());
            ConnectionException lost = assertThrows(ConnectionException.class,
                    () -> client.upload(bytes("x"), "txt"));
            assertTrue(lost.requestSent());
            assertEquals(1, dropping.requests().size());
        }
    }

    @Test
    void repliesWithTheIpv6SizedAddressFieldAreReadToo() throws Exception {
        StorageStat one = StorageStats.decode(Vectors.load("06_monitor.jsonl").stream()
                .filter(f -> f.index() == 1175).findFirst().orElseThrow().body()).storages().get(0);
        cluster.tracker.ipSize(46).storages(List.of(one));
        String id = client.upload(bytes("wide"), "txt");
        assertEquals("wide", download(id));
        client.delete(id);
        assertEquals(List.of(one), client.listStorages("group1"));
    }

    @Test
    void uploadsToANamedGroup() throws Exception {
        client.upload("group1", Content.of(bytes("x")), "", Map.of());
        FakeServer.Request query = cluster.trackerServer.requests().get(0);
        assertEquals(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, query.header().cmd());
        assertEquals("group1", new String(query.body(), StandardCharsets.ISO_8859_1).trim());
    }

    private static int crc(String s) {
        CRC32 c = new CRC32();
        c.update(bytes(s));
        return (int) c.getValue();
    }
}
