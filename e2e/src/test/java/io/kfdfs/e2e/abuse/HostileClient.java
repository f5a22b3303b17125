package io.kfdfs.e2e.abuse;

import io.kfdfs.conf.HostPort;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Clients that break the FastDFS framing on purpose (docs/protocol.md §1: a 10-byte header, 8-byte big-endian
 * body length, command, status), against one server. Every answer is checked against what the C server
 * does: a reply is a header with command 100, and a non-zero status comes without a body; a frame the
 * server cannot take ends in a closed connection. Anything else is a violation.
 */
public final class HostileClient {

    /** What came back, by kind ("status 22", "closed", ...), and the answers that broke the rules. */
    public static final class Tally {
        final Map<String, Long> outcomes = new TreeMap<>();
        final List<String> violations = new ArrayList<>();
        long frames;

        void count(String outcome) {
            outcomes.merge(outcome, 1L, Long::sum);
        }

        void violation(String what) {
            if (violations.size() < 20) {
                violations.add(what);
            }
            count("VIOLATION");
        }

        public long frames() {
            return frames;
        }

        public List<String> violations() {
            return violations;
        }

        @Override
        public String toString() {
            return frames + " frames: " + outcomes;
        }
    }

    /** Commands whose requests the mutations start from: what clients send (no upload, no delete). */
    public enum Target {
        TRACKER, STORAGE
    }

    private static final int RESPONSE = 100;
    private static final Duration ANSWER = Duration.ofSeconds(15);

    private final HostPort server;
    private final Target target;
    private final String group;

