package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** REPORT_SERVER_ID (9), §4.13: the sending storage's ID {@code str[16]} (its IP in IP mode). */
public record ReportServerIdRequest(String storageId) implements Body {

    public static ReportServerIdRequest decode(ByteBuffer body) throws ProtocolException {
        Fields.expectLength(body, Fields.STORAGE_ID_SIZE, "report server id");
        String id = Fields.getFixed(body, Fields.STORAGE_ID_SIZE, "storage id");
        if (id.isEmpty()) {
            throw ProtocolException.invalid("report server id: empty storage id");
        }
        return new ReportServerIdRequest(id);
    }

    @Override
    public int size() {
        return Fields.STORAGE_ID_SIZE;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putFixed(out, storageId, Fields.STORAGE_ID_SIZE);
    }
}
