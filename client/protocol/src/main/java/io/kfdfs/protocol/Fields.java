package io.kfdfs.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reading and writing the field kinds of docs/protocol.md §0.2 on {@link ByteBuffer}s: big-endian integers,
 * fixed-width strings ({@code str[N]}), and variable strings that run to a given length.
 *
 * <p>Fixed-width strings are zero-filled on write; on read they stop at the first NUL and ignore what
 * follows, because the C servers leave stale bytes there (testdata/vectors/NOTES.md D4). Every read checks the
 * remaining bytes first and fails with a {@link ProtocolException}, never with a buffer exception.
 */
public final class Fields {

    public static final int GROUP_NAME_SIZE = 16;
    public static final int IPV4_SIZE = 16;
    public static final int IPV6_SIZE = 46;
    /** {@code IP_ADDRESS_SIZE} of the internal server-to-server structs (6.11+). */
    public static final int IP_ADDRESS_SIZE = 46;
    public static final int STORAGE_ID_SIZE = 16;
    public static final int VERSION_SIZE = 8;
    public static final int EXT_NAME_SIZE = 6;
    public static final int PREFIX_SIZE = 16;
    public static final int MAX_IP_PORT_SIZE = 52;
    /** Remote file names live in 128-byte buffers in C: at most 127 bytes. */
    public static final int MAX_FILENAME_LENGTH = 127;

    private Fields() {
    }

    public static void need(ByteBuffer in, int bytes, String what) throws ProtocolException {
        if (bytes < 0 || in.remaining() < bytes) {
            throw ProtocolException.invalid(what + ": needs " + bytes + " bytes, " + in.remaining() + " left");
        }
    }

    public static long getLong(ByteBuffer in, String what) throws ProtocolException {
        need(in, 8, what);
        return in.getLong();
    }

    public static int getInt(ByteBuffer in, String what) throws ProtocolException {
        need(in, 4, what);
        return in.getInt();
    }

    public static int getByte(ByteBuffer in, String what) throws ProtocolException {
        need(in, 1, what);
        return in.get() & 0xFF;
    }

    /** Reads a {@code str[size]} field: stops at the first NUL, skips the whole field. */
    public static String getFixed(ByteBuffer in, int size, String what) throws ProtocolException {
        need(in, size, what);
        int start = in.position();
        int len = 0;
        while (len < size && in.get(start + len) != 0) {
            len++;
        }
        String s = ascii(in, start, len);
        in.position(start + size);
        return s;
    }

    /** Reads {@code length} bytes as a string with no terminator (a {@code var} field). */
    public static String getVar(ByteBuffer in, int length, String what) throws ProtocolException {
        need(in, length, what);
        int start = in.position();
        String s = ascii(in, start, length);
        in.position(start + length);
        return s;
    }

    /** Reads the rest of the buffer as a string. */
    public static String getRest(ByteBuffer in) {
        int start = in.position();
        String s = ascii(in, start, in.remaining());
        in.position(in.limit());
        return s;
    }

    /** Reads {@code length} raw bytes. */
    public static byte[] getBytes(ByteBuffer in, int length, String what) throws ProtocolException {
        need(in, length, what);
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    /**
     * Strings on the wire are bytes; names and IDs are ASCII but metadata and odd clients may send
     * anything, so decode as ISO-8859-1 (one char per byte, lossless) and let validation judge.
     */
    private static String ascii(ByteBuffer in, int start, int len) {
        byte[] b = new byte[len];
        in.get(start, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@code s} into a {@code str[size]} field, truncating what does not fit, zero-filling the rest. */
    public static void putFixed(ByteBuffer out, String s, int size) {
        int n = s == null ? 0 : Math.min(s.length(), size);
        for (int i = 0; i < n; i++) {
            out.put(latin1(s.charAt(i)));
        }
        for (int i = n; i < size; i++) {
            out.put((byte) 0);
        }
    }

    /** One char as ISO-8859-1, as {@link #bytes} encodes it; written per char so headers allocate nothing. */
    private static byte latin1(char c) {
        return c <= 0xFF ? (byte) c : (byte) '?';
    }

    public static void putVar(ByteBuffer out, String s) {
        out.put(bytes(s));
    }

    /** The byte length of {@code s} on the wire. */
    public static int length(String s) {
        return s == null ? 0 : bytes(s).length;
    }

    /** Fails unless every byte of the body was consumed: C checks exact body lengths. */
    public static void expectEnd(ByteBuffer in, String what) throws ProtocolException {
        if (in.hasRemaining()) {
            throw ProtocolException.invalid(what + ": " + in.remaining() + " unexpected trailing bytes");
        }
    }

    /** Fails unless the body has exactly {@code expected} bytes. */
    public static void expectLength(ByteBuffer in, int expected, String what) throws ProtocolException {
        if (in.remaining() != expected) {
            throw ProtocolException.invalid(what + ": body must be " + expected + " bytes, got " + in.remaining());
        }
    }
}
