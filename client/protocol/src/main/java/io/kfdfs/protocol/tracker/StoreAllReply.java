package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 106/107 QUERY_STORE_ALL (docs/protocol.md §3.2): group, every writable storage, then the store
 * path index computed for the first one. {@code 16 + n×(S+7) + 1} bytes.
 */
public record StoreAllReply(String group, List<ServerAddress> servers, int storePathIndex, int ipSize)
        implements Body {

    public StoreAllReply {
        Wire.checkIpSize(ipSize);
        servers = List.copyOf(servers);
    }

    public static StoreAllReply decode(ByteBuffer body) throws ProtocolException {
        int fixed = Fields.GROUP_NAME_SIZE + 1;
        int ipSize = Wire.detectIpSize(body.remaining(), fixed, ServerAddress.size(Fields.IPV4_SIZE),
                ServerAddress.size(Fields.IPV6_SIZE), false, "store-all reply");
        int n = (body.remaining() - fixed) / ServerAddress.size(ipSize);
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        List<ServerAddress> servers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            servers.add(ServerAddress.decode(body, ipSize));
        }
        return new StoreAllReply(group, servers, Fields.getByte(body, "store path index"), ipSize);
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + servers.size() * ServerAddress.size(ipSize) + 1;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        for (ServerAddress s : servers) {
            s.encodeTo(out, ipSize);
        }
        out.put((byte) storePathIndex);
    }
}
