package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** TRUNK_ALLOC_SPACE (27, §4.15): group, slot size (file size + 24), store path index; 21 bytes. */
public record TrunkAllocRequest(String group, int slotSize, int storePathIndex) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + 4 + 1;

    public static TrunkAllocRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "trunk alloc request");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new TrunkAllocRequest(group, body.getInt(), body.get() & 0xFF);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        out.putInt(slotSize).put((byte) storePathIndex);
    }
}
