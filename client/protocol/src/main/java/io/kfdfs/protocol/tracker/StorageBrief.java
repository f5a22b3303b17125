package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * The 67-byte storage brief (docs/protocol.md §5.1): status u8, port i32, id {@code str[16]}, IP
 * {@code str[46]}. Records of change notifications, REPLICA_CHG (85), REPORT_STATUS (76) and the reply
 * of GET_STATUS (71).
 */
public record StorageBrief(int status, int port, String id, String ip) implements Body {

    public static final int SIZE = 1 + 4 + Fields.STORAGE_ID_SIZE + Fields.IP_ADDRESS_SIZE;

    public static StorageBrief decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "storage brief");
        return read(body);
    }

    static StorageBrief read(ByteBuffer in) throws ProtocolException {
        Fields.need(in, SIZE, "storage brief");
        int status = in.get() & 0xFF;
        int port = in.getInt();
        String id = Fields.getFixed(in, Fields.STORAGE_ID_SIZE, "id");
        return new StorageBrief(status, port, id, Fields.getFixed(in, Fields.IP_ADDRESS_SIZE, "ip"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) status).putInt(port);
        Fields.putFixed(out, id, Fields.STORAGE_ID_SIZE);
        Fields.putFixed(out, ip, Fields.IP_ADDRESS_SIZE);
    }
}
