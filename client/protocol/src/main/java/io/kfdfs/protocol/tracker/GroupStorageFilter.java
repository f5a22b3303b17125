package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Group {@code str[16]} followed by an optional, unpadded storage ID of up to 15 bytes: the request of
 * 92 LIST_STORAGE, 93 DELETE_STORAGE (ID required) and 94 SET_TRUNK_SERVER (docs/protocol.md §3.7–3.9).
 * An empty {@code storageId} means "no ID".
 */
public record GroupStorageFilter(String group, String storageId) implements Body {

    public static final int MAX_ID_LENGTH = Fields.STORAGE_ID_SIZE - 1;

    public static GroupStorageFilter decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len < Fields.GROUP_NAME_SIZE || len > Fields.GROUP_NAME_SIZE + MAX_ID_LENGTH) {
            throw ProtocolException.invalid("group/storage request: body length " + len + " not in 16.."
                    + (Fields.GROUP_NAME_SIZE + MAX_ID_LENGTH));
        }
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new GroupStorageFilter(group, Fields.getRest(body));
    }

    public boolean hasId() {
        return !storageId.isEmpty();
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + Fields.length(storageId);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, storageId);
    }
}
