package io.kfdfs.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packed metadata (docs/protocol.md §8): {@code name 0x02 value} items joined by {@code 0x01}. Names and
 * values are byte strings held as ISO-8859-1 text (one char per byte), so they round-trip unchanged
 * whatever charset the client used. It is also the GET_METADATA response body.
 */
public record Metadata(List<Entry> entries) implements Body {

    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_VALUE_LENGTH = 256;
    public static final char RECORD_SEPARATOR = '\u0001';
    public static final char FIELD_SEPARATOR = '\u0002';
    /** Suffix of the metadata file next to a data file. */
    public static final String FILE_SUFFIX = "-m";

    public static final Metadata EMPTY = new Metadata(List.of());

    /** Byte-wise (C {@code strcmp}) order; ISO-8859-1 chars compare like unsigned bytes. */
    private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::name);

    public record Entry(String name, String value) {
    }

    public Metadata {
        entries = List.copyOf(entries);
    }

    /** Parses packed bytes as C does: items without a field separator are dropped, long parts truncated. */
    public static Metadata parse(String packed) {
        if (packed.isEmpty()) {
            return EMPTY;
        }
        List<Entry> list = new ArrayList<>();
        for (String item : packed.split(String.valueOf(RECORD_SEPARATOR), -1)) {
            int sep = item.indexOf(FIELD_SEPARATOR);
            if (sep < 0) {
                continue;
            }
            list.add(new Entry(truncate(item.substring(0, sep), MAX_NAME_LENGTH),
                    truncate(item.substring(sep + 1), MAX_VALUE_LENGTH)));
        }
        return new Metadata(list);
    }

    public static Metadata parse(byte[] packed) {
        return parse(new String(packed, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** Reads the whole remaining buffer (the GET_METADATA reply body). */
    public static Metadata decode(ByteBuffer body) {
        return parse(Fields.getRest(body));
    }

    public static Metadata of(Map<String, String> items) {
        List<Entry> list = new ArrayList<>();
        items.forEach((k, v) -> list.add(new Entry(k, v)));
        return new Metadata(list);
    }

    /** The same items sorted by name, as the storage writes them. */
    public Metadata sorted() {
        List<Entry> list = new ArrayList<>(entries);
        list.sort(BY_NAME);
        return new Metadata(list);
    }

    /** SET_METADATA's merge: the existing items, overridden and extended by {@code update}, sorted by name. */
    public Metadata merge(Metadata update) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            map.put(e.name(), e.value());
        }
        for (Entry e : update.entries()) {
            map.put(e.name(), e.value());
        }
        return of(map).sorted();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public String packed() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (sb.length() > 0) {
                sb.append(RECORD_SEPARATOR);
            }
            sb.append(e.name()).append(FIELD_SEPARATOR).append(e.value());
        }
        return sb.toString();
    }

    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            map.put(e.name(), e.value());
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public int size() {
        return Fields.length(packed());
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putVar(out, packed());
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
