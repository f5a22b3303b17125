package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 98 STORAGE_VOLUMN_STAT (docs/protocol.md §3.10): filter bits (1 disk, 2 trunk, 4 space) and the
 * wanted availability of each.
 */
public record VolumeStatRequest(int filterBy, boolean diskAvailable, boolean trunkAvailable,
                                boolean spaceAvailable) implements Body {

    public static final int SIZE = 4;
    public static final int FILTER_BY_DISK = 1;
    public static final int FILTER_BY_TRUNK = 2;
    public static final int FILTER_BY_SPACE = 4;

    public static VolumeStatRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "volume stat request");
        return new VolumeStatRequest(body.get() & 0xFF, body.get() != 0, body.get() != 0, body.get() != 0);
    }

    /** Whether a group with these availabilities passes the filter. */
    public boolean accepts(boolean disk, boolean trunk, boolean space) {
        return ((filterBy & FILTER_BY_DISK) == 0 || disk == diskAvailable)
                && ((filterBy & FILTER_BY_TRUNK) == 0 || trunk == trunkAvailable)
                && ((filterBy & FILTER_BY_SPACE) == 0 || space == spaceAvailable);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) filterBy);
        Wire.putBool(out, diskAvailable);
        Wire.putBool(out, trunkAvailable);
        Wire.putBool(out, spaceAvailable);
    }
}
