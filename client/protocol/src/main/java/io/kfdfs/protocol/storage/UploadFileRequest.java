package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * UPLOAD_FILE (11) and UPLOAD_APPENDER_FILE (23), §4.1: store path index (signed byte, -1 = the storage
 * chooses), file size, extension {@code str[6]}, then the content.
 */
public record UploadFileRequest(int storePathIndex, long fileSize, String ext) implements ContentRequest {

    public static final int FIXED_SIZE = 1 + 8 + Fields.EXT_NAME_SIZE;
    /** Store path byte 0xFF: let the storage choose. */
    public static final int ANY_STORE_PATH = -1;

    public static UploadFileRequest decode(ByteBuffer body) throws ProtocolException {
        return decode(body, body.remaining());
    }

    public static UploadFileRequest decode(ByteBuffer in, long bodyLength) throws ProtocolException {
        Fields.need(in, FIXED_SIZE, "upload request");
        int path = in.get();
        if (path < ANY_STORE_PATH) {
            throw ProtocolException.invalid("upload: invalid store path index " + path);
        }
        long size = Lengths.nonNegative(in, "upload file size");
        String ext = Fields.getFixed(in, Fields.EXT_NAME_SIZE, "upload ext");
        if (!FileName.validToken(ext, Fields.EXT_NAME_SIZE)) {
            throw ProtocolException.invalid("upload: invalid extension " + ext);
        }
        Lengths.expectBody(bodyLength, FIXED_SIZE, size, "upload");
        return new UploadFileRequest(path, size, ext);
    }

    @Override
    public long contentLength() {
        return fileSize;
    }

    @Override
    public int size() {
        return FIXED_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) storePathIndex).putLong(fileSize);
        Fields.putFixed(out, ext, Fields.EXT_NAME_SIZE);
    }
}
