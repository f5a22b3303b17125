package io.kfdfs.client;

import io.kfdfs.conf.HostPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Which tracker to ask, in which order. Requests rotate over the trackers; a tracker that failed is put
 * at the back for a short back-off (seconds, not the minutes some clients wait) while another one is
 * available, then tried again. When every tracker is backing off they are all tried anyway, the one
 * whose back-off ends first leading: a failing request is better than none.
 */
final class TrackerSelector {

    private final List<HostPort> trackers;
    private final long backoffNanos;
    private final LongSupplier clock;
    private final AtomicInteger next = new AtomicInteger();
    /** Per tracker: the clock value until which it is skipped; 0 when healthy. */
    private final AtomicLongArray failedUntil;

    TrackerSelector(List<HostPort> trackers, Duration backoff, LongSupplier nanoClock) {
        this.trackers = List.copyOf(trackers);
        this.backoffNanos = backoff.toNanos();
        this.clock = nanoClock;
        this.failedUntil = new AtomicLongArray(trackers.size());
    }

    /** The trackers to try for one request, in order. */
    List<HostPort> order() {
        int n = trackers.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        long now = clock.getAsLong();
        List<Integer> healthy = new ArrayList<>(n);
        List<Integer> backingOff = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            long until = failedUntil.get(i);
            (until == 0 || until - now <= 0 ? healthy : backingOff).add(i);
        }
        backingOff.sort(Comparator.comparingLong(i -> failedUntil.get(i) - now));
        healthy.addAll(backingOff);
        return healthy.stream().map(trackers::get).toList();
    }

    void failed(HostPort tracker) {
        long until = clock.getAsLong() + backoffNanos;
        failedUntil.set(trackers.indexOf(tracker), until == 0 ? 1 : until);
    }

    void succeeded(HostPort tracker) {
        failedUntil.set(trackers.indexOf(tracker), 0);
    }

    List<HostPort> trackers() {
        return trackers;
    }
}
