package io.kfdfs.protocol.replay;

import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness itself, against a trivial loopback server that answers each request with the reply the C
 * server captured for it (optionally altered): the faithful server passes, an altered one is caught.
 */
class ReplayTest {

    /** Serves captured replies, in order, to whoever connects; {@code alter} may corrupt them. */
    static final class RecordedServer implements AutoCloseable {
        final ServerSocket server;
        final Thread thread;

        RecordedServer(List<VectorFrame> frames, UnaryOperator<byte[]> alter) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            List<byte[]> replies = new ArrayList<>();
            for (VectorFrame f : frames) {
                if (!f.request()) {
                    replies.add(alter.apply(f.bytes()));
                }
            }
            thread = new Thread(() -> serve(replies));
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(List<byte[]> replies) {
            int next = 0;
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    while (next < replies.size()) {
                        byte[] head = in.readNBytes(Header.SIZE);
                        if (head.length < Header.SIZE) {
                            break;
                        }
                        Header h = Header.decode(head, 0);
                        in.readNBytes((int) h.bodyLength());
                        if (h.cmd() == 82) {
                            break;
                        }
                        out.write(replies.get(next++));
                    }
                } catch (Exception e) {
                    // the client closed; wait for the next connection
                }
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static Map<Integer, List<VectorFrame>> uploadStorageConnections() {
        return Replay.connections(Vectors.load("02_upload.jsonl"), f -> f.serverRole().equals("storage1"));
    }

    static List<VectorFrame> flatten(Map<Integer, List<VectorFrame>> conns) {
        return conns.values().stream().flatMap(List::stream).toList();
    }

    @Test
    void faithfulServerMatches() throws Exception {
        var conns = uploadStorageConnections();
        try (RecordedServer server = new RecordedServer(flatten(conns), b -> b)) {
            Replay replay = new Replay("127.0.0.1", server.port(), f -> Mask.none()).run(conns);
            assertEquals(List.of(), replay.mismatches());
            assertTrue(replay.compared() >= 8, "compared " + replay.compared());
            assertFalse(replay.renamed().isEmpty(), "upload replies teach the file names");
        }
    }

    @Test
    void alteredBodyIsCaughtUnlessMasked() throws Exception {
        var conns = uploadStorageConnections();
        UnaryOperator<byte[]> flipLastByte = b -> {
            byte[] c = Arrays.copyOf(b, b.length);
            if (c.length > Header.SIZE) {
                c[c.length - 1] ^= 1;
            }
            return c;
        };
        try (RecordedServer server = new RecordedServer(flatten(conns), flipLastByte)) {
            Replay strict = new Replay("127.0.0.1", server.port(), f -> Mask.none()).run(conns);
            assertFalse(strict.mismatches().isEmpty());
        }
        try (RecordedServer server = new RecordedServer(flatten(conns), flipLastByte)) {
            Replay masked = new Replay("127.0.0.1", server.port(), f -> Mask.none().ignore(16, Integer.MAX_VALUE)).run(conns);
            assertEquals(List.of(), masked.mismatches());
        }
    }

    @Test
    void wrongStatusIsCaught() throws Exception {
        var conns = uploadStorageConnections();
        UnaryOperator<byte[]> enoent = b -> {
            byte[] c = Arrays.copyOf(b, Header.SIZE);
            Arrays.fill(c, 0, 8, (byte) 0);
            c[9] = 2;
            return c;
        };
        try (RecordedServer server = new RecordedServer(flatten(conns), enoent)) {
            Replay replay = new Replay("127.0.0.1", server.port(), f -> Mask.none()).run(conns);
            assertTrue(replay.mismatches().stream().anyMatch(m -> m.contains("cmd/status")), replay.mismatches().toString());
        }
    }

    @Test
    void fixedStringMaskIgnoresBytesAfterNulOnly() {
        Mask m = Mask.none().fixedString(0, 8);
        byte[] body = {'a', 'b', 0, 'x', 'y', 0, 0, 0, 9};
        assertTrue(m.compared(body, 1));
        assertTrue(m.compared(body, 2));
        assertFalse(m.compared(body, 3));
        assertTrue(m.compared(body, 8));
    }
}
