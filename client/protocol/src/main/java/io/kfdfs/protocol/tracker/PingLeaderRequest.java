package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 65 TRACKER_PING_LEADER since 6.15.5 (docs/protocol.md §5.3): the follower's connection counts
 * (alloc, current, max; i32 each). Older followers send an empty body.
 */
public record PingLeaderRequest(int connAlloc, int connCurrent, int connMax) implements Body {

    public static final int SIZE = 12;

    public static PingLeaderRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "ping leader");
        return new PingLeaderRequest(body.getInt(), body.getInt(), body.getInt());
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putInt(connAlloc).putInt(connCurrent).putInt(connMax);
    }
}
