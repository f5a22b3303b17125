package io.kfdfs.storage.report;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.NameResolver;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tracker_server values as trackers: IPs as written, a name as every address it resolves to, now. */
class TrackerDirectoryTest {

    final Vertx vertx = Vertx.vertx();
    /** The names this test's DNS knows; a name it does not is unknown. */
    final Map<String, List<String>> names = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    final NameResolver dns = host -> {
        lookups.incrementAndGet();
        List<String> ips = names.get(host);
        if (ips == null) {
            throw new UnknownHostException(host + ": no such name");
        }
        return ips;
    };

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    static List<HostPort> trackers(String... hostPorts) {
        return java.util.Arrays.stream(hostPorts).map(t -> HostPort.parse(t, 22122)).toList();
    }

    List<HostPort> refresh(TrackerDirectory d) throws Exception {
        return d.refresh().await(10, TimeUnit.SECONDS);
    }

    @Test
    void addressesAreTrackersAsWrittenWithoutALookup() throws Exception {
        TrackerDirectory d = new TrackerDirectory(vertx, trackers("10.0.0.1:22122", "10.0.0.2,192.168.0.2:22122",
                "[fd00::1]:22122"), dns);
        assertFalse(d.hasNames());
        List<HostPort> all = trackers("10.0.0.1:22122", "10.0.0.2,192.168.0.2:22122", "[fd00::1]:22122");
        assertEquals(all, d.current());
        assertEquals(all, refresh(d));
        assertEquals(0, lookups.get());
    }

    @Test
    void aNameIsEveryAddressItResolvesToNow() throws Exception {
        names.put("trackers.ns.svc", List.of("10.0.0.3", "10.0.0.2"));
        TrackerDirectory d = new TrackerDirectory(vertx, trackers("10.0.0.1:22122", "trackers.ns.svc:22200"), dns);
        assertTrue(d.hasNames());
        assertEquals(trackers("10.0.0.1:22122"), d.current(), "a name counts once it resolved");
        assertEquals(trackers("10.0.0.1:22122", "10.0.0.2:22200", "10.0.0.3:22200"), refresh(d));

        names.put("trackers.ns.svc", List.of("10.0.0.4", "10.0.0.3", "10.0.0.2"));
        assertEquals(trackers("10.0.0.1:22122", "10.0.0.2:22200", "10.0.0.3:22200", "10.0.0.4:22200"), refresh(d),
                "a tracker pod came");
        names.put("trackers.ns.svc", List.of("10.0.0.4", "10.0.0.3"));
        assertEquals(trackers("10.0.0.1:22122", "10.0.0.3:22200", "10.0.0.4:22200"), refresh(d), "one went");
    }

    @Test
    void aNameThatStopsResolvingKeepsItsAddresses() throws Exception {
        TrackerDirectory d = new TrackerDirectory(vertx, trackers("trackers.ns.svc"), dns);
        assertEquals(List.of(), refresh(d), "not resolving yet: no tracker, no failure");
        names.put("trackers.ns.svc", List.of("10.0.0.2"));
        assertEquals(trackers("10.0.0.2"), refresh(d));
        names.remove("trackers.ns.svc");
        assertEquals(trackers("10.0.0.2"), refresh(d), "a DNS failure does not end the sessions");
        names.put("trackers.ns.svc", List.of("10.0.0.5"));
        assertEquals(trackers("10.0.0.5"), refresh(d));
    }

    @Test
    void twoNamesOfOneTrackerMakeOneTracker() throws Exception {
        names.put("a.ns.svc", List.of("10.0.0.2", "10.0.0.3"));
        names.put("b.ns.svc", List.of("10.0.0.3"));
        TrackerDirectory d = new TrackerDirectory(vertx, trackers("a.ns.svc", "b.ns.svc", "10.0.0.2"), dns);
        assertEquals(trackers("10.0.0.2", "10.0.0.3"), refresh(d));
    }

    @Test
    void aRefreshWhileOneRunsDoesNotResolveTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TrackerDirectory d = new TrackerDirectory(vertx, trackers("slow.ns.svc"), host -> {
            lookups.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of("10.0.0.9");
        });
        var first = d.refresh();
        assertEquals(List.of(), d.refresh().await(10, TimeUnit.SECONDS), "the running refresh has not answered yet");
        release.countDown();
        assertEquals(trackers("10.0.0.9"), first.await(10, TimeUnit.SECONDS));
        assertEquals(1, lookups.get());
    }
}
