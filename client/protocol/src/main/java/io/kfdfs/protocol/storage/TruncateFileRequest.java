package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** TRUNCATE_FILE (36), §4.10: name length, new size, appender remote filename. */
public record TruncateFileRequest(String filename, long newSize) implements Body {

    public static final int HEAD_SIZE = 8 + 8;

    public static TruncateFileRequest decode(ByteBuffer body) throws ProtocolException {
        int total = body.remaining();
        int n = Lengths.nameLength(body, 1, "truncate file name length");
        long newSize = Lengths.nonNegative(body, "truncate size");
        Lengths.expectBody(total, HEAD_SIZE + n, 0, "truncate");
        return new TruncateFileRequest(Fields.getVar(body, n, "truncate file name"), newSize);
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(filename)).putLong(newSize);
        Fields.putVar(out, filename);
    }
}
