package io.kfdfs.storage.stats;

import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StatBlock;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The statistics a storage reports in BEAT (the 348-byte stat block) and keeps in storage_stat.dat.
 * Updated from any thread.
 */
public final class Counters {

    private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong maxConnections = new AtomicLong();

    public void inc(Counter c) {
        add(c, 1);
    }

    public void add(Counter c, long delta) {
        values.addAndGet(c.ordinal(), delta);
        version.incrementAndGet();
    }

    public void set(Counter c, long value) {
        values.set(c.ordinal(), value);
        version.incrementAndGet();
    }

    public long get(Counter c) {
        return values.get(c.ordinal());
    }

    /** Counts one attempt of an operation and, if {@code ok}, its success ({@code TOTAL_x}/{@code SUCCESS_x}). */
    public void count(Counter total, Counter success, boolean ok) {
        inc(total);
        if (ok) {
            inc(success);
        }
    }

    public void connectionOpened() {
        maxConnections.accumulateAndGet(connections.incrementAndGet(), Math::max);
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Increases on every change; the reporter sends an empty BEAT when it has not moved. */
    public long version() {
        return version.get();
    }

    public StatBlock snapshot() {
        long[] v = new long[values.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        // the last two values are the tracker's to fill: C sends them as 0
        v[Counter.LAST_SYNCED_TIMESTAMP.ordinal()] = 0;
        v[Counter.LAST_HEART_BEAT_TIME.ordinal()] = 0;
        int max = (int) maxConnections.get();
        return new StatBlock(max, (int) connections.get(), max, v);
    }
}
