package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 91 LIST_ALL_GROUPS (n records, possibly none — testdata/vectors/NOTES.md C5) and 90 LIST_ONE_GROUP (one record),
 * in the current or the legacy layout of {@link GroupStat}.
 */
public record GroupStats(List<GroupStat> groups, boolean legacy) implements Body {

    public GroupStats {
        groups = List.copyOf(groups);
    }

    /** Decodes either layout: 113-byte records are assumed when the length allows both. */
    public static GroupStats decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        boolean legacy = len % GroupStat.SIZE != 0 && len % GroupStat.LEGACY_SIZE == 0;
        return decode(body, legacy);
    }

    public static GroupStats decode(ByteBuffer body, boolean legacy) throws ProtocolException {
        int n = Wire.count(body, GroupStat.size(legacy), true, "group stats");
        List<GroupStat> groups = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            groups.add(GroupStat.decode(body, legacy));
        }
        return new GroupStats(groups, legacy);
    }

    @Override
    public int size() {
        return groups.size() * GroupStat.size(legacy);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        for (GroupStat g : groups) {
            g.encodeTo(out, legacy);
        }
    }
}
