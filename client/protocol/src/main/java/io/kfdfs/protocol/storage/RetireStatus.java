package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reply of KFDFS_RETIRE {@link RetireRequest#PREPARE}: whether every other member of the group has
 * received all of this storage's changes (ready byte 1/0), then one line of text per reason it is not,
 * e.g. {@code 100002 is OFFLINE and 12 records behind}.
 */
public record RetireStatus(boolean ready, List<String> reasons) implements Body {

    public RetireStatus {
        reasons = List.copyOf(reasons);
    }

    public static RetireStatus decode(ByteBuffer body) throws ProtocolException {
        int ready = Fields.getByte(body, "retire ready flag");
        String text = Fields.getRest(body);
        return new RetireStatus(ready != 0, text.isEmpty() ? List.of() : List.of(text.split("\n")));
    }

    private byte[] text() {
        return String.join("\n", reasons).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public int size() {
        return 1 + text().length;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.put((byte) (ready ? 1 : 0)).put(text());
    }
}
