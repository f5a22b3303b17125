package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** MODIFY_FILE (34), §4.9: name length, file offset, byte count, appender remote filename, content. */
public record ModifyFileRequest(String filename, long offset, long length) implements ContentRequest {

    public static final int HEAD_SIZE = 8 + 8 + 8;
    public static final int MAX_FIXED_SIZE = HEAD_SIZE + Fields.MAX_FILENAME_LENGTH;

    public static ModifyFileRequest decode(ByteBuffer body) throws ProtocolException {
        return decode(body, body.remaining());
    }

    public static ModifyFileRequest decode(ByteBuffer in, long bodyLength) throws ProtocolException {
        int n = Lengths.nameLength(in, 1, "modify file name length");
        long offset = Lengths.nonNegative(in, "modify offset");
        long length = Lengths.nonNegative(in, "modify bytes");
        Lengths.expectBody(bodyLength, HEAD_SIZE + n, length, "modify");
        return new ModifyFileRequest(Fields.getVar(in, n, "modify file name"), offset, length);
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
        out.putLong(Fields.length(filename)).putLong(offset).putLong(length);
        Fields.putVar(out, filename);
    }
}
