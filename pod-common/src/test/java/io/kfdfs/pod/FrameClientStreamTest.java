package io.kfdfs.pod;

import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FrameClient#callStreamed} against a FrameServer that answers from a file, and against broken peers. */
class FrameClientStreamTest {

    static final int SEND_FILE = 1;
    static final int ECHO = 2;

    @TempDir
    Path dir;
    Vertx vertx;
    Path content;
    FrameServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);
        content = Files.write(dir.resolve("content"), bytes);
        FrameHandler handler = new FrameHandler() {
            @Override
            public BodyPolicy policy(Header h) {
                return BodyPolicy.buffered(100);
            }

            @Override
            public void onRequest(FrameConnection c, Header h, Buffer body) {
                if (h.cmd() == ECHO) {
                    c.reply(Buffer.buffer(Header.response(body.length()).toBytes()).appendBuffer(body));
                } else if (body.length() == 0) {
                    c.replyError(Status.ENOENT);
                } else {
                    long size = bytes.length;
                    FileChannel file;
                    try {
                        file = FileChannel.open(content, StandardOpenOption.READ);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    c.write(Buffer.buffer(Header.response(size).toBytes()))
                            .compose(v -> c.sendFile(file, 0, size))
                            .onComplete(v -> c.done());
                }
            }
        };
        server = FrameServer.start(vertx, "127.0.0.1", 0, handler, PodLimits.DEFAULT).await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    static Buffer frame(int cmd, String body) {
        return Buffer.buffer(Header.request(cmd, body.length()).toBytes()).appendString(body);
    }

    @Test
    void streamsALargeBodyIntoAFileThenServesTheNextCall() throws Exception {
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", server.actualPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        Path copy = dir.resolve("copy");
        var streamed = client.callStreamed(frame(SEND_FILE, "x"));
        var after = client.call(frame(ECHO, "next"), 100);
        // consumed on the event loop that completes the reply, as a server handler would
        var copied = streamed.compose(reply -> vertx.fileSystem()
                .open(copy.toString(), new OpenOptions().setWrite(true).setCreate(true))
                .compose(reply.body()::pipeTo)
                .map(reply));
        StreamedReply reply = copied.await(10, TimeUnit.SECONDS);
        assertTrue(reply.ok());
        assertEquals(Files.size(content), reply.header().bodyLength());
        assertArrayEquals(Files.readAllBytes(content), Files.readAllBytes(copy));
        assertEquals("next", after.await(5, TimeUnit.SECONDS).body().toString());
    }

    @Test
    void aCallMadeFromAReplyCallbackIsSentAndAnswered() throws Exception {
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", server.actualPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        var chained = client.call(frame(ECHO, "first"), 100)
                .compose(r -> client.callStreamed(frame(SEND_FILE, "")))
                .compose(r -> client.call(frame(ECHO, "third"), 100));
        assertEquals("third", chained.await(5, TimeUnit.SECONDS).body().toString());
    }

    @Test
    void chunkByChunkDemandDeliversEveryByte() throws Exception {
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", server.actualPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        Buffer all = Buffer.buffer();
        Promise<Void> ended = Promise.promise();
        client.callStreamed(frame(SEND_FILE, "x")).onSuccess(reply -> {
            // one chunk at a time, the next only after a timer: the socket must wait in between
            reply.body().endHandler(ended::complete);
            reply.body().exceptionHandler(ended::fail);
            reply.body().pause();
            reply.body().handler(b -> {
                all.appendBuffer(b);
                reply.body().pause();
                vertx.setTimer(1, id -> reply.body().fetch(1));
            });
            reply.body().pause();
            reply.body().fetch(1);
        }).onFailure(ended::fail);
        ended.future().await(20, TimeUnit.SECONDS);
        assertArrayEquals(Files.readAllBytes(content), all.getBytes());
    }

    @Test
    void errorReplyHasAnEmptyBodyAndTheConnectionCarriesOn() throws Exception {
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", server.actualPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        var ended = client.callStreamed(frame(SEND_FILE, "")).compose(reply -> {
            Promise<Integer> end = Promise.promise();
            reply.body().endHandler(v -> end.complete(reply.status()));
            return end.future();
        });
        assertEquals(Status.ENOENT, ended.await(5, TimeUnit.SECONDS));
        assertEquals("ok", client.call(frame(ECHO, "ok"), 100).await(5, TimeUnit.SECONDS).body().toString());
    }

    @Test
    void peerClosingMidBodyFailsTheStream() throws Exception {
        Throwable failure = againstShortPeer(new PodLimits(30_000, 1000), true);
        assertTrue(failure.getMessage().contains("closed"), failure.toString());
    }

    @Test
    void peerStallingMidBodyTimesOut() throws Exception {
        assertInstanceOf(TimeoutException.class, againstShortPeer(new PodLimits(300, 1000), false));
    }

    /**
     * A fake peer answers with a header announcing 1000 bytes but sends only 100, then closes or (if not
     * {@code close}) holds the connection open until the client gave up. Returns the body stream's error.
     */
    private Throwable againstShortPeer(PodLimits limits, boolean close) throws Exception {
        CountDownLatch clientDone = new CountDownLatch(1);
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = peer.accept()) {
                    s.getInputStream().readNBytes(11);
                    OutputStream out = s.getOutputStream();
                    out.write(Header.response(1000).toBytes());
                    out.write(new byte[100]);
                    out.flush();
                    if (!close) {
                        clientDone.await(10, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            try {
                return streamFailure(peer.getLocalPort(), limits);
            } finally {
                clientDone.countDown();
                t.join();
            }
        }
    }

    private Throwable streamFailure(int port, PodLimits limits) throws Exception {
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", port, limits).await(5, TimeUnit.SECONDS);
        Buffer got = Buffer.buffer();
        var ended = client.callStreamed(frame(SEND_FILE, "x")).compose(reply -> {
            assertEquals(1000, reply.header().bodyLength());
            Promise<Void> end = Promise.promise();
            reply.body().endHandler(end::complete);
            reply.body().exceptionHandler(end::fail);
            reply.body().handler(got::appendBuffer);
            return end.future();
        });
        Throwable failure = ended.map((Throwable) null).otherwise(e -> e).await(10, TimeUnit.SECONDS);
        assertEquals(100, got.length());
        assertTrue(client.isClosed());
        return failure;
    }
}
