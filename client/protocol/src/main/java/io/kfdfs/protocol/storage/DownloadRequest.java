package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** DOWNLOAD_FILE (14), §4.5: offset, byte count (0 = to the end), group, remote filename. */
public record DownloadRequest(long offset, long length, String group, String filename) implements Body {

    public static final int HEAD_SIZE = 8 + 8 + Fields.GROUP_NAME_SIZE;

    public static DownloadRequest decode(ByteBuffer body) throws ProtocolException {
        long offset = Lengths.nonNegative(body, "download offset");
        long length = Lengths.nonNegative(body, "download bytes");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new DownloadRequest(offset, length, group, Lengths.restName(body, "download"));
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(offset).putLong(length);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
    }
}
