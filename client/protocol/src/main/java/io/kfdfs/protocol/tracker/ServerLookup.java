package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 70 GET_SERVER_ID and 71 GET_STATUS (docs/protocol.md §5.2): group {@code str[16]} + the
 * storage's address as text, {@code ip:port} (IPv6 bracketed), 1 … 52 bytes.
 */
public record ServerLookup(String group, String host) implements Body {

    public static ServerLookup decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len <= Fields.GROUP_NAME_SIZE || len > Fields.GROUP_NAME_SIZE + Fields.MAX_IP_PORT_SIZE) {
            throw ProtocolException.invalid("server lookup: body length " + len + " not in 17.."
                    + (Fields.GROUP_NAME_SIZE + Fields.MAX_IP_PORT_SIZE));
        }
        return new ServerLookup(Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group"), Fields.getRest(body));
    }

    @Override
    public int size() {
        return Fields.GROUP_NAME_SIZE + Fields.length(host);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, host);
    }
}
