package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Request of 84 REPORT_DISK_USAGE (docs/protocol.md §5.1): total and free MB of every store path, in order.
 * The tracker further requires exactly the group's store_path_count entries.
 */
public record DiskUsage(List<Path> paths) implements Body {

    public static final int ENTRY_SIZE = 16;

    public record Path(long totalMb, long freeMb) {
    }

    public DiskUsage {
        paths = List.copyOf(paths);
    }

    public static DiskUsage decode(ByteBuffer body) throws ProtocolException {
        int n = Wire.count(body, ENTRY_SIZE, false, "disk usage");
        List<Path> paths = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            paths.add(new Path(body.getLong(), body.getLong()));
        }
        return new DiskUsage(paths);
    }

    @Override
    public int size() {
        return paths.size() * ENTRY_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        for (Path p : paths) {
            out.putLong(p.totalMb()).putLong(p.freeMb());
        }
    }
}
