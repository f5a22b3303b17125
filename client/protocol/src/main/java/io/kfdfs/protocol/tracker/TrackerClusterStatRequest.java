package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 96 TRACKER_CLUSTER_STAT (docs/protocol.md §3.10): filter bits (1 = by is_active, 2 = by
 * is_leader) and the wanted values.
 */
public record TrackerClusterStatRequest(int filterBy, boolean active, boolean leader) implements Body {

    public static final int SIZE = 3;
    public static final int FILTER_BY_ACTIVE = 1;
    public static final int FILTER_BY_LEADER = 2;

    public static TrackerClusterStatRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "tracker cluster stat request");
        return new TrackerClusterStatRequest(body.get() & 0xFF, body.get() != 0, body.get() != 0);
    }

    /** Whether a tracker with these flags passes the filter. */
    public boolean accepts(boolean isActive, boolean isLeader) {
        return ((filterBy & FILTER_BY_ACTIVE) == 0 || isActive == active)
                && ((filterBy & FILTER_BY_LEADER) == 0 || isLeader == leader);
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) filterBy);
        Wire.putBool(out, active);
        Wire.putBool(out, leader);
    }
}
