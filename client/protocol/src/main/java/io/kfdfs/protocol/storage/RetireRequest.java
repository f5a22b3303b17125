package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * KFDFS_RETIRE (kfdfs only), one byte: {@link #CANCEL} makes the storage writable again, {@link #PREPARE}
 * makes it read-only and asks how far its peers have synced from it (the reply is a {@link RetireStatus}),
 * {@link #LEAVE} makes it stop reporting and syncing once every peer has all its changes (EBUSY otherwise).
 */
public record RetireRequest(int step) implements Body {

    public static final int CANCEL = 0;
    public static final int PREPARE = 1;
    public static final int LEAVE = 2;

    public static RetireRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, 1, "retire request");
        int step = body.get() & 0xFF;
        if (step > LEAVE) {
            throw ProtocolException.invalid("retire step " + step);
        }
        return new RetireRequest(step);
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) step);
    }
}
