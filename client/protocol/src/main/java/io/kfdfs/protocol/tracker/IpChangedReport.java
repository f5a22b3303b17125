package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * Request of 78 STORAGE_REPORT_IP_CHANGED (docs/protocol.md §5.2): group {@code str[16]}, old IP and new IP
 * ({@code str[46]} each), 108 bytes.
 */
public record IpChangedReport(String group, String oldIp, String newIp) implements Body {

    public static final int SIZE = Fields.GROUP_NAME_SIZE + 2 * Fields.IP_ADDRESS_SIZE;

    public static IpChangedReport decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, SIZE, "ip changed report");
        return new IpChangedReport(Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group"),
                Fields.getFixed(body, Fields.IP_ADDRESS_SIZE, "old ip"),
                Fields.getFixed(body, Fields.IP_ADDRESS_SIZE, "new ip"));
    }

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putFixed(out, oldIp, Fields.IP_ADDRESS_SIZE);
        Fields.putFixed(out, newIp, Fields.IP_ADDRESS_SIZE);
    }
}
