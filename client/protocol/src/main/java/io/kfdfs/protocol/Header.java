package io.kfdfs.protocol;

import java.nio.ByteBuffer;

/**
 * The 10-byte FastDFS packet header (docs/protocol.md §1.1): body length (i64, big-endian), command, status.
 * Identical for requests and responses; every response carries {@link Cmd#RESP}.
 */
public record Header(long bodyLength, int cmd, int status) {

    public static final int SIZE = 10;

    public Header {
        if (cmd < 0 || cmd > 255 || status < 0 || status > 255) {
            throw new IllegalArgumentException("cmd and status are unsigned bytes: " + cmd + "/" + status);
        }
    }

    public static Header response(long bodyLength) {
        return new Header(bodyLength, Cmd.RESP, 0);
    }

    public static Header error(int status) {
        return new Header(0, Cmd.RESP, status);
    }

    public static Header request(int cmd, long bodyLength) {
        return new Header(bodyLength, cmd, 0);
    }

    /**
     * Reads a header at the buffer's position. A negative length is a malformed frame: the C servers
     * close the connection without replying, so the error says so.
     */
    public static Header decode(ByteBuffer in) throws ProtocolException {
        if (in.remaining() < SIZE) {
            throw ProtocolException.malformed("header needs " + SIZE + " bytes, got " + in.remaining());
        }
        long len = in.getLong();
        int cmd = in.get() & 0xFF;
        int status = in.get() & 0xFF;
        if (len < 0) {
            throw ProtocolException.malformed("negative body length " + len + " for cmd " + cmd);
        }
        return new Header(len, cmd, status);
    }

    public static Header decode(byte[] bytes, int offset) throws ProtocolException {
        return decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset));
    }

    public void encodeTo(ByteBuffer out) {
        out.putLong(bodyLength).put((byte) cmd).put((byte) status);
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        encodeTo(b);
        return b.array();
    }

    public boolean isOk() {
        return status == 0;
    }
}
