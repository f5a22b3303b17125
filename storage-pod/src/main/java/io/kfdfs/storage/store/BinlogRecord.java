package io.kfdfs.storage.store;

/**
 * One binlog line (docs/protocol.md §9.1): {@code <timestamp> <op> <filename>[ <extra>]}. For links and
 * renames {@code name} is the link / new name and {@code other} the target / old name; for appends,
 * modifies and truncates {@code first} and {@code second} are the two numbers of the extra field
 * (offset and length, or old and new size).
 *
 * <p>C 6.16.1 writes its own {@code L} lines with an empty link name (testdata/vectors/NOTES.md D9): such a record
 * parses with an empty {@code name}, and the sender skips it instead of stalling as C does.
 */
public record BinlogRecord(long timestamp, char op, String name, String other, long first, long second) {

    /** Parses a line without its newline; null if it is not a binlog record. */
    public static BinlogRecord parse(String line) {
        int s1 = line.indexOf(' ');
        if (s1 <= 0 || line.length() < s1 + 3 || line.charAt(s1 + 2) != ' ') {
            return null;
        }
        long ts;
        try {
            ts = Long.parseLong(line.substring(0, s1));
        } catch (NumberFormatException e) {
            return null;
        }
        char op = line.charAt(s1 + 1);
        String rest = line.substring(s1 + 3);
        switch (Character.toUpperCase(op)) {
            case Binlog.CREATE, Binlog.DELETE, Binlog.UPDATE -> {
                return rest.isEmpty() || rest.indexOf(' ') >= 0 ? null : new BinlogRecord(ts, op, rest, "", 0, 0);
            }
            case Binlog.LINK, Binlog.RENAME -> {
                int sp = rest.indexOf(' ');
                if (sp < 0 || sp == rest.length() - 1) {
                    return null;
                }
                return new BinlogRecord(ts, op, rest.substring(0, sp), rest.substring(sp + 1), 0, 0);
            }
            case Binlog.APPEND, Binlog.MODIFY, Binlog.TRUNCATE -> {
                String[] parts = rest.split(" ");
                if (parts.length != 3 || parts[0].isEmpty()) {
                    return null;
                }
                try {
                    return new BinlogRecord(ts, op, parts[0], "", Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            default -> {
                return null;
            }
        }
    }

    /** Uppercase: the change was made on this storage; lowercase: a peer replicated it here. */
    public boolean local() {
        return Character.isUpperCase(op);
    }

    /** The operation regardless of where it was made. */
    public char kind() {
        return Character.toUpperCase(op);
    }

    @Override
    public String toString() {
        String extra = switch (kind()) {
            case Binlog.LINK, Binlog.RENAME -> " " + other;
            case Binlog.APPEND, Binlog.MODIFY, Binlog.TRUNCATE -> " " + first + " " + second;
            default -> "";
        };
        return timestamp + " " + op + " " + name + extra;
    }
}
