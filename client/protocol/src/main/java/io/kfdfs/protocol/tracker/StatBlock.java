package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The 348-byte storage statistics block (docs/protocol.md §3.7): three i32 connection counts, then the 42
 * i64 values of {@link Counter} in wire order. It is the body of a full BEAT (83) and part of the
 * storage-stat record of 92.
 */
public record StatBlock(int connAlloc, int connCurrent, int connMax, long[] values) implements Body {

    public static final int SIZE = 348;

    /** The i64 values in wire order; {@link #key()} is the name in storage_servers_new.dat. */
    public enum Counter {
        TOTAL_UPLOAD_COUNT, SUCCESS_UPLOAD_COUNT, TOTAL_APPEND_COUNT, SUCCESS_APPEND_COUNT,
        TOTAL_MODIFY_COUNT, SUCCESS_MODIFY_COUNT, TOTAL_TRUNCATE_COUNT, SUCCESS_TRUNCATE_COUNT,
        TOTAL_SET_META_COUNT, SUCCESS_SET_META_COUNT, TOTAL_DELETE_COUNT, SUCCESS_DELETE_COUNT,
        TOTAL_DOWNLOAD_COUNT, SUCCESS_DOWNLOAD_COUNT, TOTAL_GET_META_COUNT, SUCCESS_GET_META_COUNT,
        TOTAL_CREATE_LINK_COUNT, SUCCESS_CREATE_LINK_COUNT, TOTAL_DELETE_LINK_COUNT, SUCCESS_DELETE_LINK_COUNT,
        TOTAL_UPLOAD_BYTES, SUCCESS_UPLOAD_BYTES, TOTAL_APPEND_BYTES, SUCCESS_APPEND_BYTES,
        TOTAL_MODIFY_BYTES, SUCCESS_MODIFY_BYTES, TOTAL_DOWNLOAD_BYTES, SUCCESS_DOWNLOAD_BYTES,
        TOTAL_SYNC_IN_BYTES, SUCCESS_SYNC_IN_BYTES, TOTAL_SYNC_OUT_BYTES, SUCCESS_SYNC_OUT_BYTES,
        TOTAL_FILE_OPEN_COUNT, SUCCESS_FILE_OPEN_COUNT, TOTAL_FILE_READ_COUNT, SUCCESS_FILE_READ_COUNT,
        TOTAL_FILE_WRITE_COUNT, SUCCESS_FILE_WRITE_COUNT,
        LAST_SOURCE_UPDATE, LAST_SYNC_UPDATE, LAST_SYNCED_TIMESTAMP, LAST_HEART_BEAT_TIME;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final StatBlock ZERO = new StatBlock(0, 0, 0, new long[Counter.values().length]);

    public StatBlock {
        if (values.length != Counter.values().length) {
            throw new IllegalArgumentException("stat block needs " + Counter.values().length + " values");
        }
        values = values.clone();
    }

    public static StatBlock decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "stat block");
        return read(body);
    }

    /** A BEAT body: empty when no counter changed, else a full block (docs/protocol.md §5.1). */
    public static Optional<StatBlock> decodeBeat(ByteBuffer body) throws ProtocolException {
        return body.hasRemaining() ? Optional.of(decode(body)) : Optional.empty();
    }

    static StatBlock read(ByteBuffer in) throws ProtocolException {
        Fields.need(in, SIZE, "stat block");
        int alloc = in.getInt();
        int current = in.getInt();
        int max = in.getInt();
        long[] v = new long[Counter.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.getLong();
        }
        return new StatBlock(alloc, current, max, v);
    }

    public long get(Counter c) {
        return values[c.ordinal()];
    }

    /** A copy with one value replaced. */
    public StatBlock with(Counter c, long value) {
        long[] v = values.clone();
        v[c.ordinal()] = value;
        return new StatBlock(connAlloc, connCurrent, connMax, v);
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putInt(connAlloc).putInt(connCurrent).putInt(connMax);
        for (long v : values) {
            out.putLong(v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatBlock s && connAlloc == s.connAlloc && connCurrent == s.connCurrent
                && connMax == s.connMax && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * connAlloc + connCurrent) + connMax) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "StatBlock[conn=" + connAlloc + "/" + connCurrent + "/" + connMax + ", values="
                + Arrays.toString(values) + "]";
    }
}
