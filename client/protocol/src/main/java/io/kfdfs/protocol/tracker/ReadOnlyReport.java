package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * KFDFS_STORAGE_READ_ONLY (kfdfs only), one byte: 1 while the storage takes no new files or changes (it
 * is being retired), so the tracker stops choosing it for uploads; 0 when it is writable again.
 */
public record ReadOnlyReport(boolean readOnly) implements Body {

    public static ReadOnlyReport decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, 1, "read-only report");
        return new ReadOnlyReport(body.get() != 0);
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) (readOnly ? 1 : 0));
    }
}
