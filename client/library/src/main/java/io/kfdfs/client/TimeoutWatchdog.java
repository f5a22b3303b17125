package io.kfdfs.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@code network_timeout} on blocking reads and writes. A socket read with {@code SO_TIMEOUT}
 * costs a failed non-blocking read and a {@code poll(2)} before every real read; instead, a connection
 * notes a deadline before it blocks and clears it after, and this thread closes a connection whose
 * deadline passed: the blocked call fails and the connection reports it as a timeout. A timeout so fires
 * up to a quarter of the timeout late (at least 10 ms, at most 1 s).
 */
final class TimeoutWatchdog implements AutoCloseable {

    /** A connection under watch. */
    interface Watched {
        /** {@link System#nanoTime()} by which the blocked call must end; 0 when not blocked. */
        long deadline();

        /** Gives up the connection: its blocked call fails. */
        void expire();
    }

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private final long periodMillis;
    private Thread thread;
    private boolean closed;

    TimeoutWatchdog(long timeoutMillis) {
        this.periodMillis = Math.max(10, Math.min(1000, timeoutMillis / 4));
    }

    synchronized void watch(Watched w) {
        watched.add(w);
        if (thread == null || !thread.isAlive()) {
            thread = new Thread(this::run, "kfdfs-client-timeouts");
            thread.setDaemon(true);
            thread.start();
        }
    }

    void unwatch(Watched w) {
        watched.remove(w);
    }

    private void run() {
        // a closed client's connections still in use keep their timeouts
        while (!isClosed() || !watched.isEmpty()) {
            long now = System.nanoTime();
            for (Watched w : watched) {
                long deadline = w.deadline();
                if (deadline != 0 && now - deadline > 0) {
                    watched.remove(w);
                    w.expire();
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** The thread ends once no connection is left to watch. */
    @Override
    public synchronized void close() {
        closed = true;
    }
}
