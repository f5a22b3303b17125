package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 76 STORAGE_REPORT_STATUS (docs/protocol.md §5.2): group {@code str[16]} + the brief of the
 * storage whose status changes (its port is sent as 0, testdata/vectors/NOTES.md C4).
 */
public record StatusReport(String group, StorageBrief storage) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + StorageBrief.SIZE;

    public static StatusReport decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "status report");
        return new StatusReport(Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group"), StorageBrief.read(body));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        storage.encodeTo(out);
    }
}
