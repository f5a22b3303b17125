package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * UPLOAD_SLAVE_FILE (21), §4.2: master name length, file size, prefix {@code str[16]}, extension
 * {@code str[6]}, master remote filename, then the content.
 */
public record UploadSlaveRequest(String masterFilename, long fileSize, String prefix, String ext)
        implements ContentRequest {

    /** The fixed part before the master name. */
    public static final int HEAD_SIZE = 8 + 8 + Fields.PREFIX_SIZE + Fields.EXT_NAME_SIZE;
    /** The longest fixed part, for reading it before the content arrives. */
    public static final int MAX_FIXED_SIZE = HEAD_SIZE + Fields.MAX_FILENAME_LENGTH;

    public static UploadSlaveRequest decode(ByteBuffer body) throws ProtocolException {
        return decode(body, body.remaining());
    }

    public static UploadSlaveRequest decode(ByteBuffer in, long bodyLength) throws ProtocolException {
        int m = (int) Lengths.get(in, 11, Fields.MAX_FILENAME_LENGTH, "slave master name length");
        long size = Lengths.nonNegative(in, "slave file size");
        String prefix = Fields.getFixed(in, Fields.PREFIX_SIZE, "slave prefix");
        String ext = Fields.getFixed(in, Fields.EXT_NAME_SIZE, "slave ext");
        if (prefix.isEmpty() || !FileName.validToken(prefix, Fields.PREFIX_SIZE)) {
            throw ProtocolException.invalid("slave: invalid prefix \"" + prefix + "\"");
        }
        if (!FileName.validToken(ext, Fields.EXT_NAME_SIZE)) {
            throw ProtocolException.invalid("slave: invalid extension " + ext);
        }
        Lengths.expectBody(bodyLength, HEAD_SIZE + m, size, "slave upload");
        String master = Fields.getVar(in, m, "slave master name");
        return new UploadSlaveRequest(master, size, prefix, ext);
    }

    @Override
    public long contentLength() {
        return fileSize;
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(masterFilename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(masterFilename)).putLong(fileSize);
        Fields.putFixed(out, prefix, Fields.PREFIX_SIZE);
        Fields.putFixed(out, ext, Fields.EXT_NAME_SIZE);
        Fields.putVar(out, masterFilename);
    }
}
