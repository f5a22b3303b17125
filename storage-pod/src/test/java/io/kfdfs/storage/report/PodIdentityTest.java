package io.kfdfs.storage.report;

import io.kfdfs.conf.NameResolver;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.tracker.TrackerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Storages as a StatefulSet runs them: storage_ids.conf names each by its stable pod DNS name, storage.conf
 * names neither the group nor the storage ID, and every pod serves on the same port at its own address. A
 * storage learns both from the tracker, which resolves the names (here through the test's resolver); a
 * scale-out is a new line in storage_ids.conf, taken without a restart, and the members learn the new
 * member's address.
 */
class PodIdentityTest {

    static final Map<String, List<String>> PODS = Map.of(
            "s-0.g1.ns.svc.cluster.local", List.of("127.0.0.2"),
            "s-1.g1.ns.svc.cluster.local", List.of("127.0.0.3"),
            "s-2.g1.ns.svc.cluster.local", List.of("127.0.0.4"));
    static final NameResolver DNS = host -> {
        List<String> ips = PODS.get(host);
        if (ips == null) {
            throw new UnknownHostException(host);
        }
        return ips;
    };

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static String line(int ordinal, int port) {
        return (100001 + ordinal) + " group1 s-" + ordinal + ".g1.ns.svc.cluster.local:" + port + "\n";
    }

    StorageFixture pod(int ordinal, int port, TrackerFixture tracker) throws Exception {
        StorageFixture s = StorageFixture.at(dir.resolve("s-" + ordinal)).conf("group_name =\nbind_addr = 127.0.0."
                + (2 + ordinal) + "\ntracker_server = 127.0.0.1:" + tracker.port() + "\n" + StorageFixture.FAST).port(port)
                .dns(DNS).start();
        open.add(s);
        return s;
    }

    static Optional<Integer> status(TrackerFixture t, String id) throws Exception {
        return t.storage("group1", id).map(StorageStat::status);
    }

    /** QUERY_FILE_INFO's source address of {@code name} on the pod at {@code ip}, once the file is there. */
    static String sourceOn(String ip, int port, String name) throws Exception {
        TestClient.Reply r = eventually(() -> {
            try (TestClient c = new TestClient(ip, port)) {
                return c.call(Cmd.QUERY_FILE_INFO, new GroupFile("group1", name));
            }
        }, reply -> reply.status() == 0, name + " on " + ip);
        return QueryFileInfoResponse.decode(ByteBuffer.wrap(r.body())).sourceIp();
    }

    static String upload(String ip, int port, String text) throws Exception {
        try (TestClient c = new TestClient(ip, port)) {
            return c.upload(text.getBytes(), "txt");
        }
    }

    @Test
    void podsLearnTheirIdsFromTheirNamesAndAScaleOutNeedsNoRestart() throws Exception {
        int port = Ports.free();
        TrackerFixture tracker = TrackerFixture.at(dir.resolve("tracker")).conf("reserved_storage_space = 1%\n")
                .storageIds(line(0, port) + line(1, port)).dns(DNS).start();
        open.add(tracker);
        StorageFixture s0 = pod(0, port, tracker);
        StorageFixture s1 = pod(1, port, tracker);
        eventually(() -> List.of(status(tracker, "100001"), status(tracker, "100002")),
                s -> s.equals(List.of(Optional.of(StorageStatus.ACTIVE), Optional.of(StorageStatus.ACTIVE))), "both ACTIVE");
        assertEquals(List.of("group1", "100001", "group1", "100002"), List.of(s0.server.identity().group(),
                s0.server.identity().serverId(), s1.server.identity().group(), s1.server.identity().serverId()));
        assertEquals("127.0.0.2", tracker.storage("group1", "100001").orElseThrow().ip());
        assertEquals("127.0.0.3", tracker.storage("group1", "100002").orElseThrow().ip());

        String fromS1 = upload("127.0.0.3", port, "from s-1");
        assertEquals("127.0.0.3", sourceOn("127.0.0.2", port, fromS1), "the name in storage_ids.conf, resolved");

        tracker.storageIds(line(0, port) + line(1, port) + line(2, port));
        StorageFixture s2 = pod(2, port, tracker);
        eventually(() -> status(tracker, "100003"), s -> s.equals(Optional.of(StorageStatus.ACTIVE)), "s-2 ACTIVE");
        assertEquals("100003", s2.server.identity().serverId());
        String fromS2 = upload("127.0.0.4", port, "from s-2");
        for (String member : List.of("127.0.0.2", "127.0.0.3")) {
            eventually(() -> sourceOn(member, port, fromS2), "127.0.0.4"::equals, member + " fetching the storage IDs again");
        }
    }
}
