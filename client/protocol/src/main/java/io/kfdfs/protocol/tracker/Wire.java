package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Field helpers shared by the tracker records: ports, the response IP size S, list framing. */
final class Wire {

    private Wire() {
    }

    /** Ports travel as i64; -1 is the "members differ" group port (docs/protocol.md §3.6). */
    static int getPort(ByteBuffer in, String what) throws ProtocolException {
        long v = Fields.getLong(in, what);
        if (v < -1 || v > 65535) {
            throw ProtocolException.invalid(what + ": port out of range: " + v);
        }
        return (int) v;
    }

    static void checkIpSize(int ipSize) {
        if (ipSize != Fields.IPV4_SIZE && ipSize != Fields.IPV6_SIZE) {
            throw new IllegalArgumentException("response IP size must be 16 or 46: " + ipSize);
        }
    }

    /**
     * The response IP size S of a body made of {@code fixed} bytes plus {@code n} records of
     * {@code perRecord(S)} bytes. S=16 is tried first, like the official clients do.
     */
    static int detectIpSize(int length, int fixed, int extra16, int extra46, boolean allowEmpty,
                            String what) throws ProtocolException {
        int rest = length - fixed;
        if (rest >= 0 && (allowEmpty || rest > 0)) {
            if (rest % extra16 == 0) {
                return Fields.IPV4_SIZE;
            }
            if (rest % extra46 == 0) {
                return Fields.IPV6_SIZE;
            }
        }
        throw ProtocolException.invalid(what + ": body length " + length + " fits neither IP size");
    }

    /** Fails unless {@code length} is a multiple of {@code recordSize} (and at least one record if required). */
    static int count(ByteBuffer in, int recordSize, boolean allowEmpty, String what) throws ProtocolException {
        int len = in.remaining();
        if (len % recordSize != 0 || (!allowEmpty && len == 0)) {
            throw ProtocolException.invalid(what + ": body length " + len + " is not a "
                    + (allowEmpty ? "" : "positive ") + "multiple of " + recordSize);
        }
        return len / recordSize;
    }

    static void putBool(ByteBuffer out, boolean b) {
        out.put((byte) (b ? 1 : 0));
    }
}
