package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Request of 89 SYNC_REPORT (docs/protocol.md §5.1): for each storage of the reporter's group, the origin
 * timestamp of the newest record received from it (0 if none; the reporter lists itself with 0).
 */
public record SyncReport(List<Entry> entries) implements Body {

    public static final int ENTRY_SIZE = Fields.STORAGE_ID_SIZE + 4;

    public record Entry(String sourceId, int timestamp) {
    }

    public SyncReport {
        entries = List.copyOf(entries);
    }

    public static SyncReport decode(ByteBuffer body) throws ProtocolException {
        int n = Wire.count(body, ENTRY_SIZE, false, "sync report");
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new Entry(Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "source id"), body.getInt()));
        }
        return new SyncReport(entries);
    }

    @Override
    public int size() {
        return entries.size() * ENTRY_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        for (Entry e : entries) {
            Fields.putFixed(out, e.sourceId(), Fields.STORAGE_ID_SIZE);
            out.putInt(e.timestamp());
        }
    }
}
