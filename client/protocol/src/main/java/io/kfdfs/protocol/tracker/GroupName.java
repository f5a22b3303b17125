package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * A lone group name {@code str[16]}: the request of 104/107 (query store with group), 90 (list one
 * group) and 108 (delete group), and the reply of 109 (get group name).
 */
public record GroupName(String group) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE;

    public static GroupName decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "group name");
        return new GroupName(Fields.getFixed(body, SIZE, "group"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, SIZE);
    }
}
