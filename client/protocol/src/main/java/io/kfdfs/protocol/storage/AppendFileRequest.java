package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** APPEND_FILE (24), §4.8: name length, byte count, appender remote filename, then the content. */
public record AppendFileRequest(String filename, long length) implements ContentRequest {

    public static final int HEAD_SIZE = 8 + 8;
    public static final int MAX_FIXED_SIZE = HEAD_SIZE + Fields.MAX_FILENAME_LENGTH;

    public static AppendFileRequest decode(ByteBuffer body) throws ProtocolException {
        return decode(body, body.remaining());
    }

    public static AppendFileRequest decode(ByteBuffer in, long bodyLength) throws ProtocolException {
        int n = Lengths.nameLength(in, 1, "append file name length");
        long length = Lengths.nonNegative(in, "append bytes");
        Lengths.expectBody(bodyLength, HEAD_SIZE + n, length, "append");
        return new AppendFileRequest(Fields.getVar(in, n, "append file name"), length);
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(filename)).putLong(length);
        Fields.putVar(out, filename);
    }
}
