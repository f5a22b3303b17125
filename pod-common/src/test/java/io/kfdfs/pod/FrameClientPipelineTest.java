package io.kfdfs.pod;

import io.kfdfs.protocol.Header;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FrameClient#pipelined}: requests out before the replies, replies matched in order. */
class FrameClientPipelineTest {

    static final int ECHO = 2;
    static final int PLAIN = 3;

    Vertx vertx;
    ServerSocket peer;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        peer.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /**
     * A peer that reads {@code batch} requests before it answers any, then answers them all in one write
     * (each reply echoes its request's body), and goes on so; it returns the commands in the order read.
     */
    private CompletableFuture<List<Integer>> peer(int batch, int total) {
        return CompletableFuture.supplyAsync(() -> {
            List<Integer> cmds = new ArrayList<>();
            try (Socket s = peer.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (cmds.size() < total) {
                    ByteArrayOutputStream replies = new ByteArrayOutputStream();
                    for (int i = 0; i < batch && cmds.size() < total; i++) {
                        byte[] head = new byte[Header.SIZE];
                        in.readFully(head);
                        Header h = Header.decode(head, 0);
                        byte[] body = new byte[(int) h.bodyLength()];
                        in.readFully(body);
                        cmds.add(h.cmd());
                        replies.write(Header.response(body.length).toBytes());
                        replies.write(body);
                    }
                    out.write(replies.toByteArray());
                    out.flush();
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return cmds;
        });
    }

    static Buffer frame(int cmd, String body) {
        return Buffer.buffer(Header.request(cmd, body.length()).toBytes()).appendString(body, "ISO-8859-1");
    }

    @Test
    void pipelinedCallsAreAllOutBeforeAReplyAndEachGetsItsOwn() throws Exception {
        int n = 40;
        // the peer answers nothing until it has read all 40: calls sent one at a time would never finish
        CompletableFuture<List<Integer>> served = peer(n, n);
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", peer.getLocalPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            replies.add(client.pipelined(frame(ECHO, "request " + i + "x".repeat(i * 37)), 4096));
        }
        for (int i = 0; i < n; i++) {
            assertEquals("request " + i + "x".repeat(i * 37),
                    replies.get(i).await(5, TimeUnit.SECONDS).body().toString(StandardCharsets.ISO_8859_1));
        }
        assertEquals(n, served.get(5, TimeUnit.SECONDS).size());
        assertEquals(0, client.outstanding());
    }

    @Test
    void aPlainCallWaitsForThePipelinedOnesAndTheOnesAfterItWaitForIt() throws Exception {
        // the peer answers one request at a time: a plain call among pipelined ones keeps the order on the wire
        CompletableFuture<List<Integer>> served = peer(1, 5);
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", peer.getLocalPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        List<Future<Reply>> replies = List.of(
                client.pipelined(frame(ECHO, "a"), 100),
                client.pipelined(frame(ECHO, "b"), 100),
                client.call(frame(PLAIN, "c"), 100),
                client.pipelined(frame(ECHO, "d"), 100),
                client.pipelined(frame(ECHO, "e"), 100));
        StringBuilder got = new StringBuilder();
        for (Future<Reply> r : replies) {
            got.append(r.await(5, TimeUnit.SECONDS).body().toString());
        }
        assertEquals("abcde", got.toString());
        assertEquals(List.of(ECHO, ECHO, PLAIN, ECHO, ECHO), served.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aConnectionLostFailsEveryCallInFlight() throws Exception {
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try (Socket s = peer.accept()) {
                s.getInputStream().readNBytes(Header.SIZE + 1);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        FrameClient client = FrameClient.connect(vertx, "127.0.0.1", peer.getLocalPort(), PodLimits.DEFAULT)
                .await(5, TimeUnit.SECONDS);
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add(client.pipelined(frame(ECHO, "x"), 100));
        }
        closed.get(5, TimeUnit.SECONDS);
        for (Future<Reply> r : replies) {
            assertTrue(r.transform(ar -> Future.succeededFuture(ar.failed())).await(5, TimeUnit.SECONDS),
                    "failed, not left waiting");
        }
        assertTrue(client.isClosed());
    }
}
