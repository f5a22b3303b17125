package io.kfdfs.storage.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code key=value} files a storage keeps under {@code <base_path>/data} (docs/protocol.md §10.6). Writes
 * go to a temporary file that is renamed over the old one, so a crash leaves the old or the new content,
 * never half of it.
 */
public final class IniFile {

    private IniFile() {
    }

    /** The file's pairs in file order, or an empty map if it does not exist. */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> kv = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return kv;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            String s = line.strip();
            int eq = s.indexOf('=');
            if (eq > 0 && !s.startsWith("#")) {
                kv.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
            }
        }
        return kv;
    }

    public static void write(Path file, Map<String, ?> values) throws IOException {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.ISO_8859_1);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A non-negative integer value, {@code def} when absent. */
    public static long getLong(Map<String, String> kv, String key, long def, Path file) throws IOException {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " is not a number: \"" + v + "\"");
        }
    }
}
