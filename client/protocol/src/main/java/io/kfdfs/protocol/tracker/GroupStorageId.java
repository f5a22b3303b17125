package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Group {@code str[16]} + storage ID {@code str[16]} (32 bytes): the request of 86 SYNC_SRC_REQ (the
 * destination's ID) and of 77 CHANGELOG_REQ on a connection that has not joined.
 */
public record GroupStorageId(String group, String storageId) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + Fields.STORAGE_ID_SIZE;

    public static GroupStorageId decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "group + storage id");
        return new GroupStorageId(Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group"),
                Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "storage id"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putFixed(out, storageId, Fields.STORAGE_ID_SIZE);
    }
}
