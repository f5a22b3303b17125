package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reply of 75 STORAGE_PARAMETER_REQ (docs/protocol.md §5.2): {@code key=value\n} lines, in the order given
 * (the map keeps insertion order).
 */
public record Parameters(Map<String, String> values) implements Body {

    public Parameters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Parameters decode(ByteBuffer body) throws ProtocolException {
        String text = Fields.getRest(body);
        Map<String, String> values = new LinkedHashMap<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            String line = text.substring(start, nl);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw ProtocolException.invalid("parameters: line without key=value: " + line);
            }
            values.put(line.substring(0, eq), line.substring(eq + 1));
            start = nl + 1;
        }
        if (start != text.length()) {
            throw ProtocolException.invalid("parameters: unterminated last line");
        }
        return new Parameters(values);
    }

    public String get(String key) {
        return values.get(key);
    }

    /** A boolean parameter as C writes it ("1"), or as a conf file may ("true"); false when absent. */
    public boolean flag(String key) {
        String v = values.get(key);
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    @Override
    public int size() {
        return Fields.length(text());
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putVar(out, text());
    }
}
