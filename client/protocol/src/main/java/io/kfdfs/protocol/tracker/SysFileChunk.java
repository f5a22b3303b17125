package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reply of 63 TRACKER_GET_ONE_SYS_FILE: the file's whole size i64, then up to {@link #MAX_DATA} bytes
 * starting at the requested offset.
 */
public record SysFileChunk(long fileSize, byte[] data) implements Body {

    /** The C tracker's chunk bound (docs/protocol.md §5.3). */
    public static final int MAX_DATA = 8181;

    public SysFileChunk {
        data = data.clone();
    }

    public static SysFileChunk decode(ByteBuffer body) throws ProtocolException {
        long size = Fields.getLong(body, "file size");
        if (size < 0 || body.remaining() > MAX_DATA || body.remaining() > size) {
            throw ProtocolException.invalid("sys file chunk: " + body.remaining() + " bytes of a " + size
                    + "-byte file");
        }
        return new SysFileChunk(size, Fields.getBytes(body, body.remaining(), "data"));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public int size() {
        return 8 + data.length;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(fileSize).put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SysFileChunk c && fileSize == c.fileSize && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fileSize) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SysFileChunk[fileSize=" + fileSize + ", " + data.length + " bytes]";
    }
}
