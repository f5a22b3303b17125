package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 63 TRACKER_GET_ONE_SYS_FILE (docs/protocol.md §5.3): file index u8 (0 groups, 1 servers, 2 sync
 * timestamps, 3 changelog) + offset i64.
 */
public record SysFileRequest(int index, long offset) implements Body {

    public static final int SIZE = 9;
    public static final int FILE_COUNT = 4;

    public static SysFileRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "get sys file");
        int index = body.get() & 0xFF;
        long offset = body.getLong();
        if (index >= FILE_COUNT || offset < 0) {
            throw ProtocolException.invalid("get sys file: bad index " + index + " or offset " + offset);
        }
        return new SysFileRequest(index, offset);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) index).putLong(offset);
    }
}
