package io.kfdfs.storage.report;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.tracker.TrackerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trackers as Kubernetes runs them: tracker pods on one port behind one name (a headless Service) that
 * the storages resolve again every {@code tracker_resolve_interval}, here through a resolver the test
 * drives. A tracker started empty beside a running one serves what the running one serves within about a
 * heartbeat of its address appearing, follows the leader, and leads once the other is gone.
 */
class TrackerDiscoveryTest {

    static final String SERVICE = "kfdfs-tracker-headless.ns.svc.cluster.local";
    static final int HEART_BEAT = 2;

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();
    /** The cluster DNS of this test. */
    final Map<String, List<String>> names = new ConcurrentHashMap<>();
    final NameResolver dns = host -> {
        List<String> ips = names.get(host);
        if (ips == null) {
            throw new UnknownHostException(host);
        }
        return ips;
    };

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    /** What a client can learn from one tracker, minus what moves on its own (free space, counters). */
    record View(List<String> groups, List<String> storages, Set<String> store, Set<String> fetch) {
    }

    static View view(TrackerClient t, FileId file) {
        List<String> groups = t.listGroups().stream().map(g -> g.group() + " members " + g.storageCount()
                + " readable " + g.readableServerCount() + " writable " + g.writableServerCount() + " port "
                + g.storagePort()).toList();
        List<String> storages = t.listStorages("group1", null).stream().map(s -> s.id() + " " + s.ip() + ":"
                + s.storagePort() + " " + StorageStatus.name(s.status())).sorted().toList();
        Set<String> store = new TreeSet<>();
        Set<String> fetch = new TreeSet<>();
        for (int i = 0; i < 2; i++) { // round robin: two answers name both members
            store.add(address(t.queryStore("group1").server()));
            fetch.add(address(t.queryFetch(file).server()));
        }
        return new View(groups, storages, store, fetch);
    }

    static String address(ServerAddress a) {
        return a.ip() + ":" + a.port();
    }

    /** The view of {@code t}, or empty while it cannot give one (it answers an error). */
    static Optional<View> viewOf(TrackerClient t, FileId file) {
        try {
            return Optional.of(view(t, file));
        } catch (RuntimeException notYet) {
            return Optional.empty();
        }
    }

