package io.kfdfs.storage;

import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.tracker.TrackerServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Without storage IDs (FastDFS's default), trackers know storages by the address they connect from. Two
 * members on 127.0.0.1 and 127.0.0.2, same port, each with its bind_addr: they join as two storages of
 * the group, each file name carries its source's IP, and each member's uploads reach the other.
 */
class IpModeReplicationTest {

    @TempDir
    Path dir;

    @Test
    void twoMembersOnTwoAddressesJoinAndReplicateEachOther() throws Exception {
        Vertx vertx = Vertx.vertx();
        int trackerPort = Ports.free();
        int port = Ports.free();
        Path trackerBase = Files.createDirectories(dir.resolve("tracker"));
        String trackerText = "base_path = " + trackerBase + "\nbind_addr = 127.0.0.1\nport = " + trackerPort
                + "\nnetwork_timeout = 2\nreserved_storage_space = 1%\n";
        TrackerServer tracker = TrackerServer.deploy(vertx,
                TrackerConfig.from(ConfFile.parse(trackerBase.resolve("tracker.conf"), trackerText)), null)
                .await(20, TimeUnit.SECONDS);
        String common = ReplicaGroup.FAST + "tracker_server = 127.0.0.1:" + trackerPort + "\n";
        try (StorageFixture a = new StorageFixture(dir.resolve("a"), common + "bind_addr = 127.0.0.1\n",
                DiskSpace.SYSTEM, port);
             StorageFixture b = new StorageFixture(dir.resolve("b"), common + "bind_addr = 127.0.0.2\n",
                     DiskSpace.SYSTEM, port)) {
            Map<String, Integer> statuses = ReplicaGroup.await(30, "both members ACTIVE, known by address",
                    () -> statuses(trackerPort), m -> m.size() == 2 && m.values().stream()
                            .allMatch(s -> s == StorageStatus.ACTIVE));
            assertEquals(List.of("127.0.0.1", "127.0.0.2"), statuses.keySet().stream().sorted().toList());

            byte[] fromA = "uploaded to 127.0.0.1".getBytes();
            byte[] fromB = "uploaded to 127.0.0.2".getBytes();
            String nameA;
            String nameB;
            try (TestClient c = new TestClient("127.0.0.1", port)) {
                nameA = c.upload(fromA, "txt");
            }
            try (TestClient c = new TestClient("127.0.0.2", port)) {
                nameB = c.upload(fromB, "txt");
            }
            assertEquals("127.0.0.1", FileInfo.decode(RemoteFilename.parse(nameA)).sourceIp());
            assertEquals("127.0.0.2", FileInfo.decode(RemoteFilename.parse(nameB)).sourceIp());

            ReplicaGroup.await(10, nameA + " on 127.0.0.2", () -> Files.exists(b.file(nameA)), e -> e);
            ReplicaGroup.await(10, nameB + " on 127.0.0.1", () -> Files.exists(a.file(nameB)), e -> e);
            try (TestClient c = new TestClient("127.0.0.2", port)) {
                assertArrayEquals(fromA, c.download(nameA));
            }
            try (TestClient c = new TestClient("127.0.0.1", port)) {
                assertArrayEquals(fromB, c.download(nameB));
            }
        } finally {
            vertx.undeploy(tracker.deploymentID()).await(20, TimeUnit.SECONDS);
            vertx.close().await(20, TimeUnit.SECONDS);
        }
    }

    /** The tracker's members of group1 by IP, with their status. */
    private static Map<String, Integer> statuses(int trackerPort) throws Exception {
        try (TestClient c = new TestClient(trackerPort)) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupName("group1"));
            if (r.status() != 0) {
                return Map.of();
            }
            List<StorageStat> all = StorageStats.decode(ByteBuffer.wrap(r.body())).storages();
            return all.stream().collect(Collectors.toMap(StorageStat::ip, StorageStat::status));
        }
    }
}
