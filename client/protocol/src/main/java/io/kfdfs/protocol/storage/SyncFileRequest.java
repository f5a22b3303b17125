package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;

import java.nio.ByteBuffer;

/**
 * SYNC_CREATE_FILE (16) / SYNC_UPDATE_FILE (18), §4.13: name length, file size, origin timestamp,
 * group, remote filename, then the content — unless the header status is non-zero ("record only",
 * the C sender uses EEXIST), in which case no content follows.
 */
public record SyncFileRequest(String filename, long fileSize, long timestamp, String group, boolean recordOnly)
        implements ContentRequest {

    public static final int HEAD_SIZE = 8 + 8 + 4 + Fields.GROUP_NAME_SIZE;
    public static final int MAX_FIXED_SIZE = HEAD_SIZE + Fields.MAX_FILENAME_LENGTH;

    public static SyncFileRequest decode(ByteBuffer body, int headerStatus) throws ProtocolException {
        return decode(body, body.remaining(), headerStatus);
    }

    public static SyncFileRequest decode(ByteBuffer in, long bodyLength, int headerStatus) throws ProtocolException {
        boolean recordOnly = headerStatus != 0;
        int n = Lengths.nameLength(in, 1, "sync file name length");
        long size = Lengths.nonNegative(in, "sync file size");
        Lengths.expectBody(bodyLength, HEAD_SIZE + n, recordOnly ? 0 : size, "sync file");
        long ts = Lengths.timestamp(in, "sync timestamp");
        String group = Fields.getFixed(in, Fields.GROUP_NAME_SIZE, "group");
        return new SyncFileRequest(Fields.getVar(in, n, "sync file name"), size, ts, group, recordOnly);
    }

    /** The header status this request is sent with. */
    public int headerStatus() {
        return recordOnly ? Status.EEXIST : 0;
    }

    @Override
    public ByteBuffer request(int cmd) {
        return frame(cmd, headerStatus());
    }

    @Override
    public long contentLength() {
        return recordOnly ? 0 : fileSize;
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(filename)).putLong(fileSize).putInt((int) timestamp);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
    }
}
