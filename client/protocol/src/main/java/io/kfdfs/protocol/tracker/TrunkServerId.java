package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Reply of 94 SET_TRUNK_SERVER (docs/protocol.md §3.9): the trunk server's ID followed by one NUL. */
public record TrunkServerId(String id) implements Body {

    public static TrunkServerId decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len < 2 || len > Fields.STORAGE_ID_SIZE || body.get(body.limit() - 1) != 0) {
            throw ProtocolException.invalid("trunk server reply: expected a 1.." + (Fields.STORAGE_ID_SIZE - 1)
                    + " byte ID and a NUL, got " + len + " bytes");
        }
        String id = Fields.getVar(body, len - 1, "id");
        body.get();
        return new TrunkServerId(id);
    }

    @Override
    public int size() {
        return Fields.length(id) + 1;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putVar(out, id);
        out.put((byte) 0);
    }
}
