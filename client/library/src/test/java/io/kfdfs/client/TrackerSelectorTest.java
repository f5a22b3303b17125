package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TrackerSelectorTest {

    private static final HostPort A = new HostPort("a", 22122);
    private static final HostPort B = new HostPort("b", 22122);
    private static final HostPort C = new HostPort("c", 22122);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TrackerSelector selector = new TrackerSelector(List.of(A, B, C), Duration.ofSeconds(3), now::get);

    @Test
    void requestsRotateOverTheTrackers() {
        assertEquals(List.of(A, B, C), selector.order());
        assertEquals(List.of(B, C, A), selector.order());
        assertEquals(List.of(C, A, B), selector.order());
        assertEquals(List.of(A, B, C), selector.order());
    }

    @Test
    void aFailedTrackerGoesLastUntilItsBackoffEnds() {
        selector.failed(A);
        assertEquals(List.of(B, C, A), selector.order());
        assertEquals(List.of(B, C, A), selector.order());
        assertEquals(List.of(C, B, A), selector.order());
        now.addAndGet(Duration.ofSeconds(3).toNanos());
        assertEquals(List.of(A, B, C), selector.order());
    }

    @Test
    void whenAllAreBackingOffTheOneRecoveringFirstLeads() {
        selector.failed(B);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        selector.failed(C);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        selector.failed(A);
        assertEquals(List.of(B, C, A), selector.order());
        assertEquals(List.of(B, C, A), selector.order());
    }

    @Test
    void successEndsTheBackoff() {
        selector.failed(A);
        selector.succeeded(A);
        assertEquals(List.of(A, B, C), selector.order());
    }

    @Test
    void theBackoffSurvivesTheClockWrapping() {
        AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 10);
        TrackerSelector s = new TrackerSelector(List.of(A, B), Duration.ofSeconds(3), clock::get);
        s.failed(A);
        assertEquals(List.of(B, A), s.order());
        clock.addAndGet(Duration.ofSeconds(4).toNanos());
        assertEquals(List.of(B, A), s.order());
        assertEquals(List.of(A, B), s.order());
    }
}
