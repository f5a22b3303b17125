package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** SYNC_TRUNCATE_FILE (37), §4.13: name length, old size, new size, origin timestamp, group, name. */
public record SyncTruncateRequest(String filename, long oldSize, long newSize, long timestamp, String group)
        implements Body {

    public static final int HEAD_SIZE = 8 + 8 + 8 + 4 + Fields.GROUP_NAME_SIZE;

    public static SyncTruncateRequest decode(ByteBuffer body) throws ProtocolException {
        int total = body.remaining();
        int n = Lengths.nameLength(body, 1, "sync file name length");
        long oldSize = Lengths.nonNegative(body, "sync old size");
        long newSize = Lengths.nonNegative(body, "sync new size");
        Lengths.expectBody(total, HEAD_SIZE + n, 0, "sync truncate");
        long ts = Lengths.timestamp(body, "sync timestamp");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new SyncTruncateRequest(Fields.getVar(body, n, "sync file name"), oldSize, newSize, ts, group);
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(filename)).putLong(oldSize).putLong(newSize).putInt((int) timestamp);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
    }
}
