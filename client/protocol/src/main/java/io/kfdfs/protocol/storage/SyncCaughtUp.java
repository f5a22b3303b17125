package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * KFDFS_SYNC_CAUGHT_UP (kfdfs only): the sender has sent every binlog record of its own whose origin
 * timestamp is below {@code timestamp} (i32 unix seconds, the sender's clock), so the receiver may report
 * that source as synced up to it although the source had nothing new.
 */
public record SyncCaughtUp(long timestamp) implements Body {

    public static final int SIZE = 4;

    public static SyncCaughtUp decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "sync caught up");
        return new SyncCaughtUp(body.getInt() & 0xFFFFFFFFL);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putInt((int) timestamp);
    }
}
