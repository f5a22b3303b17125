package io.kfdfs.protocol.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting in tests for a state that servers, processes or clusters reach asynchronously (joins, beats,
 * closed connections, replicas, pods). The one polling loop of every module's tests: it lives here, in the
 * bottom module's test-jar, so that the client, the CLI, the operator and e2e share it without Vert.x.
 */
public final class Eventually {

    /** How long a test waits when it names no time of its own: any normal wait ends well within it. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long FIRST_PAUSE_MS = 10;
    private static final long LONGEST_PAUSE_MS = 50;

    private Eventually() {
    }

    /** What {@code probe} returns once {@code ok} accepts it; fails after {@link #PATIENCE}. */
    public static <T> T eventually(Callable<T> probe, Predicate<? super T> ok, String what) throws Exception {
        return eventually(probe, ok, PATIENCE, what);
    }

    /**
     * What {@code probe} returns once {@code ok} accepts it; after {@code within}, an AssertionError naming
     * {@code what} and the last value seen. An exception of the probe ends the wait at once: a probe that
     * can fail while the state is not reached yet says so in the value it returns.
     */
    public static <T> T eventually(Callable<T> probe, Predicate<? super T> ok, Duration within, String what)
            throws Exception {
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_MS;
        while (true) {
            long asked = System.nanoTime();
            T last = probe.call();
            if (ok.test(last)) {
                return last;
            }
            long now = System.nanoTime();
            if (now - start > within.toNanos()) {
                throw new AssertionError("timed out after " + within.toMillis() / 1000.0 + " s waiting for " + what
                        + "; last seen: " + last);
            }
            // short pauses first, for states reached in milliseconds; never less than the probe took, so that
            // a costly probe (a scan of a store, a query of every tracker) does not hold a core
            Thread.sleep(Math.max(pause, (now - asked) / 1_000_000));
            pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
        }
    }
}
