package io.kfdfs.protocol.replay;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.vectors.VectorFrame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Replays captured C FastDFS traffic against a running kfdfs server and compares its replies with the
 * C server's, field by field where the {@link Mask} allows.
 *
 * <p>Each selected connection is replayed on a fresh socket, its client-to-server frames sent in capture
 * order; after each request whose capture has a reply, one reply is read and compared. File names the C
 * server generated differ from the ones kfdfs generates (time, random bits, source): every name a
 * reply hands out is remembered and substituted into later requests, byte for byte (the names have the
 * same length), so a scenario that uploads then downloads works against kfdfs. Truncated captures
 * (streamed binlogs, negative lengths) are sent as captured and their replies are not compared beyond
 * the header.
 */
public final class Replay {

    private final String host;
    private final int port;
    private final Function<VectorFrame, Mask> masks;
    private final Map<String, String> renamed = new LinkedHashMap<>();
    private final List<String> mismatches = new ArrayList<>();
    private int compared;

    /**
     * @param masks for a captured reply frame, what may differ in its body
     */
    public Replay(String host, int port, Function<VectorFrame, Mask> masks) {
        this.host = host;
        this.port = port;
        this.masks = masks;
    }

    /** The captured connections whose first frame matches {@code filter}, in capture order. */
    public static Map<Integer, List<VectorFrame>> connections(List<VectorFrame> frames, Predicate<VectorFrame> filter) {
        Map<Integer, List<VectorFrame>> byConn = frames.stream()
                .collect(Collectors.groupingBy(VectorFrame::conn, LinkedHashMap::new, Collectors.toList()));
        byConn.values().removeIf(list -> !filter.test(list.get(0)));
        return byConn;
    }

    /** Replays every connection; returns this for {@link #mismatches()}. */
    public Replay run(Map<Integer, List<VectorFrame>> connections) throws IOException {
        for (List<VectorFrame> conn : connections.values()) {
            replayConnection(conn);
        }
        return this;
    }

    /** Human-readable differences, empty when kfdfs answered as the C server did. */
    public List<String> mismatches() {
        return mismatches;
    }

    /** How many replies were compared (a replay that compared nothing proves nothing). */
    public int compared() {
        return compared;
    }

    /** Captured file names and the names kfdfs gave in their place. */
    public Map<String, String> renamed() {
        return renamed;
    }

    /**
     * Each connection leaves from the captured client's address (127.0.0.2 for a second storage host), as
     * without storage IDs the address is a storage's identity.
     */
    private void replayConnection(List<VectorFrame> frames) throws IOException {
        try (Socket socket = new Socket()) {
            String client = frames.get(0).client();
            socket.bind(new InetSocketAddress(client.substring(0, client.lastIndexOf(':')), 0));
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < frames.size(); i++) {
                VectorFrame f = frames.get(i);
                if (!f.request()) {
                    continue;
                }
                out.write(substitute(f.bytes()));
                out.flush();
                VectorFrame expected = i + 1 < frames.size() && !frames.get(i + 1).request() ? frames.get(i + 1) : null;
                if (expected == null) {
                    if (f.cmd() == Cmd.QUIT || f.truncated()) {
                        expectClosedOrSilent(socket, f);
                    }
                    continue;
                }
                byte[] actual = readFrame(in, f, expected);
                if (actual == null) {
                    return;
                }
                compare(f, expected, actual);
                if (f.truncated()) {
                    return;
                }
            }
        }
    }

    private void expectClosedOrSilent(Socket socket, VectorFrame request) throws IOException {
        socket.setSoTimeout(1500);
        try {
            int b = socket.getInputStream().read();
            if (b != -1) {
                mismatches.add(request + ": C sent no reply, kfdfs sent data");
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // silence or a reset is what C does
        }
    }

    private byte[] readFrame(InputStream in, VectorFrame request, VectorFrame expected) throws IOException {
        byte[] head = in.readNBytes(Header.SIZE);
        if (head.length < Header.SIZE) {
            mismatches.add(request + ": connection closed, C answered " + expected);
            return null;
        }
        Header h;
        try {
            h = Header.decode(head, 0);
        } catch (ProtocolException e) {
            mismatches.add(request + ": malformed reply header " + HexFormat.of().formatHex(head));
            return null;
        }
        long keep = expected.truncated() ? Math.min(h.bodyLength(), expected.bytes().length - Header.SIZE) : h.bodyLength();
        if (keep > 64L * 1024 * 1024) {
            mismatches.add(request + ": reply body of " + h.bodyLength() + " bytes");
            return null;
        }
        byte[] body = in.readNBytes((int) keep);
        byte[] frame = Arrays.copyOf(head, Header.SIZE + body.length);
        System.arraycopy(body, 0, frame, Header.SIZE, body.length);
        return frame;
    }

    private void compare(VectorFrame request, VectorFrame expected, byte[] actual) {
        compared++;
        byte[] want = expected.bytes();
        String where = request + " -> ";
        int wantStatus = want[9] & 0xFF;
        int gotStatus = actual[9] & 0xFF;
        if ((actual[8] & 0xFF) != Cmd.RESP || wantStatus != gotStatus) {
            mismatches.add(where + "cmd/status " + (actual[8] & 0xFF) + "/" + gotStatus + ", C: " + (want[8] & 0xFF) + "/" + wantStatus);
            return;
        }
        Mask mask = masks.apply(expected);
        long wantLen = expected.length();
        long gotLen = java.nio.ByteBuffer.wrap(actual, 0, 8).getLong();
        if (wantLen != gotLen && !mask.lengthIgnored()) {
            mismatches.add(where + "body length " + gotLen + ", C: " + wantLen);
            return;
        }
        byte[] wantBody = Arrays.copyOfRange(want, Header.SIZE, want.length);
        byte[] gotBody = Arrays.copyOfRange(actual, Header.SIZE, actual.length);
        learnNames(wantBody, gotBody);
        int n = Math.min(wantBody.length, gotBody.length);
        for (int i = 0; i < n; i++) {
            if (wantBody[i] != gotBody[i] && mask.compared(wantBody, i) && mask.compared(gotBody, i)) {
                mismatches.add(where + "body byte " + i + " is " + hex(gotBody, i) + ", C: " + hex(wantBody, i));
                return;
            }
        }
    }

    /** Replies that hand out file names: remember captured name -> kfdfs name for later requests. */
    private void learnNames(byte[] want, byte[] got) {
        String w = new String(want, StandardCharsets.ISO_8859_1);
        String g = new String(got, StandardCharsets.ISO_8859_1);
        int at = w.indexOf("M0");
        if (want.length == got.length && want.length > 16 + 40 && at == 16 && g.startsWith("M0", 16)) {
            renamed.put(w.substring(16), g.substring(16));
        }
    }

    private byte[] substitute(byte[] frame) {
        if (renamed.isEmpty()) {
            return frame;
        }
        String s = new String(frame, StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, String> e : renamed.entrySet()) {
            String from = baseOf(e.getKey());
            String to = baseOf(e.getValue());
            s = s.replace(from, to);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The name up to the dot of its extension tail: slave names share this base (docs/protocol.md §7.5). */
    private static String baseOf(String remoteName) {
        int dot = remoteName.lastIndexOf('.');
        return dot >= remoteName.length() - 7 ? remoteName.substring(0, dot) : remoteName;
    }

    private static String hex(byte[] b, int i) {
        int to = Math.min(b.length, i + 16);
        return HexFormat.of().formatHex(b, i, to) + (to < b.length ? "..." : "");
    }
}
