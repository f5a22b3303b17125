package io.kfdfs.protocol;

/**
 * A remote filename ({@code Mxx/HH/HH/name}, docs/protocol.md §4.0, §7.1): the file ID without its group.
 * {@link #parse} mirrors C's {@code storage_split_filename_ex} + {@code fdfs_check_data_filename} and is
 * stricter where a lax check could let a name escape its store path: the name part may only hold
 * {@code [A-Za-z0-9._:-]} (base64, slave prefixes, extensions; {@code :} appears in rare C tails) and
 * never {@code ..}.
 *
 * @param text           the name exactly as sent (binlog records and replies use it unchanged)
 * @param storePathIndex the {@code Mxx} index (0 for the legacy form without {@code Mxx/})
 * @param high           first directory level
 * @param low            second directory level
 * @param name           the file's name inside {@code HH/HH/}
 */
public record RemoteFilename(String text, int storePathIndex, int high, int low, String name) {

    /** Length of {@code Mxx/HH/HH/}. */
    public static final int LOGIC_PATH_LENGTH = 10;

    public static RemoteFilename parse(String text) throws ProtocolException {
        if (text == null || text.isEmpty()) {
            throw ProtocolException.invalid("empty file name");
        }
        if (text.length() > Fields.MAX_FILENAME_LENGTH) {
            throw ProtocolException.invalid("file name longer than " + Fields.MAX_FILENAME_LENGTH + ": " + text.length());
        }
        if (text.length() <= LOGIC_PATH_LENGTH) {
            throw ProtocolException.invalid("file name too short: " + printable(text));
        }
        int storePath = 0;
        String rest = text;
        // Names without "Mxx/" are the pre-V1.12 form, relative to store path 0 (C accepts them too).
        if (text.charAt(0) == 'M') {
            storePath = hex2(text, 1);
            if (storePath < 0 || text.charAt(3) != '/') {
                throw ProtocolException.invalid("bad store path part in " + printable(text));
            }
            rest = text.substring(4);
        }
        if (rest.length() < 7) {
            throw ProtocolException.invalid("file name too short: " + printable(text));
        }
        int high = hex2(rest, 0);
        int low = hex2(rest, 3);
        if (high < 0 || low < 0 || rest.charAt(2) != '/' || rest.charAt(5) != '/') {
            throw ProtocolException.invalid("bad HH/HH directory part in " + printable(text));
        }
        String name = rest.substring(6);
        checkName(name, text);
        return new RemoteFilename(text, storePath, high, low, name);
    }

    /** The data file's path below {@code <store_path>/data/}: {@code HH/HH/name}. */
    public String dataPath() {
        return FileName.hex2(high) + "/" + FileName.hex2(low) + "/" + name;
    }

    /** The metadata file's path below {@code <store_path>/data/}. */
    public String metadataPath() {
        return dataPath() + Metadata.FILE_SUFFIX;
    }

    @Override
    public String toString() {
        return text;
    }

    private static void checkName(String name, String text) throws ProtocolException {
        if (name.isEmpty()) {
            throw ProtocolException.invalid("empty name part in " + printable(text));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':';
            if (!ok) {
                throw ProtocolException.invalid("invalid character 0x" + Integer.toHexString(c)
                        + " in file name " + printable(text));
            }
        }
        if (name.contains("..")) {
            throw ProtocolException.invalid("'..' in file name " + printable(text));
        }
    }

    /** Two uppercase hex digits at {@code at}, or -1. */
    private static int hex2(String s, int at) {
        if (s.length() < at + 2) {
            return -1;
        }
        int h = hexDigit(s.charAt(at));
        int l = hexDigit(s.charAt(at + 1));
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The name for an error message, control characters escaped so logs stay one line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
