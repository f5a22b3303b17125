package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.tracker.TrackerMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storage and its trackers as separate JVMs whose DNS is a hosts file ({@code -Djdk.net.hosts.file}, as
 * on the Kubernetes stand-in): the storage's {@code tracker_server} names the trackers' headless Service,
 * storage_ids.conf names the storage's pod, and the Service's addresses change while they run. The storage
 * joins a tracker that appears and leaves one that is gone within about the resolve interval, with the
 * JDK's own resolver and cache, and names the trackers by IP in its JOINs.
 */
class TrackerServiceDnsTest {

    static final String SERVICE = "kfdfs-tracker-headless.ns.svc.cluster.local";
    static final String POD = "s-0.g1.ns.svc.cluster.local";

    @TempDir
    Path dir;
    final List<ChildPod> pods = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = pods.size() - 1; i >= 0; i--) {
            pods.get(i).close();
        }
    }

    Path hosts() {
        return dir.resolve("hosts");
    }

    /** The cluster DNS: the storage pod's name, and the Service's addresses; replaced in one move. */
    void service(String... trackerIps) throws Exception {
        StringBuilder text = new StringBuilder("127.0.0.1 localhost\n127.0.0.5 " + POD + "\n");
        for (String ip : trackerIps) {
            text.append(ip).append(' ').append(SERVICE).append('\n');
        }
        Path tmp = dir.resolve("hosts.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, hosts(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    ChildPod start(Class<?> main, Path base, String conf, String ip, int port) throws Exception {
        Files.createDirectories(base);
        Path file = base.resolve(main.getSimpleName() + ".conf");
        Files.writeString(file, conf);
        ChildPod pod = new ChildPod(main, file, base.resolve("log"), List.of("-Xmx64m",
                "-Djdk.net.hosts.file=" + hosts()), ip, port);
        pods.add(pod);
        pod.start();
        return pod;
    }

    void tracker(String ip, int port, int httpPort, int storagePort) throws Exception {
        Path base = dir.resolve("tracker-" + ip);
        Files.createDirectories(base);
        Files.writeString(base.resolve("storage_ids.conf"), "100001 group1 " + POD + ":" + storagePort + "\n");
        start(TrackerMain.class, base, "base_path = " + base + "\nbind_addr = " + ip + "\nport = " + port
                + "\nhttp_port = " + httpPort + "\nnetwork_timeout = 2\nreserved_storage_space = 1%\n"
                + "use_storage_id = true\nid_type_in_filename = id\n", ip, port);
    }

    /** The status of storage 100001 on the tracker at {@code ip}, -1 while it does not know it. */
    static int statusOn(String ip, int port) throws Exception {
        try (TestClient c = new TestClient(ip, port)) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter("group1", "100001"));
            return r.status() != 0 ? -1 : StorageStats.decode(ByteBuffer.wrap(r.body())).storages().get(0).status();
        }
    }

    /** The trackers the leader among {@code ips} knows (96), by address. */
    static Set<String> trackersKnownToTheLeader(int port, String... ips) throws Exception {
        for (String ip : ips) {
            try (TestClient c = new TestClient(ip, port)) {
                TestClient.Reply r = c.call(Cmd.SERVER_TRACKER_CLUSTER_STAT, new TrackerClusterStatRequest(0, false, false));
                if (r.status() == 0) {
                    return Set.copyOf(TrackerClusterStat.decode(ByteBuffer.wrap(r.body())).trackers().stream()
                            .map(TrackerClusterStat.Tracker::host).toList());
                }
            }
        }
        return Set.of();
    }

    static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void theStorageFollowsTheAddressesOfTheTrackersName() throws Exception {
        int port = Ports.free();
        int httpPort = Ports.free();
        int storagePort = Ports.free();
        service("127.0.0.2", "127.0.0.3");
        for (String ip : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
            tracker(ip, port, httpPort, storagePort);
        }
        Path base = dir.resolve("storage");
        start(StorageMain.class, base, StorageFixture.conf(base, storagePort, "bind_addr = 127.0.0.5\nhttp_port = "
                + httpPort + "\ntracker_server = " + SERVICE + ":" + port + "\ntracker_resolve_interval = 1\n"
                + StorageFixture.FAST), "127.0.0.5", storagePort);
        for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
            eventually(() -> statusOn(ip, port), s -> s == StorageStatus.ACTIVE, "100001 (" + POD + ") ACTIVE on " + ip);
        }
        assertEquals(Set.of("127.0.0.2:" + port, "127.0.0.3:" + port),
                eventually(() -> trackersKnownToTheLeader(port, "127.0.0.2", "127.0.0.3"), t -> t.size() == 2, "a leader"),
                "the JOINs named the trackers by IP");

        service("127.0.0.2", "127.0.0.3", "127.0.0.4");
        long added = System.nanoTime();
        eventually(() -> statusOn("127.0.0.4", port), s -> s == StorageStatus.ACTIVE, "ACTIVE on the new tracker");
        long joinMillis = millisSince(added);
        eventually(() -> trackersKnownToTheLeader(port, "127.0.0.2", "127.0.0.3", "127.0.0.4"),
                t -> t.equals(Set.of("127.0.0.2:" + port, "127.0.0.3:" + port, "127.0.0.4:" + port)), "three trackers");

        service("127.0.0.3", "127.0.0.4");
        long removed = System.nanoTime();
        eventually(() -> statusOn("127.0.0.2", port), s -> s == StorageStatus.OFFLINE, "the session with 127.0.0.2 ended");
        long leaveMillis = millisSince(removed);
        assertEquals(List.of(StorageStatus.ACTIVE, StorageStatus.ACTIVE),
                List.of(statusOn("127.0.0.3", port), statusOn("127.0.0.4", port)));
        System.out.println("joined the new tracker " + joinMillis + " ms, left the vanished one " + leaveMillis
                + " ms after the hosts file changed");
        // the resolve interval is 1 s; the JVM's 30 s cache would hold the old answers far longer
        assertTrue(joinMillis < 5000 && leaveMillis < 5000, joinMillis + " ms, " + leaveMillis + " ms");
    }
}
