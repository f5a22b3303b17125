package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Request of 81 STORAGE_JOIN (docs/protocol.md §5.1): 145 fixed bytes, then {@code tracker_count} lines
 * {@code host:port\n} naming every tracker the storage reports to. {@code status} is signed (-1 =
 * unknown because some tracker failed). {@code storageId} is empty when storage IDs are off.
 */
public record JoinRequest(String group, int storagePort, long storePathCount, long subdirCountPerPath,
                          long uploadPriority, long joinTime, long upTime, String version, boolean initFlag,
                          int status, String storageId, String currentTrackerIp, List<String> trackers)
        implements Body {

    public static final int FIXED_SIZE = 145;
    public static final int MAX_TRACKERS = 16;
    /** FDFS_MAX_MULTI_IP_PORT_SIZE: the bound of one tracker line. */
    public static final int MAX_LINE = 100;

    public JoinRequest {
        trackers = List.copyOf(trackers);
    }

    public static JoinRequest decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len < FIXED_SIZE) {
            throw ProtocolException.invalid("join: body length " + len + " < " + FIXED_SIZE);
        }
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE + 1, "group");
        int port = Wire.getPort(body, "storage port");
        long paths = body.getLong();
        long subdirs = body.getLong();
        long priority = body.getLong();
        long joinTime = body.getLong();
        long upTime = body.getLong();
        String version = Fields.getFixed(body, Fields.VERSION_SIZE, "version");
        boolean initFlag = body.get() != 0;
        int status = body.get();
        String id = Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "storage id");
        String trackerIp = Fields.getFixed(body, Fields.IP_ADDRESS_SIZE, "current tracker ip");
        long count = body.getLong();
        if (count < 1 || count > MAX_TRACKERS || body.remaining() > count * MAX_LINE) {
            throw ProtocolException.invalid("join: tracker_count " + count + " with " + body.remaining()
                    + " bytes of tracker list");
        }
        String text = Fields.getRest(body);
        List<String> trackers = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            trackers.add(text.substring(start, nl));
            start = nl + 1;
        }
        if (start != text.length() || trackers.size() != count) {
            throw ProtocolException.invalid("join: tracker list does not hold " + count + " lines: " + text);
        }
        return new JoinRequest(group, port, paths, subdirs, priority, joinTime, upTime, version, initFlag, status,
                id, trackerIp, trackers);
    }

    @Override
    public int size() {
        int n = FIXED_SIZE;
        for (String t : trackers) {
            n += Fields.length(t) + 1;
        }
        return n;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE + 1);
        out.putLong(storagePort).putLong(storePathCount).putLong(subdirCountPerPath).putLong(uploadPriority)
                .putLong(joinTime).putLong(upTime);
        Fields.putFixed(out, version, Fields.VERSION_SIZE);
        Wire.putBool(out, initFlag);
        out.put((byte) status);
        Fields.putFixed(out, storageId, Fields.STORAGE_ID_SIZE);
        Fields.putFixed(out, currentTrackerIp, Fields.IP_ADDRESS_SIZE);
        out.putLong(trackers.size());
        for (String t : trackers) {
            Fields.putVar(out, t + "\n");
        }
    }
}
