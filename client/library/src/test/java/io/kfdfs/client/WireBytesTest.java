package io.kfdfs.client;

import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.client.fake.FakeTracker;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's requests are byte for byte those the C 6.16.1 tools sent (vectors/*.jsonl), and it reads
 * the captured C replies. The storage answers with the captured reply; the tracker points at it.
 */
class WireBytesTest {

    private static final Map<Integer, VectorFrame> FRAMES = new LinkedHashMap<>();

    static {
        for (String file : List.of("02_upload.jsonl", "03_download.jsonl", "04_file_info_delete.jsonl",
                "05_metadata_appender_slave.jsonl", "06_monitor.jsonl")) {
            Vectors.load(file).forEach(f -> FRAMES.put(f.index(), f));
        }
    }

    private FakeServer storage;
    private FakeServer trackerServer;
    private FakeTracker tracker;
    private FdfsClient client;

    /** A storage answering every request with {@code replyIndex}'s captured frame, and a client for it. */
    private void start(int... replyIndexes) throws IOException {
        List<VectorFrame> replies = Arrays.stream(replyIndexes).mapToObj(FRAMES::get).toList();
        storage = FakeServer.start(r -> FakeServer.Reply.raw(replies.stream()
                .filter(f -> f.reqCmd() == r.header().cmd()).findFirst().orElseThrow().bytes()));
        tracker = new FakeTracker("group1", storage.address());
        trackerServer = FakeServer.start(tracker);
        client = FdfsClient.create(ClientSettings.builder().tracker(trackerServer.address())
                .networkTimeout(Duration.ofSeconds(5)).build());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        trackerServer.close();
        storage.close();
    }

    private static void assertFrame(int index, FakeServer.Request actual) {
        assertEquals(HexFormat.of().formatHex(FRAMES.get(index).bytes()), HexFormat.of().formatHex(actual.frame()),
                "request differs from captured frame #" + index);
    }

    private void assertStorageRequests(int... indexes) {
        List<FakeServer.Request> seen = storage.requests();
        assertEquals(indexes.length, seen.size());
        for (int i = 0; i < indexes.length; i++) {
            assertFrame(indexes[i], seen.get(i));
        }
    }

    private void assertTrackerRequest(int index) {
        assertFrame(index, trackerServer.requests().get(0));
    }

    private static byte[] file(String name) throws IOException {
        return Files.readAllBytes(Vectors.dir().resolve("files").resolve(name));
    }

    @Test
    void uploadOfHelloTxt() throws Exception {
        start(228);
        assertEquals("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt", client.upload(file("hello.txt"), "txt"));
        assertTrackerRequest(225);
        assertStorageRequests(227);
    }

    @Test
    void uploadOfAnEmptyFileAndOf70000Bytes() throws Exception {
        start(232);
        assertEquals("group1/M00/00/00/oYYBAGsHMNSAAC5KAAAAAAAAAAA4933030", client.upload(new byte[0], ""));
        client.upload(file("big70000.bin"), "bin");
        assertFrame(231, storage.requests().get(0));
        assertFrame(235, storage.requests().get(1));
    }

    @Test
    void uploadToAnExplicitStorageLettingItChooseThePath() throws Exception {
        start(238);
        client.storage().upload(storage.address(), -1, "txt", Content.of(file("hello.txt")));
        assertStorageRequests(237);
        assertEquals(0, trackerServer.requests().size());
    }

    @Test
    void appenderUploadThenTruncateAppendModify() throws Exception {
        start(474, 482, 488, 494);
        String id = client.uploadAppender(null, Content.of(file("app10.txt")), "txt", Map.of());
        assertEquals("group1/M00/00/00/oYYBAGsHMPSEJk4FAAAAAKaEx8Y012.txt", id);
        client.truncate(id, 5);
        client.append(id, Content.of(file("app10.txt")));
        client.modify(id, 15, Content.of(file("app10.txt")));
        assertStorageRequests(473, 481, 487, 493);
    }

    @Test
    void slaveUpload() throws Exception {
        start(382);
        String slave = client.uploadSlave("group1/M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457.txt", "_big", "txt",
                Content.of(file("hello.txt")), Map.of());
        assertEquals("group1/M00/00/00/oYYBAGsHMOuACWuoAAAABTYQpoY457_big.txt", slave);
        assertTrackerRequest(379);
        assertStorageRequests(381);
    }

