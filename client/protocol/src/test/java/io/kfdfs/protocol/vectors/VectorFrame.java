package io.kfdfs.protocol.vectors;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One captured frame. {@code bytes} holds the header and as much of the body as was captured
 * ({@code truncated} frames, e.g. a streamed binlog or a negative length, are cut short).
 *
 * @param serverRole "tracker", "storage1", "storage2", ... (the server side of the connection)
 * @param kind       "client", "storage->tracker", "storage->storage", ...
 * @param request    true for client-to-server frames
 * @param reqCmd     for responses, the command they answer; -1 for requests
 */
public record VectorFrame(int index, int conn, String client, String server, String serverRole, String kind,
                          boolean request, int cmd, int reqCmd, int status, long length, boolean truncated,
                          boolean crafted, String desc, byte[] bytes) {

    /** The command this frame is about: its own for requests, the answered one for responses. */
    public int command() {
        return request ? cmd : reqCmd;
    }

    public boolean toTracker() {
        return serverRole.startsWith("tracker");
    }

    /** The body bytes (after the 10-byte header), as a read-only buffer. */
    public ByteBuffer body() {
        return ByteBuffer.wrap(bytes, 10, Math.max(0, bytes.length - 10)).slice().asReadOnlyBuffer();
    }

    public byte[] bodyBytes() {
        return bytes.length <= 10 ? new byte[0] : Arrays.copyOfRange(bytes, 10, bytes.length);
    }

    @Override
    public String toString() {
        return "#" + index + " conn=" + conn + (request ? " c2s " : " s2c ") + serverRole + " cmd=" + cmd
                + (request ? "" : " (to " + reqCmd + ")") + " st=" + status + " len=" + length
                + (crafted ? " crafted: " + desc : "");
    }
}
