package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * TRUNK_ALLOC_CONFIRM (28; the header status carries the upload's result) and TRUNK_FREE_SPACE (29),
 * §4.15: group + the 15-byte slot, 31 bytes.
 */
public record TrunkSlotRequest(String group, TrunkSlot slot) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + TrunkSlot.SIZE;

    public static TrunkSlotRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "trunk slot request");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new TrunkSlotRequest(group, TrunkSlot.decode(body));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        slot.encodeTo(out);
    }
}
