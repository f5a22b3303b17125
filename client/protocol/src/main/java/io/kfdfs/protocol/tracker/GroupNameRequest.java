package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 109 STORAGE_GET_GROUP_NAME (docs/protocol.md §5.2): optional IP text, then port i32. An empty
 * {@code ip} means "the caller's IP". The reply is a {@link GroupName}.
 */
public record GroupNameRequest(String ip, int port) implements Body {

    /** Longer IP texts are answered with ENAMETOOLONG by the tracker; the codec bounds the field. */
    public static final int MAX_IP_LENGTH = Fields.IPV6_SIZE - 1;

    public static GroupNameRequest decode(ByteBuffer body) throws ProtocolException {
        int len = body.remaining();
        if (len < 4 || len > 4 + Fields.MAX_IP_PORT_SIZE) {
            throw ProtocolException.invalid("get group name: body length " + len + " not in 4.."
                    + (4 + Fields.MAX_IP_PORT_SIZE));
        }
        String ip = Fields.getVar(body, len - 4, "ip");
        return new GroupNameRequest(ip, body.getInt());
    }

    @Override
    public int size() {
        return Fields.length(ip) + 4;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putVar(out, ip);
        out.putInt(port);
    }
}
