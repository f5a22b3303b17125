package io.kfdfs.pod;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Polling for a state that servers reach asynchronously (joins, beats, closed connections), in tests. */
public final class Eventually {

    /** Something to look at; it may do I/O. */
    public interface Probe<T> {
        T get() throws Exception;
    }

    private Eventually() {
    }

    /** What {@code probe} returns once {@code ok} accepts it; fails after 30 s with the last value seen. */
    public static <T> T eventually(Probe<T> probe, Predicate<T> ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T last = probe.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
            }
            Thread.sleep(100);
            last = probe.get();
        }
        return last;
    }
}
