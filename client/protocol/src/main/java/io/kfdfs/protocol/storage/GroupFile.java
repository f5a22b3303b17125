package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Group {@code str[16]} + remote filename. It is the request body of DELETE_FILE (12, §4.3),
 * GET_METADATA (15, §4.6) and QUERY_FILE_INFO (22, §4.7; its flags travel in the header status byte),
 * and the reply body of the commands that create a name (11, 20, 21, 23, 38; §4.0).
 */
public record GroupFile(String group, String filename) implements Body {

    public static GroupFile decode(ByteBuffer body) throws ProtocolException {
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new GroupFile(group, Lengths.restName(body, "group + file name"));
    }

    /** The file ID {@code group/remote filename}. */
    public String fileId() {
        return group + "/" + filename;
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
    }
}
