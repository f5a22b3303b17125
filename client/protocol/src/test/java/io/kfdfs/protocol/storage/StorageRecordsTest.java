package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StorageRecordsTest {

    private static final String NAME = "M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt";

    private record Case(int cmd, int status, Body body) {
    }

    private static final List<Case> CASES = List.of(
            new Case(Cmd.REPORT_SERVER_ID, 0, new ReportServerIdRequest("100001")),
            new Case(Cmd.UPLOAD_FILE, 0, new UploadFileRequest(0, 5, "txt")),
            new Case(Cmd.UPLOAD_APPENDER_FILE, 0, new UploadFileRequest(-1, 0, "")),
            new Case(Cmd.UPLOAD_SLAVE_FILE, 0, new UploadSlaveRequest(NAME, 9, "_big", "txt")),
            new Case(Cmd.DELETE_FILE, 0, new GroupFile("group1", NAME)),
            new Case(Cmd.SET_METADATA, 0, SetMetadataRequest.of("group1", NAME, 'M',
                    Metadata.of(Map.of("w", "1")))),
            new Case(Cmd.DOWNLOAD_FILE, 0, new DownloadRequest(3, 7, "group1", NAME)),
            new Case(Cmd.APPEND_FILE, 0, new AppendFileRequest(NAME, 11)),
            new Case(Cmd.MODIFY_FILE, 0, new ModifyFileRequest(NAME, 2, 11)),
            new Case(Cmd.TRUNCATE_FILE, 0, new TruncateFileRequest(NAME, 100)),
            new Case(Cmd.REGENERATE_APPENDER_FILENAME, 0, new RegenerateAppenderRequest(NAME)),
            new Case(Cmd.CREATE_LINK, 0, new CreateLinkRequest("", NAME, "sig", "group1", "_p", "jpg")),
            new Case(Cmd.SYNC_CREATE_FILE, 0, new SyncFileRequest(NAME, 5, 1795633364L, "group1", false)),
            new Case(Cmd.SYNC_CREATE_FILE, Status.EEXIST, new SyncFileRequest(NAME, 5, 3_000_000_000L, "group1", true)),
            new Case(Cmd.SYNC_DELETE_FILE, 0, new SyncDeleteRequest(1L, "group1", NAME)),
            new Case(Cmd.SYNC_APPEND_FILE, 0, new SyncRangeRequest(NAME, 5, 10, 2L, "group1")),
            new Case(Cmd.SYNC_TRUNCATE_FILE, 0, new SyncTruncateRequest(NAME, 30, 5, 2L, "group1")),
            new Case(Cmd.SYNC_RENAME_FILE, 0, new SyncLinkRequest(NAME, NAME.replace("152", "153"), 2L, "group1")),
            new Case(Cmd.FETCH_ONE_PATH_BINLOG, 0, new FetchOnePathBinlogRequest("group1", 255)),
            new Case(Cmd.KFDFS_SYNC_CAUGHT_UP, 0, new SyncCaughtUp(3_000_000_000L)),
            new Case(Cmd.KFDFS_RETIRE, 0, new RetireRequest(RetireRequest.LEAVE)));

    @Test
    void kfdfsRetirementBodies() throws ProtocolException {
        RetireStatus waiting = new RetireStatus(false, List.of("100002 (OFFLINE) lacks binlog.000:12 of binlog.000:40",
                "100003 (ACTIVE) lacks binlog.000:30 of binlog.000:40"));
        assertEquals(waiting, RetireStatus.decode(ByteBuffer.wrap(waiting.toBytes())));
        RetireStatus ready = new RetireStatus(true, List.of());
        assertEquals(ready, RetireStatus.decode(ByteBuffer.wrap(ready.toBytes())));
        assertEquals(1, ready.size());
        assertThrows(ProtocolException.class, () -> RetireRequest.decode(ByteBuffer.wrap(new byte[] {3})));
        assertThrows(ProtocolException.class, () -> SyncCaughtUp.decode(ByteBuffer.wrap(new byte[3])));
    }

    @Test
    void requestsRoundTrip() throws ProtocolException {
        for (Case c : CASES) {
            ByteBuffer frame = c.body().frame(c.cmd(), c.status());
            Header h = Header.decode(frame);
            long content = c.body() instanceof ContentRequest r ? r.contentLength() : 0;
            assertEquals(c.body().size() + content, h.bodyLength(), c.toString());
            ByteBuffer whole = ByteBuffer.allocate((int) h.bodyLength());
            whole.put(frame);
            whole.position(whole.capacity()).flip();
            Body decoded = StorageBodies.request(c.cmd(), h.status(), whole);
            assertEquals(c.body(), decoded);
            assertEquals(c.body().size(), whole.position(), "decoder stops at the first content byte: " + c);
        }
    }

    @Test
    void recordOnlySyncIsSentWithStatusEexist() throws ProtocolException {
        SyncFileRequest r = new SyncFileRequest(NAME, 5, 1, "group1", true);
        Header h = Header.decode(r.request(Cmd.SYNC_CREATE_FILE));
        assertEquals(Status.EEXIST, h.status());
        assertEquals(r.size(), h.bodyLength());
    }

    @Test
    void responsesRoundTrip() throws ProtocolException {
        GroupFile f = new GroupFile("group1", NAME);
        assertEquals(f, GroupFile.decode(ByteBuffer.wrap(f.toBytes())));
        assertEquals("group1/" + NAME, f.fileId());
        for (int ipSize : new int[] {16, 46}) {
            QueryFileInfoResponse q = new QueryFileInfoResponse(5, 1795633364L, 0x9fe1c7c1, "127.0.0.1", ipSize);
            byte[] b = q.toBytes();
            assertEquals(24 + ipSize, b.length);
            assertEquals((byte) 0xFF, b[16], "CRC is sign-extended");
            assertEquals(q, QueryFileInfoResponse.decode(ByteBuffer.wrap(b)));
        }
        assertEquals(java.util.Optional.empty(), SyncLinkRequest.decodeRenameReply(ByteBuffer.allocate(0)));
    }

    @Test
    void uploadRejectsLyingLengthsAndBadFields() {
        UploadFileRequest ok = new UploadFileRequest(0, 5, "txt");
        ByteBuffer prefix = ByteBuffer.wrap(ok.toBytes());
        assertStatus(Status.EINVAL, () -> UploadFileRequest.decode(prefix.duplicate(), 19));
        assertStatus(Status.EINVAL, () -> UploadFileRequest.decode(prefix.duplicate(), 21));
        assertStatus(Status.EINVAL, () -> UploadFileRequest.decode(
                ByteBuffer.wrap(new UploadFileRequest(-2, 5, "txt").toBytes()), 20));
        assertStatus(Status.EINVAL, () -> UploadFileRequest.decode(
                ByteBuffer.wrap(new UploadFileRequest(0, 5, "a b").toBytes()), 20));
        assertStatus(Status.EINVAL, () -> UploadFileRequest.decode(
                ByteBuffer.wrap(new UploadFileRequest(0, -1, "txt").toBytes()), 14));
        assertStatus(Status.EINVAL, () -> UploadFileRequest.decode(
                ByteBuffer.wrap(new UploadFileRequest(0, Long.MAX_VALUE, "txt").toBytes()), 14));
    }

    @Test
    void slaveNeedsAPrefix() {
        UploadSlaveRequest r = new UploadSlaveRequest(NAME, 0, "", "txt");
        assertStatus(Status.EINVAL, () -> UploadSlaveRequest.decode(ByteBuffer.wrap(r.toBytes())));
    }

    @Test
    void setMetadataChecksFlagAndLengths() {
        SetMetadataRequest bad = new SetMetadataRequest(NAME, 'X', "group1", "a\u0002b");
        assertStatus(Status.EINVAL, () -> SetMetadataRequest.decode(ByteBuffer.wrap(bad.toBytes())));
        SetMetadataRequest ok = new SetMetadataRequest(NAME, 'O', "group1", "a\u0002b");
        byte[] b = ok.toBytes();
        assertStatus(Status.EINVAL, () -> SetMetadataRequest.decode(ByteBuffer.wrap(b, 0, b.length - 1)));
    }

    @Test
    void fileRequestsBoundTheNameLength() {
        assertStatus(Status.EINVAL, () -> GroupFile.decode(ByteBuffer.wrap(new byte[16])));
        assertStatus(Status.EINVAL, () -> GroupFile.decode(ByteBuffer.wrap(new byte[16 + 128])));
        assertStatus(Status.EINVAL, () -> ReportServerIdRequest.decode(ByteBuffer.wrap(new byte[16])));
        assertStatus(Status.EINVAL, () -> FetchOnePathBinlogRequest.decode(ByteBuffer.wrap(new byte[18])));
    }

    private interface Decode {
        void run() throws ProtocolException;
    }

    private static void assertStatus(int status, Decode d) {
        ProtocolException e = assertThrows(ProtocolException.class, d::run);
        assertEquals(status, e.status(), e.getMessage());
    }
}
