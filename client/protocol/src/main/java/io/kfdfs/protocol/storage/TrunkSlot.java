package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * A trunk slot (§4.15): store path, the trunk file's {@code HH/HH}, trunk file id, offset and size. It is
 * the reply of TRUNK_ALLOC_SPACE (27). kfdfs does not store trunk files yet; the codec exists so the
 * storage can recognise the trunk commands and answer them "not supported".
 */
public record TrunkSlot(int storePathIndex, int subPathHigh, int subPathLow, int trunkFileId, int offset, int slotSize)
        implements Body {

    public static final int SIZE = 15;

    public static TrunkSlot decode(ByteBuffer body) throws ProtocolException {
        Fields.need(body, SIZE, "trunk slot");
        return new TrunkSlot(body.get() & 0xFF, body.get() & 0xFF, body.get() & 0xFF,
                body.getInt(), body.getInt(), body.getInt());
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) storePathIndex).put((byte) subPathHigh).put((byte) subPathLow)
                .putInt(trunkFileId).putInt(offset).putInt(slotSize);
    }
}
