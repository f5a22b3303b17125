package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * SYNC_APPEND_FILE (25) / SYNC_MODIFY_FILE (35), §4.13: name length, start offset, length, origin
 * timestamp, group, remote filename, then the content.
 */
public record SyncRangeRequest(String filename, long offset, long length, long timestamp, String group)
        implements ContentRequest {

    public static final int HEAD_SIZE = 8 + 8 + 8 + 4 + Fields.GROUP_NAME_SIZE;
    public static final int MAX_FIXED_SIZE = HEAD_SIZE + Fields.MAX_FILENAME_LENGTH;

    public static SyncRangeRequest decode(ByteBuffer body) throws ProtocolException {
        return decode(body, body.remaining());
    }

    public static SyncRangeRequest decode(ByteBuffer in, long bodyLength) throws ProtocolException {
        int n = Lengths.nameLength(in, 1, "sync file name length");
        long offset = Lengths.nonNegative(in, "sync start offset");
        long length = Lengths.nonNegative(in, "sync length");
        Lengths.expectBody(bodyLength, HEAD_SIZE + n, length, "sync range");
        long ts = Lengths.timestamp(in, "sync timestamp");
        String group = Fields.getFixed(in, Fields.GROUP_NAME_SIZE, "group");
        return new SyncRangeRequest(Fields.getVar(in, n, "sync file name"), offset, length, ts, group);
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(filename)).putLong(offset).putLong(length).putInt((int) timestamp);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
    }
}
