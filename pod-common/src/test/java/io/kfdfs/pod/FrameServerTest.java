package io.kfdfs.pod;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.testing.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framing layer over real loopback sockets: a test server with an echo command (buffered, at most
 * 100 bytes), a store command (8-byte prefix, the rest streamed into a file), a command that keeps the
 * body's chunks as read, and one that leaves its body stream for the test to take up.
 */
class FrameServerTest {

    static final int ECHO = 1;
    static final int STORE = 2;
    static final int KEEP = 3;
    static final int LATER = 4;
    /** Buffered, answered through {@link FrameConnection#replyLater} when the test says so (echoing its body). */
    static final int DEFER = 5;

    @TempDir
    Path dir;
    Vertx vertx;
    FrameServer server;
    final java.util.List<String> answered = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    FrameHandler handler;
    /** Handed-off DEFER requests, on the event loop, in arrival order. */
    final List<Map.Entry<Answer, Buffer>> deferred = new java.util.ArrayList<>();
    /** The event loop of the connection that sent DEFER requests. */
    volatile io.vertx.core.Context loop;
    final List<io.netty.buffer.ByteBuf> kept = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final java.util.concurrent.CompletableFuture<BodyStream> untaken = new java.util.concurrent.CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        handler = new FrameHandler() {
            @Override
            public BodyPolicy policy(Header h) {
                return switch (h.cmd()) {
                    case ECHO, DEFER -> BodyPolicy.buffered(100);
                    case STORE, KEEP, LATER -> BodyPolicy.streamed(8);
                    default -> BodyPolicy.reject(Status.EINVAL);
                };
            }

            @Override
            public void onDone(FrameConnection c, int cmd, int status, long nanos) {
                answered.add(cmd + "/" + status);
                bytesRead.addAndGet(c.takeBytesRead());
                bytesWritten.addAndGet(c.takeBytesWritten());
            }

            @Override
            public void onClose(FrameConnection c) {
                bytesRead.addAndGet(c.takeBytesRead());
                bytesWritten.addAndGet(c.takeBytesWritten());
                closed.countDown();
            }

            @Override
            public void onRequest(FrameConnection c, Header h, Buffer body) {
                if (h.cmd() == DEFER) {
                    loop = Vertx.currentContext();
                    deferred.add(Map.entry(c.replyLater(), body));
                    return;
                }
                c.reply(Buffer.buffer(Header.response(body.length()).toBytes()).appendBuffer(body));
            }

            @Override
            public void onStream(FrameConnection c, Header h, Buffer prefix, BodyStream rest) {
                if (h.cmd() == KEEP) {
                    rest.endHandler(v -> c.reply(Frames.ok()));
                    rest.chunkHandler(kept::add);
                    return;
                }
                if (h.cmd() == LATER) {
                    untaken.complete(rest);
                    return;
                }
                String name = "f" + prefix.getLong(0);
                c.vertx().fileSystem().open(dir.resolve(name).toString(), new OpenOptions().setWrite(true).setCreate(true))
                        .compose(rest::pipeTo)
                        .onSuccess(v -> c.reply(Frames.ok()))
                        .onFailure(e -> c.replyError(Status.EIO));
            }
        };
        server = FrameServer.start(vertx, "127.0.0.1", 0, handler, new PodLimits(700, 1000))
                .await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.actualPort());
        s.setSoTimeout(5000);
        return s;
    }

    static byte[] frame(int cmd, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(10 + body.length);
        Header.request(cmd, body.length).encodeTo(b);
        return b.put(body).array();
    }

    static Header readHeader(InputStream in) throws Exception {
        byte[] h = new DataInputStream(in).readNBytes(10);
        assertEquals(10, h.length, "connection closed before a header");
        return Header.decode(h, 0);
    }

    @Test
    void countsEveryByteReadAndWritten() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(frame(ECHO, "hello".getBytes()));
            assertEquals(5, readHeader(in).bodyLength());
            in.readNBytes(5);
            out.write(frame(STORE, new byte[8 + 100]));
            assertEquals(Status.OK, readHeader(in).status());
            out.write(frame(Cmd.ACTIVE_TEST, new byte[0]));
            assertEquals(Status.OK, readHeader(in).status());
            out.write(frame(Cmd.QUIT, new byte[0]));
            assertEquals(-1, in.read(), "QUIT closes");
        }
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertEquals(15 + 118 + 10 + 10, bytesRead.get());
        assertEquals(15 + 10 + 10, bytesWritten.get());
    }

    @Test
    void echoesPipelinedRequestsInOrder() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(concat(frame(ECHO, "one".getBytes()), frame(ECHO, "two!".getBytes()), frame(Cmd.ACTIVE_TEST, new byte[0])));
            InputStream in = s.getInputStream();
            assertEquals(3, readHeader(in).bodyLength());
            assertArrayEquals("one".getBytes(), in.readNBytes(3));
            assertEquals(4, readHeader(in).bodyLength());
            assertArrayEquals("two!".getBytes(), in.readNBytes(4));
            Header active = readHeader(in);
            assertEquals(Cmd.RESP, active.cmd());
            assertEquals(0, active.status());
            assertEquals(0, active.bodyLength());
        }
    }

    /**
     * Replies handed off go out in request order whatever order they are given in, a reply given at once
     * waits behind them, and each one's "sent" runs in that order too.
     */
    @Test
    void repliesHandedOffGoOutInRequestOrder() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(concat(frame(DEFER, "a".getBytes()), frame(DEFER, "b".getBytes()), frame(ECHO, "c".getBytes()),
                    frame(DEFER, "d".getBytes())));
            List<String> sent = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            onLoop(() -> deferred.size() == 3);
            onLoop(() -> {
                for (int i = deferred.size() - 1; i >= 0; i--) { // the last first
                    Map.Entry<Answer, Buffer> d = deferred.get(i);
                    String body = d.getValue().toString();
                    d.getKey().reply(Buffer.buffer(Header.response(1).toBytes()).appendBuffer(d.getValue()), () -> sent.add(body));
                }
                return true;
            });
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                assertEquals(1, readHeader(in).bodyLength());
                got.append(new String(in.readNBytes(1)));
            }
            assertEquals("abcd", got.toString());
            assertEquals(List.of("a", "b", "d"), sent);
        }
        assertEquals(List.of(ECHO + "/0", DEFER + "/0", DEFER + "/0", DEFER + "/0"), answered,
                "the echo is done at once, each handed-off request when its reply goes out");
    }

    /** A peer that pipelines more than MAX_LATER waits, unread, until replies go out. */
    @Test
    void noMoreThanMaxLaterRequestsWaitForTheirReplies() throws Exception {
        int requests = FrameConnection.MAX_LATER + 20;
        try (Socket s = connect()) {
            byte[][] frames = new byte[requests][];
            for (int i = 0; i < requests; i++) {
                frames[i] = frame(DEFER, new byte[] {(byte) i});
            }
            s.getOutputStream().write(concat(frames));
            onLoop(() -> deferred.size() == FrameConnection.MAX_LATER);
            Thread.sleep(200);
            assertEquals(FrameConnection.MAX_LATER, (int) onLoop(deferred::size), "read no further");
            InputStream in = s.getInputStream();
            for (int i = 0; i < requests; i++) {
                int next = i;
                onLoop(() -> deferred.size() > next);
                onLoop(() -> {
                    deferred.get(next).getKey().reply(Buffer.buffer(Header.response(1).toBytes()).appendBuffer(deferred.get(next).getValue()));
                    return true;
                });
                assertEquals(1, readHeader(in).bodyLength());
                assertEquals(i, in.readNBytes(1)[0] & 0xff);
            }
        }
    }

    /** Runs {@code check} on the DEFER connection's event loop until it answers true (or non-false), at most 5 s. */
    private <T> T onLoop(java.util.concurrent.Callable<T> check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loop == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        while (true) {
            java.util.concurrent.CompletableFuture<T> r = new java.util.concurrent.CompletableFuture<>();
            loop.runOnContext(v -> {
                try {
                    r.complete(check.call());
                } catch (Exception e) {
                    r.completeExceptionally(e);
                }
            });
            T value = r.get(5, TimeUnit.SECONDS);
            if (!Boolean.FALSE.equals(value) || System.nanoTime() > deadline) {
                assertNotEquals(Boolean.FALSE, value, "not so within 5 s");
                return value;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void pipelinedBodiesBeyondTheReadAheadLimitAreAllStoredInOrder() throws Exception {
        int requests = 50;
        byte[] all = new byte[0];
        for (int i = 0; i < requests; i++) {
            byte[] body = new byte[8 + 4000];
            ByteBuffer.wrap(body).putLong(i);
            java.util.Arrays.fill(body, 8, body.length, (byte) i);
            all = concat(all, frame(STORE, body));
        }
        assertTrue(all.length > 2 * FrameConnection.PIPELINE_LIMIT);
        try (Socket s = connect()) {
            byte[] sent = all;
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(sent);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            InputStream in = s.getInputStream();
            for (int i = 0; i < requests; i++) {
                Header h = readHeader(in);
                assertEquals(Status.OK, h.status(), "reply " + i);
                assertEquals(0, h.bodyLength());
            }
            writer.join(5000);
        }
        for (int i = 0; i < requests; i++) {
            byte[] stored = Files.readAllBytes(dir.resolve("f" + i));
            assertEquals(4000, stored.length);
            assertEquals((byte) i, stored[0]);
            assertEquals((byte) i, stored[3999]);
        }
        // each request is counted just after its reply is written, so the last one may still be on its way
        Eventually.eventually(() -> List.copyOf(answered), a -> a.size() == requests, "every request answered");
        assertEquals(java.util.Collections.nCopies(requests, STORE + "/0"), answered);
    }

    @Test
    void unknownCommandGetsEinvalAndConnectionStaysOpen() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(concat(frame(200, new byte[5]), frame(ECHO, "x".getBytes())));
            assertEquals(Status.EINVAL, readHeader(s.getInputStream()).status());
            assertEquals(1, readHeader(s.getInputStream()).bodyLength());
        }
        assertEquals(java.util.List.of("200/22", "1/0"), answered, "every answer is reported once, with its status");
    }

    @Test
    void oversizedBodyGetsEinvalThenClose() throws Exception {
        try (Socket s = connect()) {
            byte[] f = frame(ECHO, new byte[101]);
            s.getOutputStream().write(f, 0, 10);
            assertEquals(Status.EINVAL, readHeader(s.getInputStream()).status());
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void negativeLengthClosesWithoutReply() throws Exception {
        try (Socket s = connect()) {
            byte[] h = new byte[10];
            ByteBuffer.wrap(h).putLong(-1).put((byte) Cmd.ACTIVE_TEST);
            s.getOutputStream().write(h);
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void quitClosesWithoutReply() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(frame(Cmd.QUIT, new byte[0]));
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void streamsLargeBodyToFileThenServesNextRequest() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(content);
        try (Socket s = connect()) {
            byte[] body = concat(ByteBuffer.allocate(8).putLong(42).array(), content);
            s.getOutputStream().write(concat(frame(STORE, body), frame(ECHO, "after".getBytes())));
            assertEquals(0, readHeader(s.getInputStream()).status());
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("f42")));
            assertEquals(5, readHeader(s.getInputStream()).bodyLength());
            assertArrayEquals("after".getBytes(), s.getInputStream().readNBytes(5));
        }
    }

    @Test
    void chunksComeAsReadWithoutACopyAndTheirMemoryIsFreedOnceTheConsumerReleasesThem() throws Exception {
        byte[] content = new byte[300_000];
        new Random(2).nextBytes(content);
        try (Socket s = connect()) {
            s.getOutputStream().write(frame(KEEP, concat(new byte[8], content)));
            assertEquals(Status.OK, readHeader(s.getInputStream()).status());
            List<io.netty.buffer.ByteBuf> chunks = List.copyOf(kept);
            ByteBuffer got = ByteBuffer.allocate(content.length);
            for (io.netty.buffer.ByteBuf chunk : chunks) {
                assertTrue(chunk.isDirect(), "a slice of the socket's read buffer, not a heap copy");
                got.put(chunk.nioBuffer());
            }
            assertArrayEquals(content, got.array());
            vertx.runOnContext(v -> chunks.forEach(io.netty.buffer.ByteBuf::release));
            // the connection dropped its own references when it consumed the bytes
            Eventually.eventually(() -> chunks.stream().mapToInt(io.netty.buffer.ByteBuf::refCnt).sum(), n -> n == 0,
                    "every read buffer back in the pool");
            s.getOutputStream().write(frame(ECHO, "next".getBytes()));
            assertEquals(4, readHeader(s.getInputStream()).bodyLength());
        }
    }

    @Test
    void aBodyCutOffBeforeItsConsumerCameFailsTheConsumerWhenItComes() throws Exception {
        try (Socket s = connect()) {
            byte[] f = frame(LATER, new byte[8 + 1000]);
            s.getOutputStream().write(f, 0, f.length - 500);
            BodyStream rest = untaken.get(5, TimeUnit.SECONDS);
            int clientPort = s.getLocalPort();
            s.close();
            Eventually.eventually(() -> finReached(clientPort), yes -> yes, "the close at the server's end");
            java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
            vertx.runOnContext(v -> rest.exceptionHandler(failure::complete).chunkHandler(io.netty.buffer.ByteBuf::release));
            assertTrue(failure.get(5, TimeUnit.SECONDS).getMessage().contains("500 body bytes missing"));
        }
    }

    @Test
    void clientStallingMidFrameIsDisconnected() throws Exception {
        try (Socket s = connect()) {
            byte[] f = frame(ECHO, new byte[50]);
            s.getOutputStream().write(f, 0, 20);
            long start = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "closed by the network timeout");
        }
    }

    @Test
    void idleConnectionBetweenFramesStaysOpen() throws Exception {
        try (Socket s = connect()) {
            // longer than the 700 ms network timeout: the time passing is what this test is about
            Thread.sleep(1200);
            s.getOutputStream().write(frame(ECHO, "late".getBytes()));
            assertEquals(4, readHeader(s.getInputStream()).bodyLength());
        }
    }

    @Test
    void frameClientCallsAreAnsweredInOrder() throws Exception {
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", server.actualPort(), new PodLimits(2000, 1000))
                .await(5, TimeUnit.SECONDS);
        var first = client.call(Buffer.buffer(frame(ECHO, "a".getBytes())), 100);
        var second = client.call(Buffer.buffer(frame(99, new byte[0])), 100);
        var third = client.call(Buffer.buffer(frame(ECHO, "ccc".getBytes())), 100);
        assertEquals("a", first.await(5, TimeUnit.SECONDS).body().toString());
        assertEquals(Status.EINVAL, second.await(5, TimeUnit.SECONDS).status());
        assertEquals("ccc", third.await(5, TimeUnit.SECONDS).body().toString());
        var tooBig = client.call(Buffer.buffer(frame(ECHO, "dddd".getBytes())), 2);
        assertThrows(Exception.class, () -> tooBig.await(5, TimeUnit.SECONDS));
        assertTrue(client.isClosed());
    }

    @Test
    void aFileShorterThanTheRangeSentFailsTheCallAtOnceInsteadOfStallingThePeer() throws Exception {
        Path file = dir.resolve("appender");
        Files.write(file, new byte[700]);
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", server.actualPort(), new PodLimits(30_000, 1000))
                .await(5, TimeUnit.SECONDS);
        // announces 8 + 1000 body bytes, but the file now holds only 700 from offset 0
        ByteBuffer prefix = ByteBuffer.allocate(Header.SIZE + 8);
        Header.request(STORE, 8 + 1000).encodeTo(prefix);
        prefix.putLong(7);
        long start = System.nanoTime();
        var call = client.callWithFile(Buffer.buffer(prefix.array()), file.toString(), 0, 1000, 100);
        Exception e = assertThrows(Exception.class, () -> call.await(10, TimeUnit.SECONDS));
        assertTrue(e instanceof FileChangedException, e.toString());
        assertTrue(e.getMessage().contains("could not all be sent"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "failed before the network timeout");
        assertTrue(client.isClosed());
        // the server dropped the short body and goes on serving
        try (Socket s = connect()) {
            s.getOutputStream().write(frame(ECHO, "ok".getBytes()));
            assertEquals(2, readHeader(s.getInputStream()).bodyLength());
        }
    }

    /** A connection to {@code port} from the local address {@code from}. */
    static Socket connectFrom(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new java.net.InetSocketAddress(from, 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    @Test
    void allowHostsServesTheAddressesItNamesAndClosesOthersWithoutAReply() throws Exception {
        FrameServer only2 = FrameServer.start(vertx, "127.0.0.1", 0, handler, new PodLimits(700, 1000),
                io.kfdfs.conf.AllowHosts.parse(List.of("127.0.0.2"))).await(5, TimeUnit.SECONDS);
        try (Socket s = connectFrom("127.0.0.2", only2.actualPort())) {
            s.getOutputStream().write(frame(ECHO, "hi".getBytes()));
            assertEquals(2, readHeader(s.getInputStream()).bodyLength());
        }
        try (Socket s = connectFrom("127.0.0.1", only2.actualPort())) {
            assertEquals(-1, s.getInputStream().read());
        }
    }

    /**
     * Whether the close of the client on {@code clientPort} has reached the server: the server's end of the
     * connection is in CLOSE_WAIT. The server itself cannot tell while it reads nothing (a body waiting for
     * its consumer holds the socket paused), so the kernel's tables say it (tcp6 too: the JVM's sockets are
     * IPv6 ones, 127.0.0.1 mapped).
     */
    boolean finReached(int clientPort) throws IOException {
        String server = String.format(":%04X", this.server.actualPort());
        String client = String.format(":%04X", clientPort);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
        lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
        return lines.stream().map(l -> l.trim().split("\\s+"))
                .anyMatch(f -> f[1].endsWith(server) && f[2].endsWith(client) && f[3].equals("08"));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** TcpExt DelayedACKs of this network namespace: ACKs the kernel sent only when its delayed-ACK timer ran out. */
    static long delayedAcks() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            List<String> names = List.of(lines.get(i).split(" "));
            if (names.get(0).equals("TcpExt:")) {
                return Long.parseLong(lines.get(i + 1).split(" ")[names.indexOf("DelayedACKs")]);
            }
        }
        throw new IllegalStateException("no TcpExt line in /proc/net/netstat");
    }

    /**
     * A C storage's sync connection has no TCP_NODELAY, so the body of each request waits until its header is
     * acknowledged; unless the server acknowledges at once, the kernel's delayed-ACK timer (40 ms) paces every
     * file. Counted, not timed: the kernel's DelayedACKs counter rises by about one per request without it.
     */
    @Test
    void aHeaderWhoseBodyIsStillToComeIsAcknowledgedAtOnce() throws Exception {
        for (Vertx v : List.of(vertx, PodVertx.create())) {
            FrameServer nagle = FrameServer.start(v, "127.0.0.1", 0, handler, PodLimits.DEFAULT).await(5, TimeUnit.SECONDS);
            try (Socket s = new Socket("127.0.0.1", nagle.actualPort())) {
                s.setSoTimeout(5000);
                assertEquals(false, s.getTcpNoDelay());
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                int requests = 30;
                long before = delayedAcks();
                for (int i = 0; i < requests; i++) {
                    byte[] frame = frame(ECHO, ("body " + i).getBytes());
                    out.write(frame, 0, 10);
                    out.write(frame, 10, frame.length - 10); // held by Nagle until the header is acknowledged
                    assertEquals(frame.length - 10, readHeader(in).bodyLength());
                    in.readNBytes(frame.length - 10);
                }
                long delayed = delayedAcks() - before;
                assertTrue(delayed < requests / 3, delayed + " delayed ACKs for " + requests + " requests (native transport: " + v.isNativeTransportEnabled() + ")");
            } finally {
                if (v != vertx) {
                    v.close().await(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
