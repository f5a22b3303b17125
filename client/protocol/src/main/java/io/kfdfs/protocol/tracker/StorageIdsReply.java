package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reply of 69 STORAGE_FETCH_STORAGE_IDS (docs/protocol.md §5.2): total i32, count i32, then {@code count}
 * lines {@code id group host[:port][ rw=mode]\n} (without the newline here). The caller repeats with
 * start_index += count until it has {@code total}.
 */
public record StorageIdsReply(int total, List<String> lines) implements Body {

    public StorageIdsReply {
        lines = List.copyOf(lines);
    }

    public static StorageIdsReply decode(ByteBuffer body) throws ProtocolException {
        Fields.need(body, 8, "storage ids header");
        int total = body.getInt();
        int count = body.getInt();
        String text = Fields.getRest(body);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            lines.add(text.substring(start, nl));
            start = nl + 1;
        }
        if (start != text.length() || lines.size() != count || count > total) {
            throw ProtocolException.invalid("storage ids: count " + count + " (total " + total
                    + ") does not match " + lines.size() + " complete lines");
        }
        return new StorageIdsReply(total, lines);
    }

    @Override
    public int size() {
        int n = 8;
        for (String l : lines) {
            n += Fields.length(l) + 1;
        }
        return n;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putInt(total).putInt(lines.size());
        for (String l : lines) {
            Fields.putVar(out, l + "\n");
        }
    }
}
