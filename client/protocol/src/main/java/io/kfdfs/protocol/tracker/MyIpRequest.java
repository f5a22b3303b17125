package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 60 STORAGE_GET_MY_IP: group {@code str[17]} + port i32, 21 bytes; the 16-byte pre-6.16 form
 * is rejected, as by the C tracker (testdata/vectors/NOTES.md D5). The reply is the caller's IP as {@link TextBody}.
 */
public record MyIpRequest(String group, int port) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + 1 + 4;

    public static MyIpRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "get my ip");
        return new MyIpRequest(Fields.getFixed(body, Fields.GROUP_NAME_SIZE + 1, "group"), body.getInt());
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE + 1);
        out.putInt(port);
    }
}
