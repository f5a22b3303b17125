package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** FETCH_ONE_PATH_BINLOG (26), §4.14: group {@code str[16]} + store path index u8 (exactly 17 bytes). */
public record FetchOnePathBinlogRequest(String group, int storePathIndex) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + 1;

    public static FetchOnePathBinlogRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "fetch one path binlog");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new FetchOnePathBinlogRequest(group, Fields.getByte(body, "store path index"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        out.put((byte) storePathIndex);
    }
}