    @Test
    void setMetadataOverwriteAndMergeThenGet() throws Exception {
        start(420, 428);
        String id = "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt";
        Map<String, String> overwrite = new LinkedHashMap<>();
        overwrite.put("width", "1024");
        overwrite.put("height", "768");
        client.setMetadata(id, overwrite, MetadataMode.OVERWRITE);
        Map<String, String> merge = new LinkedHashMap<>();
        merge.put("color", "red");
        merge.put("width", "800");
        client.setMetadata(id, merge, MetadataMode.MERGE);
        assertEquals(Map.of("height", "768", "width", "1024"), client.getMetadata(id));
        assertTrackerRequest(415);
        assertStorageRequests(419, 437, 427);
    }

    @Test
    void downloadsWholeAndRanges() throws Exception {
        start(266);
        String hello = "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(5, client.download(hello, out));
        assertEquals("hello", out.toString(StandardCharsets.US_ASCII));
        String big = "group1/M00/00/00/oYYBAGsHMNWAN2Z-AAERcJ_hx8E203.bin";
        client.download(big, 1000, 2000, new ByteArrayOutputStream());
        client.download(big, 69990, 100, new ByteArrayOutputStream());
        client.download(big, 69000, 0, new ByteArrayOutputStream());
        client.download(hello, 1, 3, new ByteArrayOutputStream());
        assertTrackerRequest(263);
        assertStorageRequests(265, 273, 277, 285, 299);
    }

    @Test
    void fileInfoWithEachFlagAndDelete() throws Exception {
        start(334, 354);
        String hello = "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt";
        String empty = "group1/M00/00/00/oYYBAGsHMNSAAC5KAAAAAAAAAAA4933030";
        String copy = "group1/M00/00/00/oYYBAGsHMNWAJcphAAAABTYQpoY096.txt";
        FileInfoResult info = client.fileInfo(hello);
        assertEquals(5, info.info().size());
        assertEquals(0x3610a686, info.info().crc32());
        assertEquals(1795633364L, info.info().createTime());
        client.fileInfo(empty, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32);
        client.fileInfo(empty, QueryFileInfoResponse.FLAG_KEEP_SILENCE);
        client.fileInfo(copy, QueryFileInfoResponse.FLAG_NOT_CALC_CRC32 | QueryFileInfoResponse.FLAG_KEEP_SILENCE);
        client.delete("group1/M00/00/00/oYYBAGsHMNWATfCCAAAABTYQpoY882.txt");
        assertTrackerRequest(331);
        assertFrame(351, trackerServer.requests().get(4));
        assertStorageRequests(333, 341, 345, 349, 353);
    }

    @Test
    void regenerateAppenderFilename() throws Exception {
        start(540);
        assertEquals("group1/M00/00/00/oYYBAGsHMPyADCxdAAAACvWMl2g512.txt",
                client.regenerateAppenderFilename("group1/M00/00/00/oYYBAGsHMPWEHhIwAAAAADYQpoY512.txt"));
        assertStorageRequests(539);
    }

    @Test
    void listGroupsAndStoragesReadsTheCapturedRecords() throws Exception {
        start();
        byte[] groups = FRAMES.get(1173).bytes();
        byte[] storages = FRAMES.get(1175).bytes();
        trackerServer.close();
        trackerServer = FakeServer.start(r -> FakeServer.Reply.raw(r.header().cmd() == Cmd.SERVER_LIST_ALL_GROUPS
                ? groups : storages));
        client.close();
        client = FdfsClient.create(ClientSettings.builder().tracker(trackerServer.address()).build());

        List<GroupStat> g = client.listGroups();
        assertEquals(1, g.size());
        assertEquals("group1", g.get(0).group());
        assertEquals(258019, g.get(0).totalMb());
        List<StorageStat> s = client.listStorages("group1");
        assertEquals(List.of("100001", "100002"), s.stream().map(StorageStat::id).toList());
        assertEquals("127.0.0.1", s.get(1).ip());
        assertEquals(23201, s.get(1).storagePort());
        assertArrayEquals(FRAMES.get(1172).bytes(), trackerServer.requests().get(0).frame());
        assertArrayEquals(FRAMES.get(1174).bytes(), trackerServer.requests().get(1).frame());
    }
}
