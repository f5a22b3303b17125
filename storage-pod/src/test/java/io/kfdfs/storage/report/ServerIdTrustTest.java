package io.kfdfs.storage.report;

import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.tracker.TrackerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server_id in storage.conf counts only when the trackers trust storage IDs (trust_storage_server_id, as C:
 * storage_func.c). Otherwise a tracker knows a storage by its address, and the storage must name itself the
 * same way in its file names, or it would take its own record for a peer's and name another server's ID.
 */
class ServerIdTrustTest {

    @TempDir
    Path dir;

    @Test
    void anUntrustedServerIdGivesWayToTheIdOfTheStoragesAddress() throws Exception {
        int port = Ports.free();
        String ids = "100001 group1 127.0.0.1:" + port + "\n100002 group1 127.0.0.1:" + Ports.free() + "\n";
        try (TrackerFixture tracker = new TrackerFixture(dir.resolve("tracker"), "trust_storage_server_id = false\n", ids);
             StorageFixture storage = StorageFixture.at(dir.resolve("storage")).conf(StorageFixture.FAST
                     + "tracker_server = 127.0.0.1:" + tracker.port() + "\nserver_id = 100002\n").port(port).start()) {
            eventually(() -> tracker.storages("group1").stream().filter(s -> s.status() == StorageStatus.ACTIVE)
                    .map(s -> s.id()).toList(), l -> l.equals(List.of("100001")), "100001 ACTIVE, by its address");
            try (TestClient c = new TestClient(port)) {
                String name = c.upload("named by address".getBytes(), "txt");
                assertEquals(100001, FileInfo.decode(RemoteFilename.parse(name)).serverId());
            }
        }
    }
}
