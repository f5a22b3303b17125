package io.kfdfs.storage.sync;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far this storage has received each source's changes: the newest origin timestamp of a record a
 * source sent, raised by a kfdfs source's "caught up" notice when it has nothing more. Reported to the
 * trackers in SYNC_REPORT (§5.1), which decide from it which replicas may serve a file (§9.6). Kept in
 * memory only, as in C: a restarted storage reports again as records arrive.
 */
public final class SyncProgress {

    private final Map<String, Long> newest = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /** A record from {@code source} with origin time {@code timestamp} was applied (or found applied). */
    public void received(String source, long timestamp) {
        Long before = newest.get(source);
        if (before == null || timestamp > before) {
            newest.merge(source, timestamp, Math::max);
            version.incrementAndGet();
        }
    }

    public long of(String source) {
        return newest.getOrDefault(source, 0L);
    }

    /** Increases on every change, so reporters send only news. */
    public long version() {
        return version.get();
    }
}
