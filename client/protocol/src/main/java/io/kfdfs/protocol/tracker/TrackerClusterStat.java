package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 96 TRACKER_CLUSTER_STAT (docs/protocol.md §3.10): a count byte, then 90-byte tracker records.
 */
public record TrackerClusterStat(List<Tracker> trackers) implements Body {

    public static final int RECORD_SIZE = 90;

    /** One tracker: {@code host} is "ip:port"; {@code active} = heard from within 3 s. */
    public record Tracker(String host, boolean leader, boolean active, int connAlloc, int connCurrent,
                          int connMax, String version, long upTime, long lastHeartBeatTime) {
    }

    public TrackerClusterStat {
        trackers = List.copyOf(trackers);
        if (trackers.size() > 255) {
            throw new IllegalArgumentException("at most 255 trackers fit the count byte");
        }
    }

    public static TrackerClusterStat decode(ByteBuffer body) throws ProtocolException {
        int count = Fields.getByte(body, "tracker count");
        Fields.expectLength(body, count * RECORD_SIZE, "tracker records");
        List<Tracker> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new Tracker(Fields.getFixed(body, Fields.MAX_IP_PORT_SIZE, "host"), body.get() != 0,
                    body.get() != 0, body.getInt(), body.getInt(), body.getInt(),
                    Fields.getFixed(body, Fields.VERSION_SIZE, "version"), body.getLong(), body.getLong()));
        }
        return new TrackerClusterStat(list);
    }

    @Override
    public int size() {
        return 1 + trackers.size() * RECORD_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) trackers.size());
        for (Tracker t : trackers) {
            Fields.putFixed(out, t.host(), Fields.MAX_IP_PORT_SIZE);
            Wire.putBool(out, t.leader());
            Wire.putBool(out, t.active());
            out.putInt(t.connAlloc()).putInt(t.connCurrent()).putInt(t.connMax());
            Fields.putFixed(out, t.version(), Fields.VERSION_SIZE);
            out.putLong(t.upTime()).putLong(t.lastHeartBeatTime());
        }
    }
}
