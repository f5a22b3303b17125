package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Request of 58 TRACKER_JOIN_LEADER (docs/protocol.md §5.3): up_time i64, version {@code str[8]}, port i64. */
public record JoinLeaderRequest(long upTime, String version, int serverPort) implements Body {

    public static final int SIZE = 24;

    public static JoinLeaderRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "join leader");
        long upTime = body.getLong();
        String version = Fields.getFixed(body, Fields.VERSION_SIZE, "version");
        return new JoinLeaderRequest(upTime, version, Wire.getPort(body, "server port"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(upTime);
        Fields.putFixed(out, version, Fields.VERSION_SIZE);
        out.putLong(serverPort);
    }
}
