package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * KFDFS_DRAIN (kfdfs only), client to tracker: group {@code str[16]}, a byte (1: drained, 0: not), then the
 * storage ID (its IP in IP mode) as text. A drained member is chosen for no upload by this tracker, whatever
 * it is (a C storage cannot say it is read-only itself), until undrained, deleted or the tracker restarts.
 */
public record DrainRequest(String group, boolean drained, String storageId) implements Body {

    public static final int MAX_SIZE = Fields.GROUP_NAME_SIZE + 1 + GroupStorageFilter.MAX_ID_LENGTH;

    public static DrainRequest decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len < Fields.GROUP_NAME_SIZE + 2 || len > MAX_SIZE) {
            throw ProtocolException.invalid("drain request: body length " + len + " not in "
                    + (Fields.GROUP_NAME_SIZE + 2) + ".." + MAX_SIZE);
        }
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        byte flag = body.get();
        if (flag != 0 && flag != 1) {
            throw ProtocolException.invalid("drain request: flag " + flag + " is neither 0 nor 1");
        }
        return new DrainRequest(group, flag == 1, Fields.getRest(body));
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + 1 + Fields.length(storageId);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        out.put((byte) (drained ? 1 : 0));
        Fields.putVar(out, storageId);
    }
}
