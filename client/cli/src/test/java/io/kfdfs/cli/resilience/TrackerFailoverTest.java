package io.kfdfs.cli.resilience;

import io.kfdfs.cli.LocalCluster;
import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two trackers, the storage reporting to both, the clients configured with both; one of them is killed. */
class TrackerFailoverTest {

    @Test
    void theOtherTrackerCarriesOn(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir).trackers(2).start();
             FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            try (Workload w = new Workload(client, 8, Integer.MAX_VALUE)) {
                eventually(w.rounds::get, n -> n >= 40, "40 rounds through both trackers");
                cluster.killTracker(0);
                int atKill = w.rounds.get();
                eventually(w.rounds::get, n -> n >= atKill + 80, "80 rounds after the kill");
                w.close();
                // a tracker query cut off by the kill is asked again of the other tracker: nothing fails
                assertEquals(List.of(), w.failures.stream().map(Workload.Failure::error).toList());
            }
            assertEquals("group1", client.listGroups().get(0).group());
            byte[] data = "after the kill".getBytes();
            String id = client.upload(Content.of(data), "txt");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.download(id, out);
            assertArrayEquals(data, out.toByteArray());
        }
    }

    @Test
    void trackerHostNamesInClientConf(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir).withoutStorageIds().start()) {
            Path conf = Files.writeString(dir.resolve("client.conf"), "tracker_server = localhost:"
                    + cluster.trackerPort(0) + "\nnetwork_timeout = 10\n");
            ClientSettings settings = ClientSettings.load(conf);
            assertEquals("localhost", settings.trackers().get(0).hosts().get(0));
            try (FdfsClient client = FdfsClient.create(settings)) {
                // the tracker listens on 127.0.0.1 only: whatever localhost resolves to first (::1?), the
                // client reaches it
                byte[] data = "by name".getBytes();
                String id = client.upload(Content.of(data), "txt");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                client.download(id, out);
                assertArrayEquals(data, out.toByteArray());
                assertTrue(client.fileInfo(id).info().sourceIp().equals("127.0.0.1"));
            }
        }
    }
}
