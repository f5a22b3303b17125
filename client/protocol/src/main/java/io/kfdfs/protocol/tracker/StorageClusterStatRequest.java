package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 97 STORAGE_CLUSTER_STAT (docs/protocol.md §3.10): filter bits (1 = by trunk flag, 2 = by
 * status), the status comparison ({@code '='} or {@code '!'}), the status and the trunk flag.
 */
public record StorageClusterStatRequest(int filterBy, int opType, int status, boolean trunkServer)
        implements Body {

    public static final int SIZE = 4;
    public static final int FILTER_BY_TRUNK = 1;
    public static final int FILTER_BY_STATUS = 2;

    public static StorageClusterStatRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "storage cluster stat request");
        return new StorageClusterStatRequest(body.get() & 0xFF, body.get() & 0xFF, body.get() & 0xFF,
                body.get() != 0);
    }

    /** Whether a storage with this status and trunk flag passes the filter. */
    public boolean accepts(int storageStatus, boolean isTrunkServer) {
        if ((filterBy & FILTER_BY_TRUNK) != 0 && isTrunkServer != trunkServer) {
            return false;
        }
        if ((filterBy & FILTER_BY_STATUS) != 0) {
            boolean equal = storageStatus == status;
            return opType == '!' ? !equal : equal;
        }
        return true;
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) filterBy).put((byte) opType).put((byte) status);
        Wire.putBool(out, trunkServer);
    }
}
