package io.kfdfs.client;

import io.kfdfs.client.fake.FakeCluster;
import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.client.fake.FakeTracker;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection reuse, validation after idle, recovery from dropped connections, limits, streaming. */
class PoolTest {

    @RegisterExtension
    final FakeCluster cluster = new FakeCluster();

    @Test
    void sequentialRequestsShareOneConnectionPerServer() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            for (int i = 0; i < 10; i++) {
                String id = client.upload(new byte[]{(byte) i}, "bin");
                client.delete(id);
            }
        }
        assertEquals(1, cluster.trackerServer.connections());
        assertEquals(1, cluster.storageServer.connections());
        assertEquals(0, cluster.storageServer.requests(Cmd.ACTIVE_TEST).size());
    }

    @Test
    void idempotentRequestsSurviveAServerThatClosedIdleConnections() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            String id = client.upload(new byte[]{1, 2, 3}, "bin");
            cluster.storageServer.dropConnections();
            cluster.trackerServer.dropConnections();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.download(id, out);
            assertArrayEquals(new byte[]{1, 2, 3}, out.toByteArray());
            assertEquals(2, cluster.storageServer.connections());
        }
    }

    @Test
    void aNonIdempotentRequestDoesNotGoOnAConnectionTheServerClosedWhileIdle() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            String id = client.upload(new byte[]{1}, "bin");
            // as a restarted storage does: the pooled connection is closed before the next request
            cluster.storageServer.dropConnections();
            client.delete(id);
            assertEquals(2, cluster.storageServer.connections());
            assertEquals(1, cluster.storageServer.requests(Cmd.DELETE_FILE).size());
        }
    }

    @Test
    void aConnectionIdleLongerThanTheTestThresholdIsCheckedWithActiveTest() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().testAfterIdle(Duration.ZERO).build())) {
            String id = client.upload(new byte[]{1}, "bin");
            cluster.storageServer.dropConnections();
            // the dropped connection fails its ACTIVE_TEST, so even a delete gets a fresh one
            client.delete(id);
            assertEquals(2, cluster.storageServer.connections());
            client.upload(new byte[]{2}, "bin");
            assertEquals(1, cluster.storageServer.requests(Cmd.ACTIVE_TEST).size(),
                    cluster.storageServer.requests().stream().map(r -> r.connection() + ":" + r.header().cmd()).toList()
                            .toString());
            assertEquals(2, cluster.storageServer.connections());
        }
    }

    @Test
    void connectionsIdleLongerThanTheIdleTimeoutAreReplaced() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().idleTimeout(Duration.ZERO).build())) {
            for (int i = 0; i < 3; i++) {
                client.upload(new byte[]{1}, "bin");
            }
        }
        assertEquals(3, cluster.storageServer.connections());
        assertEquals(3, cluster.trackerServer.connections());
    }

    @Test
    void aConnectionIsNotReusedWhenItsReplyWasNotReadToTheEnd() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            String id = client.upload(new byte[200_000], "bin");
            IOException e = assertThrows(IOException.class,
                    () -> client.download(id, 0, 0, (b, off, len) -> {
                        throw new IOException("disk full");
                    }));
            assertEquals("disk full", e.getMessage());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.download(id, out);
            assertEquals(200_000, out.size());
            assertEquals(2, cluster.storageServer.connections());
        }
    }

    @Test
    void aReplyCutShortIsAConnectionFailure() throws Exception {
        byte[] cut = ByteBuffer.allocate(Header.SIZE + 10).put(Header.response(100).toBytes()).array();
        try (FakeServer storage = FakeServer.start(r -> new FakeServer.Reply(cut, true));
             FakeServer tracker = FakeServer.start(new FakeTracker("group1", storage.address()));
             FdfsClient client = FdfsClient.create(ClientSettings.builder().tracker(tracker.address()).build())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> client.download("group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoY152.txt", out));
            assertEquals(Status.EIO, e.status());
            assertEquals(10, out.size());
        }
    }

    @Test
    void atMostMaxConnectionsPerServerAreOpenAndLateCallersWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        try (FakeServer slow = FakeServer.start(r -> {
            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
            release.await(10, TimeUnit.SECONDS);
            active.decrementAndGet();
            return FakeServer.Reply.ok();
        });
             FdfsClient client = FdfsClient.create(cluster.settings().maxConnectionsPerServer(2)
                     .maxWait(Duration.ofSeconds(10)).build())) {
            cluster.tracker.updateAt(slow.address());
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                done.add(pool.submit(() -> client.truncate("group1/M00/00/00/oYYBAGsHMPWEHhIwAAAAADYQpoY512.txt", 0)));
            }
            eventually(() -> slow.requests().size(), n -> n >= 2, "two requests held by the server");
            release.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(6, slow.requests().size());
            assertEquals(2, slow.connections());
            assertEquals(2, peak.get());
        }
    }

    @Test
    void aCallerThatWaitsLongerThanMaxWaitGivesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeServer slow = FakeServer.start(r -> {
            release.await(10, TimeUnit.SECONDS);
            return FakeServer.Reply.ok();
        });
             FdfsClient client = FdfsClient.create(cluster.settings().maxConnectionsPerServer(1)
                     .maxWait(Duration.ofMillis(50)).build())) {
            cluster.tracker.updateAt(slow.address());
            String id = "group1/M00/00/00/oYYBAGsHMPWEHhIwAAAAADYQpoY512.txt";
            Thread first = new Thread(() -> client.truncate(id, 0));
            first.start();
            eventually(() -> slow.requests().size(), n -> n >= 1, "the first request held by the server");
            ConnectionException e = assertThrows(ConnectionException.class, () -> client.truncate(id, 0));
            assertEquals(Status.ETIMEDOUT, e.status());
            assertTrue(e.getMessage().startsWith("no free connection to storage"), e.getMessage());
            release.countDown();
            first.join(10_000);
        }
    }

    @Test
    void contentStreamsThroughAFixedBufferBothWays() throws Exception {
        int size = 3 * Connection.BUFFER_SIZE + 123;
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        AtomicInteger largestRead = new AtomicInteger();
        InputStream source = new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < size ? data[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                largestRead.accumulateAndGet(len, Math::max);
                int n = Math.min(len, size - pos);
                if (n <= 0) {
                    return -1;
                }
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        try (FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            String id = client.upload(Content.of(source, size), "bin");
            assertTrue(largestRead.get() <= Connection.BUFFER_SIZE, "read " + largestRead.get() + " at once");
            assertArrayEquals(data, cluster.storage.content(id));

            AtomicInteger largestChunk = new AtomicInteger();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.download(id, 0, 0, (b, off, len) -> {
                largestChunk.accumulateAndGet(len, Math::max);
                out.write(b, off, len);
            });
            assertTrue(largestChunk.get() <= Connection.BUFFER_SIZE, "chunk of " + largestChunk.get());
            assertArrayEquals(data, out.toByteArray());
        }
    }

    @Test
    void aStreamShorterThanAnnouncedFailsLocallyAndItsConnectionIsDropped() throws Exception {
        try (FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            InputStream shortStream = new ByteArrayInputStream(new byte[10]);
            IOException e = assertThrows(IOException.class,
                    () -> client.upload(null, Content.of(shortStream, 20), "bin", Map.of()));
            assertTrue(e.getMessage().contains("before its announced length"), e.getMessage());
            client.upload(new byte[1], "bin");
            assertEquals(2, cluster.storageServer.connections());
        }
    }
}
