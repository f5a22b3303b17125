package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * A storage's initial-sync source and cutoff (24 bytes: src_id {@code str[16]} + until_timestamp i64):
 * the request of 88 SYNC_NOTIFY (empty ID = no source) and the non-empty reply of 86 SYNC_SRC_REQ,
 * 87 SYNC_DEST_REQ and 79 SYNC_DEST_QUERY (which answer an empty body when there is no source).
 */
public record SyncSource(String srcId, long untilTimestamp) implements Body {

    public static final int SIZE = Fields.STORAGE_ID_SIZE + 8;

    public static SyncSource decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "sync source");
        return new SyncSource(Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "src id"), body.getLong());
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, srcId, Fields.STORAGE_ID_SIZE);
        out.putLong(untilTimestamp);
    }
}
