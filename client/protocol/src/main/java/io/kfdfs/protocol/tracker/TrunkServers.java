package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 65 TRACKER_PING_LEADER when trunk assignments changed (docs/protocol.md §5.3): for every group,
 * group {@code str[16]} + trunk server ID {@code str[16]} (empty if none).
 */
public record TrunkServers(List<Entry> groups) implements Body {

    public static final int ENTRY_SIZE = Fields.GROUP_NAME_SIZE + Fields.STORAGE_ID_SIZE;

    public record Entry(String group, String trunkServerId) {
    }

    public TrunkServers {
        groups = List.copyOf(groups);
    }

    public static TrunkServers decode(ByteBuffer body) throws ProtocolException {
        int n = Wire.count(body, ENTRY_SIZE, true, "trunk servers");
        List<Entry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new Entry(Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group"),
                    Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "trunk server id")));
        }
        return new TrunkServers(list);
    }

    @Override
    public int size() {
        return groups.size() * ENTRY_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        for (Entry e : groups) {
            Fields.putFixed(out, e.group(), Fields.GROUP_NAME_SIZE);
            Fields.putFixed(out, e.trunkServerId(), Fields.STORAGE_ID_SIZE);
        }
    }
}
