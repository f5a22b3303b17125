package io.kfdfs.storage;

import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.tracker.TrackerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without storage IDs (FastDFS's default), trackers know storages by the address they connect from.
 * Members on 127.0.0.1 and 127.0.0.2, same port, each with its bind_addr.
 */
class IpModeReplicationTest {

    @TempDir
    Path dir;
    TrackerFixture tracker;
    int port;

    @BeforeEach
    void startTracker() throws Exception {
        tracker = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 1%\n", null);
        port = Ports.free();
    }

    @AfterEach
    void stopTracker() throws Exception {
        tracker.close();
    }

    private StorageFixture member(String name, String ip) throws Exception {
        return StorageFixture.at(dir.resolve(name)).conf(StorageFixture.FAST + "tracker_server = 127.0.0.1:"
                + tracker.port() + "\nbind_addr = " + ip + "\n").port(port).start();
    }

    /** Waits until the tracker lists exactly these addresses, all ACTIVE. */
    private void awaitActive(String... ips) throws Exception {
        eventually(this::statuses, m -> m.keySet().stream().sorted().toList().equals(List.of(ips))
                && m.values().stream().allMatch(s -> s == StorageStatus.ACTIVE), List.of(ips) + " ACTIVE");
    }

    /** Uploads to {@code from}, waits for the file on {@code to} and reads it back there. */
    private String replicated(String fromIp, StorageFixture to, String toIp) throws Exception {
        byte[] content = ("uploaded to " + fromIp + " for " + toIp).getBytes();
        String name;
        try (TestClient c = new TestClient(fromIp, port)) {
            name = c.upload(content, "txt");
        }
        assertEquals(fromIp, FileInfo.decode(RemoteFilename.parse(name)).sourceIp());
        eventually(() -> Files.exists(to.file(name)), e -> e, Duration.ofSeconds(15), name + " on " + toIp);
        try (TestClient c = new TestClient(toIp, port)) {
            assertArrayEquals(content, c.download(name));
        }
        return name;
    }

    @Test
    void twoMembersOnTwoAddressesJoinAndReplicateEachOther() throws Exception {
        try (StorageFixture a = member("a", "127.0.0.1"); StorageFixture b = member("b", "127.0.0.2")) {
            awaitActive("127.0.0.1", "127.0.0.2");
            replicated("127.0.0.1", b, "127.0.0.2");
            replicated("127.0.0.2", a, "127.0.0.1");
        }
    }

    /**
     * A member that comes back with another address (a pod rescheduled) reports the change (78) before it
     * joins: the tracker moves its record, the other member syncs to the new address, and files go both ways.
     */
    @Test
    void aMemberBackWithAnotherAddressIsFoundAgain() throws Exception {
        try (StorageFixture a = member("a", "127.0.0.1")) {
            String before;
            try (StorageFixture b = member("b", "127.0.0.2")) {
                awaitActive("127.0.0.1", "127.0.0.2");
                before = replicated("127.0.0.2", a, "127.0.0.1");
            }
            try (StorageFixture b = member("b", "127.0.0.3")) {
                awaitActive("127.0.0.1", "127.0.0.3");
                replicated("127.0.0.1", b, "127.0.0.3");
                replicated("127.0.0.3", a, "127.0.0.1");
                try (TestClient c = new TestClient("127.0.0.3", port)) {
                    assertEquals(("uploaded to 127.0.0.2 for 127.0.0.1").length(), c.download(before).length,
                            "its files from before the move are still served");
                }
            }
        }
    }

    /** The tracker's members of group1 that are not retired (IP_CHANGED, DELETED), by IP, with their status. */
    private Map<String, Integer> statuses() throws Exception {
        return tracker.storages("group1").stream()
                .filter(s -> s.status() != StorageStatus.IP_CHANGED && s.status() != StorageStatus.DELETED)
                .collect(Collectors.toMap(StorageStat::ip, StorageStat::status));
    }
}
