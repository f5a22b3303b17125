package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Reply of 64 TRACKER_GET_STATUS (docs/protocol.md §5.3): if_leader u8, running_time i64, restart_interval
 * i64 (both in seconds, rounded down to 300 s by the sender).
 */
public record TrackerStatus(boolean leader, long runningTime, long restartInterval) implements Body {

    public static final int SIZE = 17;

    public static TrackerStatus decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "tracker status");
        return new TrackerStatus(body.get() != 0, body.getLong(), body.getLong());
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Wire.putBool(out, leader);
        out.putLong(runningTime).putLong(restartInterval);
    }
}
