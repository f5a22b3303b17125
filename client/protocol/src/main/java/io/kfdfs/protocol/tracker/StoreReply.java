package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Reply of 101/104 QUERY_STORE_ONE (docs/protocol.md §3.1): group, the storage's address and the store path
 * index to upload into. 40 bytes with S=16, 70 with S=46.
 */
public record StoreReply(String group, ServerAddress server, int storePathIndex, int ipSize) implements Body {

    public StoreReply {
        Wire.checkIpSize(ipSize);
    }

    public static StoreReply decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        int ipSize;
        if (len == size16()) {
            ipSize = Fields.IPV4_SIZE;
        } else if (len == Fields.GROUP_NAME_SIZE + ServerAddress.size(Fields.IPV6_SIZE) + 1) {
            ipSize = Fields.IPV6_SIZE;
        } else {
            throw ProtocolException.invalid("store reply: body length " + len + " is neither 40 nor 70");
        }
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        ServerAddress server = ServerAddress.decode(body, ipSize);
        return new StoreReply(group, server, Fields.getByte(body, "store path index"), ipSize);
    }

    private static int size16() {
        return Fields.GROUP_NAME_SIZE + ServerAddress.size(Fields.IPV4_SIZE) + 1;
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + ServerAddress.size(ipSize) + 1;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        server.encodeTo(out, ipSize);
        out.put((byte) storePathIndex);
    }
}
