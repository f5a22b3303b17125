package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 83 BEAT, 84 REPORT_DISK_USAGE and 89 SYNC_REPORT (docs/protocol.md §5.1): a flags byte, then
 * {@code leader} if flag 1, {@code trunkServer} if flag 2 and the group's storages if flag 4 (67-byte
 * briefs). Absent parts are null / empty and their flag is clear.
 */
public record ChangeNotice(StorageBrief leader, StorageBrief trunkServer, List<StorageBrief> group,
                           boolean groupChanged) implements Body {

    public static final int FLAG_LEADER = 1;
    public static final int FLAG_TRUNK_SERVER = 2;
    public static final int FLAG_GROUP = 4;

    public static final ChangeNotice NONE = new ChangeNotice(null, null, List.of(), false);

    public ChangeNotice {
        group = List.copyOf(group);
        if (!groupChanged && !group.isEmpty()) {
            throw new IllegalArgumentException("group records without the group flag");
        }
    }

    public static ChangeNotice decode(ByteBuffer body) throws ProtocolException {
        int flags = Fields.getByte(body, "flags");
        if ((flags & ~(FLAG_LEADER | FLAG_TRUNK_SERVER | FLAG_GROUP)) != 0) {
            throw ProtocolException.invalid("change notice: unknown flags " + flags);
        }
        int n = Wire.count(body, StorageBrief.SIZE, true, "change notice");
        int fixed = ((flags & FLAG_LEADER) != 0 ? 1 : 0) + ((flags & FLAG_TRUNK_SERVER) != 0 ? 1 : 0);
        boolean groupChanged = (flags & FLAG_GROUP) != 0;
        if (n < fixed || (!groupChanged && n != fixed)) {
            throw ProtocolException.invalid("change notice: " + n + " records do not match flags " + flags);
        }
        StorageBrief leader = (flags & FLAG_LEADER) != 0 ? StorageBrief.read(body) : null;
        StorageBrief trunk = (flags & FLAG_TRUNK_SERVER) != 0 ? StorageBrief.read(body) : null;
        List<StorageBrief> group = new ArrayList<>(n - fixed);
        for (int i = fixed; i < n; i++) {
            group.add(StorageBrief.read(body));
        }
        return new ChangeNotice(leader, trunk, group, groupChanged);
    }

    public int flags() {
        return (leader != null ? FLAG_LEADER : 0) | (trunkServer != null ? FLAG_TRUNK_SERVER : 0)
                | (groupChanged ? FLAG_GROUP : 0);
    }

    @Override
    public int size() {
        return 1 + StorageBrief.SIZE * ((leader != null ? 1 : 0) + (trunkServer != null ? 1 : 0) + group.size());
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) flags());
        if (leader != null) {
            leader.encodeTo(out);
        }
        if (trunkServer != null) {
            trunkServer.encodeTo(out);
        }
        for (StorageBrief b : group) {
            b.encodeTo(out);
        }
    }
}
