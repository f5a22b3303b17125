package io.kfdfs.client;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.client.fake.FakeCluster;
import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several trackers: one down is skipped, requests go to the others, the failed one is retried later. */
class FailoverTest {

    @RegisterExtension
    final FakeCluster cluster = new FakeCluster();

    @Test
    void aTrackerRefusingConnectionsIsSkipped() throws Exception {
        ClientSettings settings = ClientSettings.builder().tracker(Ports.refusing()).tracker(cluster.trackerServer.address())
                .build();
        try (FdfsClient client = FdfsClient.create(settings)) {
            for (int i = 0; i < 10; i++) {
                client.delete(client.upload(new byte[]{(byte) i}, "bin"));
            }
        }
        assertEquals(20, cluster.trackerServer.requests().size());
    }

    @Test
    void aFailedTrackerIsLeftAloneForTheBackoffThenTriedAgain() throws Exception {
        try (FakeServer dropping = FakeServer.start(r -> FakeServer.Reply.drop());
             FdfsClient client = FdfsClient.create(ClientSettings.builder().tracker(dropping.address())
                     .tracker(cluster.trackerServer.address()).trackerBackoff(Duration.ofMillis(300)).build())) {
            for (int i = 0; i < 6; i++) {
                client.listGroups();
            }
            assertEquals(1, dropping.connections());
            assertEquals(6, cluster.trackerServer.requests(Cmd.SERVER_LIST_ALL_GROUPS).size());

            Thread.sleep(400); // past the 300 ms backoff: the time passing is what is tested
            client.listGroups();
            client.listGroups();
            assertEquals(2, dropping.connections());
        }
    }

    @Test
    void aTrackerThatKnowsNoStorageYetIsPassedOver() throws Exception {
        try (FakeServer empty = FakeServer.start(r -> FakeServer.Reply.error(Status.ENOENT));
             FdfsClient client = FdfsClient.create(ClientSettings.builder().tracker(empty.address())
                     .tracker(cluster.trackerServer.address()).build())) {
            for (int i = 0; i < 4; i++) {
                client.upload(new byte[]{1}, "bin");
            }
            assertEquals(2, empty.requests().size());
        }
    }

    @Test
    void whenEveryTrackerIsDownTheErrorSaysSo() throws Exception {
        HostPort a = Ports.refusing();
        HostPort b = Ports.refusing();
        try (FdfsClient client = FdfsClient.create(ClientSettings.builder().tracker(a).tracker(b).build())) {
            ConnectionException e = assertThrows(ConnectionException.class, () -> client.upload(new byte[1], "bin"));
            assertEquals(Status.ECONNREFUSED, e.status());
            assertTrue(e.getMessage().startsWith("cannot connect to tracker 127.0.0.1:"), e.getMessage());
            assertThrows(ConnectionException.class, () -> client.upload(new byte[1], "bin"));
        }
    }

    @Test
    void aTrackerThatNeverAnswersTimesOutAfterTheNetworkTimeout() throws Exception {
        try (FakeServer silent = FakeServer.start(r -> FakeServer.Reply.raw(new byte[0]));
             FdfsClient client = FdfsClient.create(ClientSettings.builder().tracker(silent.address())
                     .networkTimeout(Duration.ofMillis(400)).build())) {
            long start = System.nanoTime();
            ConnectionException e = assertThrows(ConnectionException.class, client::listGroups);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Status.ETIMEDOUT, e.status());
            assertTrue(e.requestSent());
            assertTrue(e.getMessage().contains("made no progress for 400 ms"), e.getMessage());
            assertTrue(millis >= 400 && millis < 5000, millis + " ms");
            assertEquals(1, silent.requests().size());
        }
    }

    @Test
    void aTrackerNamedByHostIsResolvedWhenConnecting() throws Exception {
        ClientSettings settings = ClientSettings.builder().tracker("localhost:" + cluster.trackerServer.port())
                .build();
        try (FdfsClient client = FdfsClient.create(settings)) {
            client.upload(new byte[1], "bin");
        }
        assertEquals(1, cluster.trackerServer.requests().size());
    }

    @Test
    void anUnknownHostIsAConnectionError() {
        ClientSettings settings = ClientSettings.builder().tracker("no-such-host.invalid:22122").build();
        try (FdfsClient client = FdfsClient.create(settings)) {
            ConnectionException e = assertThrows(ConnectionException.class, client::listGroups);
            assertTrue(e.getMessage().contains("unknown host"), e.getMessage());
            assertEquals(false, e.requestSent());
        }
    }
}
