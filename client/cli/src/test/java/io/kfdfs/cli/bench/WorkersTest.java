package io.kfdfs.cli.bench;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.ServerAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's workers against servers that misbehave, over loopback: every operation ends as a
 * success, a mismatch or a failure with a readable reason, and none hangs. (The happy path against the
 * real tracker and storage is BenchCommandTest's.)
 */
@Timeout(30)
class WorkersTest {

    private static final Payload PAYLOAD = new Payload(5000, 1);

    /** What a scripted server does with each request on a connection; false closes the connection. */
    private interface Script {
        boolean answer(Header request, byte[] body, OutputStream out) throws IOException;
    }

    /** A server on 127.0.0.1 that plays {@code script} on every connection and counts the connections. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        private final List<Socket> open = new ArrayList<>();

        Scripted(Script script) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (true) {
                    Socket s;
                    try {
                        s = socket.accept();
                    } catch (IOException e) {
                        return;
                    }
                    connections.incrementAndGet();
                    synchronized (open) {
                        open.add(s);
                    }
                    Thread serve = new Thread(() -> serve(s, script));
                    serve.setDaemon(true);
                    serve.start();
                }
            });
            accept.setDaemon(true);
            accept.start();
        }

        private static void serve(Socket s, Script script) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] head = new byte[Header.SIZE];
                while (true) {
                    in.readFully(head);
                    Header h = Header.decode(head, 0);
                    byte[] body = new byte[(int) h.bodyLength()];
                    in.readFully(body);
                    if (!script.answer(h, body, s.getOutputStream())) {
                        return;
                    }
                }
            } catch (Exception e) {
                // the client went away: this connection is done
            }
        }

        HostPort address() {
            return new HostPort("127.0.0.1", socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (open) {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Scripted server(Script script) throws IOException {
        Scripted s = new Scripted(script);
        toClose.add(s);
        return s;
    }

    private Bench.Tally run(HostPort tracker, Workers.Phase phase, int count, Duration networkTimeout) throws IOException {
        Bench.Tally r = new Bench.Tally(count);
        try (Workers w = new Workers(List.of(tracker), Duration.ofSeconds(2), networkTimeout, null, PAYLOAD, 2)) {
            w.run(phase, files(count), each(count), r);
        }
        return r;
    }

    /** Hands out the files 0 to count-1, once each. */
    private static IntSupplier each(int count) {
        int[] next = {0};
        return () -> next[0] < count ? next[0]++ : -1;
    }

    private static GroupFile[] files(int count) {
        GroupFile[] files = new GroupFile[count];
        for (int i = 0; i < count; i++) {
            files[i] = new GroupFile("group1", "M00/00/00/file" + i);
        }
        return files;
    }

    private static void reply(OutputStream out, int status, byte[] body) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Header.SIZE + body.length);
        new Header(body.length, 100, status).encodeTo(b);
        out.write(b.put(body).array());
    }

    @Test
    void anErrorStatusFailsTheOperationAndKeepsTheConnection() throws Exception {
        Scripted tracker = server((h, body, out) -> {
            reply(out, Status.ENOENT, new byte[0]);
            return true;
        });
        Bench.Tally r = run(tracker.address(), Workers.Phase.UPLOAD, 6, Duration.ofSeconds(5));
        assertEquals(6, r.failures, r.firstError);
        assertTrue(r.firstError.contains("ENOENT"), r.firstError);
        assertEquals(2, tracker.connections.get(), "one connection per worker, kept after the errors");
    }

    @Test
    void anAbsurdReplyLengthFailsTheOperationAndTheNextOneReconnects() throws Exception {
        Scripted tracker = server((h, body, out) -> {
            out.write(new byte[] {0, 0, 0x40, 0, 0, 0, 0, 0, 100, 0}); // a reply of 64 TiB
            return true;
        });
        Bench.Tally r = run(tracker.address(), Workers.Phase.UPLOAD, 4, Duration.ofSeconds(5));
        assertEquals(4, r.failures, r.firstError);
        assertTrue(r.firstError.contains("announced a reply of 70368744177664 bytes"), r.firstError);
        assertEquals(4, tracker.connections.get(), "a connection that sent nonsense is not used again");
    }

    @Test
    void bytesNobodyAskedForCloseThatConnectionOnly() throws Exception {
        Scripted storage = server((h, body, out) -> {
            reply(out, 0, new byte[0]);
            return true;
        });
        Scripted tracker = server((h, body, out) -> {
            byte[] answer = fetchReply(storage);
            // one write, so that the nonsense arrives with the answer, before the next request
            ByteBuffer b = ByteBuffer.allocate(Header.SIZE + answer.length + 7);
            new Header(answer.length, 100, 0).encodeTo(b);
            out.write(b.put(answer).put("unasked".getBytes()).array());
            return true;
        });
        Bench.Tally r = run(tracker.address(), Workers.Phase.DELETE, 4, Duration.ofSeconds(5));
        assertEquals(4, r.ok, "the operations went on on the storage: " + r.firstError);
        assertEquals(4, tracker.connections.get(), "each tracker connection was closed after its nonsense");
        assertEquals(2, storage.connections.get());
    }

    private static byte[] fetchReply(Scripted storage) {
        return new FetchReply("group1", new ServerAddress("127.0.0.1", storage.socket.getLocalPort()),
                Fields.IPV4_SIZE).toBytes();
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        Scripted tracker = server((h, body, out) -> true);
        long t0 = System.nanoTime();
        Bench.Tally r = run(tracker.address(), Workers.Phase.DELETE, 3, Duration.ofMillis(300));
        assertEquals(3, r.failures, r.firstError);
        assertTrue(r.firstError.contains("made no progress"), r.firstError);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void randomAnswersEndEveryOperationOneWayOrAnother() throws Exception {
        for (Workers.Phase phase : Workers.Phase.values()) {
            Random random = new Random(phase.ordinal());
            // after a random answer the server closes one connection in four
            Scripted tracker = server((h, body, out) -> {
                byte[] answer = new byte[random.nextInt(64)];
                random.nextBytes(answer);
                if (answer.length >= Header.SIZE && random.nextBoolean()) {
                    answer[0] = answer[1] = answer[2] = answer[3] = answer[4] = answer[5] = answer[6] = 0;
                    answer[7] = (byte) (answer.length - Header.SIZE);
                }
                out.write(answer);
                return random.nextInt(4) > 0;
            });
            Bench.Tally r = run(tracker.address(), phase, 100, Duration.ofMillis(200));
            assertEquals(100, r.ok + r.failures + r.mismatches, phase + ": every operation ended");
        }
    }

    @Test
    void nobodyListeningFailsEveryOperationAtOnce() throws Exception {
        HostPort nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new HostPort("127.0.0.1", s.getLocalPort());
        }
        Bench.Tally r = run(nobody, Workers.Phase.UPLOAD, 5, Duration.ofSeconds(5));
        assertEquals(5, r.failures);
        assertTrue(r.firstError.startsWith("cannot connect to 127.0.0.1:" + nobody.port()), r.firstError);
    }

    @Test
    void wrongBytesAreMismatchesAndACutDownloadIsAFailure() throws Exception {
        byte[] fileZero = Trickle.content(PAYLOAD, 0);
        AtomicInteger downloads = new AtomicInteger();
        // every download gets file 0's bytes: right for file 0, wrong for file 1, cut off after 100 for file 2
        Scripted storage = server((h, body, out) -> {
            if (downloads.getAndIncrement() < 2) {
                reply(out, 0, fileZero);
                return true;
            }
            ByteBuffer head = ByteBuffer.allocate(Header.SIZE);
            new Header(fileZero.length, 100, 0).encodeTo(head);
            out.write(head.array());
            out.write(fileZero, 0, 100);
            return false;
        });
        Scripted tracker = server((h, body, out) -> {
            reply(out, 0, fetchReply(storage));
            return true;
        });
        Bench.Tally r = new Bench.Tally(3);
        try (Workers w = new Workers(List.of(tracker.address()), Duration.ofSeconds(2), Duration.ofSeconds(5), null,
                PAYLOAD, 1)) {
            w.run(Workers.Phase.DOWNLOAD, files(3), each(3), r);
        }
        assertEquals(1, r.ok, "file 0 got its own bytes");
        assertEquals(1, r.mismatches, "file 1 got file 0's");
        assertEquals(1, r.failures, r.firstError);
        assertTrue(r.firstError.contains("closed the connection"), r.firstError);
    }
}
