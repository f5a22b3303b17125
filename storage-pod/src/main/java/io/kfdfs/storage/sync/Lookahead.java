package io.kfdfs.storage.sync;

import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.BinlogReader;
import io.kfdfs.storage.store.BinlogRecord;

import java.io.IOException;
import java.util.ArrayDeque;
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

    private record Removal(String name, BinlogPosition at, Fate fate) {
    }

    private final Map<String, Removal> lastRemoval = new HashMap<>();
    /** The same removals in binlog order, so the passed ones are dropped from the front. */
    private final ArrayDeque<Removal> inOrder = new ArrayDeque<>();
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
                    remember(new Removal(r.name(), e.after(), Fate.DELETED));
                } else if (r != null && r.kind() == Binlog.RENAME) {
                    remember(new Removal(r.other(), e.after(), Fate.RENAMED));
                }
                scanned = e.after();
            }
        }
        Removal removed = lastRemoval.get(name);
        return removed != null && position.before(removed.at()) ? removed.fate() : Fate.STAYS;
    }

    private void remember(Removal r) {
        lastRemoval.put(r.name(), r);
        inOrder.add(r);
    }

    /** Forgets removals the sender has passed: it only goes on from there, or {@link #restart}s. */
    void passed(BinlogPosition position) {
        for (Removal r; (r = inOrder.peek()) != null && !position.before(r.at()); ) {
            inOrder.poll();
            lastRemoval.remove(r.name(), r);
        }
    }

    /** The sender starts again from an earlier position (a full sync): what was forgotten must be read again. */
    void restart() {
        lastRemoval.clear();
        inOrder.clear();
        scanned = BinlogPosition.START;
    }

    /** How many removals are remembered (tests). */
    int remembered() {
        return inOrder.size();
    }
}