    static List<String> trackersKnownTo(TrackerFixture leader) throws Exception {
        try (TestClient c = new TestClient(leader.host(), leader.port())) {
            TestClient.Reply r = c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT, new TrackerClusterStatRequest(0, false, false));
            return r.status() != 0 ? List.of() : TrackerClusterStat.decode(ByteBuffer.wrap(r.body())).trackers().stream()
                    .map(t -> t.host() + (t.leader() ? " leader" : t.active() ? " active" : " inactive")).toList();
        }
    }

    /** The status of 100001 and 100002 on {@code t}; -1 for one it does not know. */
    static List<Integer> statuses(TrackerFixture t) throws Exception {
        return List.of(t.storage("group1", "100001").map(StorageStat::status).orElse(-1),
                t.storage("group1", "100002").map(StorageStat::status).orElse(-1));
    }

    static String leaderSeenBy(TrackerFixture t) throws Exception {
        try (TestClient c = new TestClient(t.host(), t.port())) {
            TestClient.Reply r = c.call(Cmd.SERVER_GET_LEADER, io.kfdfs.protocol.Body.EMPTY);
            return r.status() == 0 ? new String(r.body(), StandardCharsets.US_ASCII) : "";
        }
    }

    @Test
    void aTrackerStartedEmptyBesideARunningOneServesTheSameWithinAHeartbeat() throws Exception {
        int trackerPort = Ports.free();
        int storagePort = Ports.free();
        String ids = "100001 group1 127.0.0.5:" + storagePort + "\n100002 group1 127.0.0.6:" + storagePort + "\n";
        TrackerFixture a = opened(TrackerFixture.at(dir.resolve("a")).listen("127.0.0.2", trackerPort)
                .conf("reserved_storage_space = 1%\n").storageIds(ids).dns(dns).start());
        names.put(SERVICE, List.of("127.0.0.2"));
        String conf = "tracker_server = " + SERVICE + ":" + trackerPort + "\ntracker_resolve_interval = 1\n"
                + "heart_beat_interval = " + HEART_BEAT + "\nstat_report_interval = 1\n";
        StorageFixture one = opened(StorageFixture.at(dir.resolve("s1")).conf(conf + "bind_addr = 127.0.0.5").port(storagePort)
                .dns(dns).start());
        StorageFixture two = opened(StorageFixture.at(dir.resolve("s2")).conf(conf + "bind_addr = 127.0.0.6").port(storagePort)
                .dns(dns).start());
        ClientSettings.Builder settings = ClientSettings.builder().tracker("127.0.0.2:" + trackerPort);
        FdfsClient client = opened(FdfsClient.create(settings.build()));
        TrackerClient onA = client.tracker().only(new HostPort("127.0.0.2", trackerPort));
        TrackerClient onB = client.tracker().only(new HostPort("127.0.0.3", trackerPort));
        eventually(() -> statuses(a), s -> s.equals(List.of(StorageStatus.ACTIVE, StorageStatus.ACTIVE)), "both ACTIVE on A");
        FileId file = FileId.parse(client.upload("content".getBytes(StandardCharsets.US_ASCII), "txt"));
        View expected = eventually(() -> viewOf(onA, file), v -> v.isPresent() && v.get().fetch().size() == 2,
                "the file readable on both members").get();
        assertEquals(Set.of("127.0.0.5:" + storagePort, "127.0.0.6:" + storagePort), expected.store());
        assertEquals(List.of("100001 127.0.0.5:" + storagePort + " ACTIVE", "100002 127.0.0.6:" + storagePort + " ACTIVE"),
                expected.storages());

        TrackerFixture b = opened(TrackerFixture.at(dir.resolve("b")).listen("127.0.0.3", trackerPort)
                .conf("reserved_storage_space = 1%\n").storageIds(ids).dns(dns).start());
        long appeared = System.nanoTime();
        names.put(SERVICE, List.of("127.0.0.2", "127.0.0.3"));
        eventually(() -> viewOf(onB, file), v -> v.equals(Optional.of(expected)), "B answering as A does");
        long millis = (System.nanoTime() - appeared) / 1_000_000;
        System.out.println("tracker B answered as A " + millis + " ms after its address appeared");
        assertTrue(millis < (1 + HEART_BEAT + 2) * 1000L, "within the resolve interval and about a heartbeat: " + millis + " ms");
        assertEquals(Optional.of(expected), viewOf(onA, file), "A unchanged");

        // the storages named both trackers by IP in their JOINs: B found A and follows it; A learned B
        eventually(() -> leaderSeenBy(b), l -> l.equals("127.0.0.2:" + trackerPort), "B following A");
        eventually(() -> trackersKnownTo(a), t -> t.equals(List.of("127.0.0.2:" + trackerPort + " leader",
                "127.0.0.3:" + trackerPort + " active")), "A leading, B active");

        // A's pod goes: its address leaves the name, then it stops
        names.put(SERVICE, List.of("127.0.0.3"));
        eventually(() -> statuses(a), s -> s.equals(List.of(StorageStatus.OFFLINE, StorageStatus.OFFLINE)),
                "the storages ended their sessions with A");
        a.close();
        open.remove(a);
        eventually(() -> leaderSeenBy(b), l -> l.equals("127.0.0.3:" + trackerPort), "B leading");
        eventually(() -> one.server.reporter().joinedTrackers() + two.server.reporter().joinedTrackers(), n -> n == 2,
                "each storage joined to B alone");
        assertEquals(List.of("100001 127.0.0.5:" + storagePort + " ACTIVE", "100002 127.0.0.6:" + storagePort + " ACTIVE"),
                view(onB, file).storages());
        FdfsClient viaB = opened(FdfsClient.create(ClientSettings.builder().tracker("127.0.0.3:" + trackerPort).build()));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        viaB.download(viaB.upload("more".getBytes(StandardCharsets.US_ASCII), "txt"), got);
        assertEquals("more", got.toString(StandardCharsets.US_ASCII));
    }
}
