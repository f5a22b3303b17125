package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Reading the i64 length and size fields of storage requests with C's range checks. */
final class Lengths {

    private Lengths() {
    }

    /** An i64 that must lie in {@code [min, max]}. */
    static long get(ByteBuffer in, long min, long max, String what) throws ProtocolException {
        long v = Fields.getLong(in, what);
        if (v < min || v > max) {
            throw ProtocolException.invalid(what + " " + v + " out of range " + min + ".." + max);
        }
        return v;
    }

    /** A file-name length: 1 … 127 unless {@code min} says otherwise. */
    static int nameLength(ByteBuffer in, int min, String what) throws ProtocolException {
        return (int) get(in, min, Fields.MAX_FILENAME_LENGTH, what);
    }

    static long nonNegative(ByteBuffer in, String what) throws ProtocolException {
        return get(in, 0, Long.MAX_VALUE, what);
    }

    /** The declared body length must be exactly the fixed part plus the content. */
    static void expectBody(long bodyLength, long fixed, long content, String what) throws ProtocolException {
        if (content < 0 || fixed + content != bodyLength || fixed + content < 0) {
            throw ProtocolException.invalid(what + ": body length " + bodyLength + " != " + fixed + " + " + content);
        }
    }

    /** The rest of the buffer as a file name of 1 … 127 bytes. */
    static String restName(ByteBuffer in, String what) throws ProtocolException {
        int n = in.remaining();
        if (n < 1 || n > Fields.MAX_FILENAME_LENGTH) {
            throw ProtocolException.invalid(what + ": file name length " + n + " out of range 1.."
                    + Fields.MAX_FILENAME_LENGTH);
        }
        return Fields.getRest(in);
    }

    /** A timestamp i32 read as unsigned seconds. */
    static long timestamp(ByteBuffer in, String what) throws ProtocolException {
        return Fields.getInt(in, what) & 0xFFFFFFFFL;
    }
}
