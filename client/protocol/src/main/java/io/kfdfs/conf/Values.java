package io.kfdfs.conf;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Value syntaxes and checks shared by the conf keys. */
final class Values {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*([KMGT]?)B?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*([SMHD]?)", Pattern.CASE_INSENSITIVE);

    static final long MAX_SERVER_ID = 16777215;

    private Values() {
    }

    /** {@code 256KB}, {@code 4GB}, {@code 10M}, {@code 1t}, or bare bytes. */
    static long parseBytes(String s) {
        Matcher m = SIZE.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 1024, 256KB, 10M or 4GB");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return scale(m.group(1), 1L << shift);
    }

    /** Seconds: a bare number (as FastDFS writes every interval) or with an s/m/h/d unit. */
    static long parseSeconds(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected seconds, optionally with a unit: 30, 30s, 5m, 2h, 1d");
        }
        long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "M" -> 60;
            case "H" -> 3600;
            case "D" -> 86400;
            default -> 1;
        };
        return scale(m.group(1), unit);
    }

    /** A FastDFS group name: 1 to 16 characters [A-Za-z0-9] ({@code fdfs_validate_group_name}). */
    static String groupName(String s) {
        if (!s.matches("[A-Za-z0-9]{1,16}")) {
            throw new IllegalArgumentException("a group name is 1 to 16 characters A-Z, a-z, 0-9");
        }
        return s;
    }

    /**
     * A storage ID: a decimal 1..16777215 without leading zeros ({@code fdfs_is_server_id_valid}), since
     * IDs are compared as strings.
     */
    static String serverId(String s) {
        if (!s.matches("[1-9][0-9]{0,7}") || Long.parseLong(s) > MAX_SERVER_ID) {
            throw new IllegalArgumentException("a storage ID is a number 1.." + MAX_SERVER_ID
                    + " without leading zeros");
        }
        return s;
    }

    /** One of {@code allowed}, compared ignoring case, returned as written in {@code allowed}. */
    static String oneOf(String s, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(s.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
    }

    /** {@code name} relative to the directory of {@code confFile} unless absolute, as FastDFS resolves file names. */
    static Path besides(Path confFile, String name) {
        Path dir = confFile.toAbsolutePath().getParent();
        return dir == null ? Path.of(name) : dir.resolve(name);
    }

    private static long scale(String digits, long unit) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("value too large");
        }
    }
}
