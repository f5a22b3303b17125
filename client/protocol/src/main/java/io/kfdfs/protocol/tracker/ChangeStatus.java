package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Request of 59 STORAGE_CHANGE_STATUS (docs/protocol.md §5.2): the status byte the leader reports. */
public record ChangeStatus(int status) implements Body {

    public static ChangeStatus decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, 1, "change status");
        return new ChangeStatus(body.get() & 0xFF);
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) status);
    }
}
