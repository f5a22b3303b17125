package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 69 STORAGE_FETCH_STORAGE_IDS (docs/protocol.md §5.2): start index i32 + allow_empty u8 (the
 * 4-byte form of ≤ 6.10 is refused, as by the 6.16 C tracker).
 */
public record StorageIdsRequest(int startIndex, boolean allowEmpty) implements Body {

    public static final int SIZE = 5;

    public static StorageIdsRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "fetch storage ids");
        return new StorageIdsRequest(body.getInt(), body.get() != 0);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putInt(startIndex);
        Wire.putBool(out, allowEmpty);
    }
}