    public HostileClient(HostPort server, Target target, String group) {
        this.server = server;
        this.target = target;
        this.group = group;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(server.host(), server.port()), 5_000);
        s.setSoTimeout((int) ANSWER.toMillis());
        // closed with a reset: tens of thousands of connections would otherwise exhaust local ports in TIME_WAIT
        s.setSoLinger(true, 0);
        return s;
    }

    static byte[] frame(int cmd, int status, byte[] body) {
        return ByteBuffer.allocate(10 + body.length).putLong(body.length).put((byte) cmd).put((byte) status).put(body)
                .array();
    }

    /** A server's answer to one request: its status, or -1 when it closed the connection without one. */
    public record Answer(int status, byte[] body) {
    }

    /** One request on a connection of its own; the answer must be a well-formed one or a close. */
    public Answer call(int cmd, byte[] body) throws IOException {
        byte[] f = frame(cmd, 0, body);
        try (Socket s = connect()) {
            s.getOutputStream().write(f);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] h = new byte[10];
            try {
                in.readFully(h);
            } catch (EOFException | SocketException closed) {
                return new Answer(-1, new byte[0]);
            }
            ByteBuffer b = ByteBuffer.wrap(h);
            long length = b.getLong();
            if (b.get() != (byte) RESPONSE || length < 0 || length > 64 << 20) {
                throw new IOException("not a FastDFS answer to " + describe(f) + ": " + HexFormat.of().formatHex(h));
            }
            byte[] reply = new byte[(int) length];
            in.readFully(reply);
            return new Answer(b.get() & 0xFF, reply);
        }
    }

    /** A group field and a file name, the body of most storage requests on one file. */
    public static byte[] fileRequest(String group, byte[] name) {
        return concat(field(group, 16), name);
    }

    private static byte[] field(String text, int size) {
        byte[] b = new byte[size];
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, b, 0, Math.min(size, t.length));
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Valid requests of the target's client commands, on a file that does not exist. */
    private List<byte[]> templates() {
        String name = "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt";
        byte[] g = field(group, 16);
        byte[] file = concat(g, name.getBytes(StandardCharsets.ISO_8859_1));
        if (target == Target.TRACKER) {
            return List.of(frame(101, 0, new byte[0]), frame(104, 0, g), frame(102, 0, file), frame(103, 0, file),
                    frame(105, 0, file), frame(91, 0, new byte[0]), frame(90, 0, g), frame(92, 0, g),
                    frame(111, 0, new byte[0]));
        }
        byte[] range = ByteBuffer.allocate(16).putLong(0).putLong(100).array();
        return List.of(frame(14, 0, concat(range, file)), frame(15, 0, file), frame(22, 0, file),
                frame(111, 0, new byte[0]));
    }

    /**
     * {@code count} frames on as few connections as the server allows: random ones (random command and body
     * of a true length) and valid requests with one to three bytes changed after the length; then, each on
     * a connection of its own closed for writing after it, {@code count / 20} valid requests with a byte of
     * the length changed.
     */
    public Tally randomFrames(int count, Random random) throws IOException {
        Tally t = new Tally();
        List<byte[]> templates = templates();
        Socket s = null;
        try {
            for (int i = 0; i < count; i++) {
                byte[] f;
                if (random.nextBoolean()) {
                    byte[] body = new byte[random.nextInt(300)];
                    random.nextBytes(body);
                    f = frame(random.nextInt(256), random.nextInt(4) == 0 ? random.nextInt(256) : 0, body);
                } else {
                    f = templates.get(random.nextInt(templates.size())).clone();
                    for (int m = 1 + random.nextInt(3); m > 0; m--) {
                        f[8 + random.nextInt(f.length - 8)] = (byte) random.nextInt(256);
                    }
                }
                if (f[8] == 82) {
                    f[8] = 111; // QUIT: closing is its answer, nothing to learn
                }
                if (s == null) {
                    s = connect();
                }
                t.frames++;
                if (!exchange(s, f, t)) {
                    s.close();
                    s = null;
                }
            }
        } finally {
            if (s != null) {
                s.close();
            }
        }
        for (int i = 0; i < count / 20; i++) {
            byte[] f = templates.get(random.nextInt(templates.size())).clone();
            f[random.nextInt(8)] = (byte) random.nextInt(256);
            t.frames++;
            try (Socket one = connect()) {
                one.getOutputStream().write(f);
                one.shutdownOutput();
                answer(one.getInputStream(), t, f);
            }
        }
        return t;
    }

    /** Sends one frame and reads the answer; false when the connection is closed. */
    private boolean exchange(Socket s, byte[] f, Tally t) throws IOException {
        try {
            s.getOutputStream().write(f);
        } catch (SocketException closed) {
            t.count("closed before the frame was sent");
            return false;
        }
        return answer(s.getInputStream(), t, f);
    }

    /** Reads one answer to {@code sent}; false when the server closed the connection (or must have). */
    private boolean answer(InputStream in, Tally t, byte[] sent) throws IOException {
        byte[] h = new byte[10];
        try {
            new DataInputStream(in).readFully(h);
        } catch (EOFException | SocketException closed) {
            t.count("closed");
            return false;
        } catch (SocketTimeoutException silent) {
            t.violation("no answer in " + ANSWER.toSeconds() + " s to " + describe(sent));
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        long length = b.getLong();
        int cmd = b.get() & 0xFF;
        int status = b.get() & 0xFF;
        if (cmd != RESPONSE) {
            t.violation("reply command " + cmd + " (not 100) to " + describe(sent));
            return false;
        }
        if (status != 0 && length != 0) {
            t.violation("status " + status + " with a body of " + length + " bytes to " + describe(sent));
            return false;
        }
        if (length < 0 || length > 64 << 20) {
            t.violation("reply body length " + length + " to " + describe(sent));
            return false;
        }
        try {
            in.skipNBytes(length);
        } catch (EOFException | SocketException closed) {
            t.violation("reply shorter than its header says (" + length + ") to " + describe(sent));
            return false;
        }
        t.count("status " + status);
        return true;
    }

    private static String describe(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return "cmd " + (f[8] & 0xFF) + " status " + (f[9] & 0xFF) + " length " + b.getLong(0) + " (sent "
                + (f.length - 10) + ")";
    }

    /**
     * Lengths that lie, each on a connection of its own, with what the C server does: a negative length is
     * closed without a reply; one past any package too (kfdfs answers EINVAL first, then closes: accepted);
     * an unknown command and an ACTIVE_TEST with a body are answered EINVAL; a frame shorter than its
     * length, then closed for writing, is closed.
     */
    public Tally lyingLengths() throws IOException {
        Tally t = new Tally();
        expect(t, "negative length", ByteBuffer.allocate(10).putLong(-5).put((byte) 111).put((byte) 0).array(),
                false, "closed");
        expect(t, "length 2^62", ByteBuffer.allocate(10).putLong(1L << 62).put((byte) 111).put((byte) 0).array(),
                false, "closed", "status 22, then closed");
        expect(t, "length 2^62, query command", ByteBuffer.allocate(10).putLong(1L << 62)
                .put((byte) (target == Target.TRACKER ? 102 : 22)).put((byte) 0).array(), false, "closed",
                "status 22, then closed");
        byte[] shortFrame = ByteBuffer.allocate(20).putLong(100).put((byte) (target == Target.TRACKER ? 102 : 22))
                .put((byte) 0).array();
        expect(t, "100 announced, 10 sent, then EOF", shortFrame, true, "closed");
        expect(t, "unknown command 199", frame(199, 0, new byte[0]), false, "status 22");
        expect(t, "ACTIVE_TEST with a body", frame(111, 0, new byte[4]), false, "status 22");
        expect(t, "query with a 3-byte body", frame(target == Target.TRACKER ? 102 : 22, 0, new byte[3]), false,
                "status 22");
        return t;
    }

    private void expect(Tally t, String what, byte[] f, boolean halfClose, String... expected) throws IOException {
        t.frames++;
        try (Socket s = connect()) {
            s.getOutputStream().write(f);
            if (halfClose) {
                s.shutdownOutput();
            }
            Tally one = new Tally();
            if (answer(s.getInputStream(), one, f) && closedAfter(s)) {
                one.outcomes.keySet().stream().findFirst().ifPresent(k -> one.count(k + ", then closed"));
            }
            String got = List.of(expected).stream().filter(one.outcomes::containsKey).findFirst().orElse(null);
            if (got == null) {
                t.violation(what + ": expected " + String.join(" or ", expected) + ", got " + one.outcomes + " "
                        + one.violations);
            } else {
                t.count(what + ": " + got);
            }
        }
    }

    private static boolean closedAfter(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    /**
     * Half-closed sockets: a whole ACTIVE_TEST and then EOF gets its answer (or a close), half a header
     * and then EOF a close.
     */
    public Tally halfClosed(int count) throws IOException {
        Tally t = new Tally();
        for (int i = 0; i < count; i++) {
            t.frames++;
            try (Socket s = connect()) {
                byte[] f = frame(111, 0, new byte[0]);
                s.getOutputStream().write(f, 0, i % 2 == 0 ? f.length : 5);
                s.shutdownOutput();
                Tally one = new Tally();
                boolean open = answer(s.getInputStream(), one, f);
                if (i % 2 == 1 && !one.outcomes.containsKey("closed")) {
                    t.violation("half a header then EOF: " + one.outcomes);
                } else if (i % 2 == 0 && !one.outcomes.containsKey("status 0") && !one.outcomes.containsKey("closed")) {
                    t.violation("ACTIVE_TEST then EOF: " + one.outcomes + " " + one.violations);
                } else if (open && s.getInputStream().read() != -1) {
                    t.violation("bytes after the answer to an ACTIVE_TEST then EOF");
                } else {
                    t.count(i % 2 == 0 ? "whole request then EOF: answered" : "half a header then EOF: closed");
                }
            }
        }
        return t;
    }

    /** Opens up to {@code count} connections that send nothing; the caller holds and closes them. */
    public List<Socket> idle(int count, Consumer<String> limitHit) {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try {
                open.add(connect());
            } catch (IOException e) {
                limitHit.accept("opened " + open.size() + " of " + count + ": " + e.getMessage());
                break;
            }
        }
        return open;
    }

    /**
     * Slowloris: {@code count} connections each sending a valid request a byte at a time, one byte per
     * second per connection, for {@code duration}; returns how many the server closed meanwhile.
     */
    public int slowloris(int count, Duration duration) throws IOException, InterruptedException {
        List<Socket> sockets = idle(count, reason -> { });
        byte[] f = templates().get(0);
        long end = System.nanoTime() + duration.toNanos();
        int closed = 0;
        try {
            for (int i = 0; System.nanoTime() < end && !sockets.isEmpty(); i++) {
                for (Socket s : new ArrayList<>(sockets)) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(f[i % f.length]);
                    } catch (IOException byServer) {
                        closed++;
                        sockets.remove(s);
                        s.close();
                    }
                }
                Thread.sleep(1_000);
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        return closed;
    }

    /**
     * Asks a storage for {@code fileName} of {@code size} bytes on {@code count} connections that never read
     * (receive buffers of 4 KiB); the caller holds them while it measures, then closes them.
     */
    public List<Socket> downloadsNeverRead(String fileName, int count) throws IOException {
        byte[] body = concat(ByteBuffer.allocate(16).putLong(0).putLong(0).array(), field(group, 16),
                fileName.getBytes(StandardCharsets.ISO_8859_1));
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.setSoLinger(true, 0);
            s.connect(new InetSocketAddress(server.host(), server.port()), 5_000);
            s.getOutputStream().write(frame(14, 0, body));
            open.add(s);
        }
        return open;
    }
}
