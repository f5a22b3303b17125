package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Reply of 102 QUERY_FETCH_ONE and 103 QUERY_UPDATE (docs/protocol.md §3.3): 39 bytes (S=16) or 69 (S=46). */
public record FetchReply(String group, ServerAddress server, int ipSize) implements Body {

    public FetchReply {
        Wire.checkIpSize(ipSize);
    }

    public static FetchReply decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        int ipSize;
        if (len == Fields.GROUP_NAME_SIZE + ServerAddress.size(Fields.IPV4_SIZE)) {
            ipSize = Fields.IPV4_SIZE;
        } else if (len == Fields.GROUP_NAME_SIZE + ServerAddress.size(Fields.IPV6_SIZE)) {
            ipSize = Fields.IPV6_SIZE;
        } else {
            throw ProtocolException.invalid("fetch reply: body length " + len + " is neither 39 nor 69");
        }
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        return new FetchReply(group, ServerAddress.decode(body, ipSize), ipSize);
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + ServerAddress.size(ipSize);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        server.encodeTo(out, ipSize);
    }
}
