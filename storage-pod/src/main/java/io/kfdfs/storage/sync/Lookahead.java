package io.kfdfs.storage.sync;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which names the binlog removes further on (a delete, or the old name of a rename), read ahead of a
 * sender once and remembered: a record whose file is missing was either removed later (skip it) or is
 * still being put in place by its writer, who records a change before making it (wait for it). Blocking;
 * used by one sender at a time.
 */
final class Lookahead {

    private final BinlogReader reader;
    /** How a name leaves the binlog's view after a position. */
    enum Fate { STAYS, DELETED, RENAMED }

    private record Removal(BinlogPosition at, Fate fate) {
    }

    private final Map<String, Removal> lastRemoval = new HashMap<>();
    private BinlogPosition scanned = BinlogPosition.START;

    Lookahead(BinlogReader reader) {
        this.reader = reader;
    }

    /** Whether the binlog, as written by now, deletes or renames {@code name} after {@code position}. */
    Fate after(String name, BinlogPosition position) throws IOException {
        if (scanned.before(position)) {
            scanned = position;
        }
        for (List<BinlogReader.Entry> batch = reader.read(scanned); !batch.isEmpty(); batch = reader.read(scanned)) {
            for (BinlogReader.Entry e : batch) {
                BinlogRecord r = e.record();
                if (r != null && r.kind() == Binlog.DELETE) {
                    lastRemoval.put(r.name(), new Removal(e.after(), Fate.DELETED));
                } else if (r != null && r.kind() == Binlog.RENAME) {
                    lastRemoval.put(r.other(), new Removal(e.after(), Fate.RENAMED));
                }
                scanned = e.after();
            }
        }
        Removal removed = lastRemoval.get(name);
        return removed != null && position.before(removed.at()) ? removed.fate() : Fate.STAYS;
    }

    /** Forgets removals the sender has passed. */
    void passed(BinlogPosition position) {
        if (lastRemoval.size() > 10_000) {
            lastRemoval.values().removeIf(r -> !position.before(r.at()));
        }
    }
}
