package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Reply of 81 STORAGE_JOIN: the storage's status on this tracker and its sync source ID (or empty). */
public record JoinReply(int status, String srcId) implements Body {

    public static final int SIZE = 1 + Fields.STORAGE_ID_SIZE;

    public static JoinReply decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "join reply");
        return new JoinReply(body.get() & 0xFF, Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "src id"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) status);
        Fields.putFixed(out, srcId, Fields.STORAGE_ID_SIZE);
    }
}
