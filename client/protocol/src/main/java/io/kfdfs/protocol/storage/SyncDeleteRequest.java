package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** SYNC_DELETE_FILE (17), §4.13: origin timestamp, group, remote filename. */
public record SyncDeleteRequest(long timestamp, String group, String filename) implements Body {

    public static final int HEAD_SIZE = 4 + Fields.GROUP_NAME_SIZE;

    public static SyncDeleteRequest decode(ByteBuffer body) throws ProtocolException {
        long ts = Lengths.timestamp(body, "sync timestamp");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new SyncDeleteRequest(ts, group, Lengths.restName(body, "sync delete"));
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putInt((int) timestamp);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
    }
}
