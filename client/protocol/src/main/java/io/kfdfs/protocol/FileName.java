package io.kfdfs.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.random.RandomGenerator;

/**
 * The file-name codec of docs/protocol.md §7: the 20-byte block (source, timestamp, size field, CRC-32) as
 * 27 base64 characters, the 7-character extension tail, slave names (§7.5) and regenerated appender
 * names (§4.11).
 */
public final class FileName {

    public static final long APPENDER_FLAG = 1L << 58;
    public static final long TRUNK_FLAG = 1L << 59;
    public static final int BASE64_LENGTH = 27;
    public static final int TAIL_LENGTH = 7;
    /** Remote filename length of a normal or appender file: {@code Mxx/HH/HH/} + 27 + 7. */
    public static final int NORMAL_LENGTH = 44;
    /** Remote filename length of a trunked file (16 more characters of trunk info). */
    public static final int TRUNK_LENGTH = 60;
    public static final int MAX_SERVER_ID = 16777215;
    public static final String METADATA_PREFIX_FORBIDDEN = "-m";

    private FileName() {
    }

    /**
     * The 20-byte block.
     *
     * @param source    the source field read little-endian (§7.2): 1…16777215 is a server ID, anything
     *                  else an IPv4 address whose octets are the bytes in order
     * @param timestamp creation time, unix seconds (an unsigned 32-bit value on the wire)
     * @param sizeField the size field with its flag and random bits
     * @param crc32     CRC-32 of the (initial) content
     */
    public record Block(int source, long timestamp, long sizeField, int crc32) {

        public static Block decode(byte[] twenty) throws ProtocolException {
            if (twenty.length != 20) {
                throw ProtocolException.invalid("file name block must be 20 bytes, got " + twenty.length);
            }
            ByteBuffer b = ByteBuffer.wrap(twenty);
            int source = b.order(ByteOrder.LITTLE_ENDIAN).getInt();
            b.order(ByteOrder.BIG_ENDIAN);
            long ts = b.getInt() & 0xFFFFFFFFL;
            return new Block(source, ts, b.getLong(), b.getInt());
        }

        /** Decodes the 27 base64 characters. */
        public static Block decode(String base64) throws ProtocolException {
            if (base64.length() != BASE64_LENGTH) {
                throw ProtocolException.invalid("file name block must be 27 characters: " + base64);
            }
            for (int i = 0; i < base64.length(); i++) {
                if (!FdfsBase64.isAlphabet(base64.charAt(i))) {
                    throw ProtocolException.invalid("invalid base64 character in file name block " + base64);
                }
            }
            return decode(FdfsBase64.decode(base64));
        }

        public byte[] bytes() {
            ByteBuffer b = ByteBuffer.allocate(20);
            b.order(ByteOrder.LITTLE_ENDIAN).putInt(source);
            b.order(ByteOrder.BIG_ENDIAN).putInt((int) timestamp).putLong(sizeField).putInt(crc32);
            return b.array();
        }

        public String base64() {
            return FdfsBase64.encode(bytes());
        }

        public boolean isServerId() {
            return source >= 1 && source <= MAX_SERVER_ID;
        }

        /** The server ID, or 0 when the source is an IPv4 address. */
        public int serverId() {
            return isServerId() ? source : 0;
        }

        /** The IPv4 address, or "" when the source is a server ID. */
        public String ipv4() {
            if (isServerId()) {
                return "";
            }
            return (source & 0xFF) + "." + ((source >>> 8) & 0xFF) + "." + ((source >>> 16) & 0xFF) + "."
                    + (source >>> 24);
        }

        public boolean isAppender() {
            return (sizeField & APPENDER_FLAG) != 0;
        }

        public boolean isTrunk() {
            return (sizeField & TRUNK_FLAG) != 0;
        }

        /** The content size the name records (§7.2; meaningless for appenders). */
        public long size() {
            if (sizeField < 0 || isTrunk()) {
                return sizeField & 0xFFFFFFFFL;
            }
            return sizeField;
        }
    }

    /** The source field for a storage that writes its numeric server ID (1 … 16777215). */
    public static int sourceOfServerId(long serverId) {
        if (serverId < 1 || serverId > MAX_SERVER_ID) {
            throw new IllegalArgumentException("numeric server IDs are 1.." + MAX_SERVER_ID + ": " + serverId);
        }
        return (int) serverId;
    }

    /** The source field for a storage that writes its IPv4 address. */
    public static int sourceOfIpv4(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            v |= octet << (8 * i);
        }
        return v;
    }

    /**
     * The size field (§7.2): appender → random high word and the appender flag; normal below 4 GiB →
     * random high word with bit 63 set and the size; 4 GiB or more → the plain size.
     */
    public static long sizeField(long size, boolean appender, int random) {
        long r = 0x80000000L | (random & 0x007FFFFFL);
        if (appender) {
            return (r << 32) | APPENDER_FLAG;
        }
        if (size >>> 32 != 0) {
            return size;
        }
        return (r << 32) | size;
    }

    /** The 7-character extension tail: random digits, then {@code .ext} if there is an extension. */
    public static String extensionTail(String ext, RandomGenerator random) {
        checkExtension(ext);
        StringBuilder sb = new StringBuilder(TAIL_LENGTH);
        int digits = ext.isEmpty() ? TAIL_LENGTH : Fields.EXT_NAME_SIZE - ext.length();
        for (int i = 0; i < digits; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        if (!ext.isEmpty()) {
            sb.append('.').append(ext);
        }
        return sb.toString();
    }

    /** Extensions are at most 6 characters of {@code [A-Za-z0-9._-]} (C answers EINVAL otherwise). */
    public static void checkExtension(String ext) {
        if (!validToken(ext, Fields.EXT_NAME_SIZE)) {
            throw new IllegalArgumentException("invalid file extension: " + RemoteFilename.printable(ext));
        }
    }

    /** True if {@code s} has at most {@code max} characters, all of {@code [A-Za-z0-9._-]}. */
    public static boolean validToken(String s, int max) {
        if (s == null || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code Mxx/HH/HH/} + block + tail. */
    public static String remoteFilename(int storePathIndex, int high, int low, Block block, String tail) {
        return "M" + hex2(storePathIndex) + "/" + hex2(high) + "/" + hex2(low) + "/" + block.base64() + tail;
    }

    /**
     * {@code value} (0-255) as two upper-case hex digits, as store paths ({@code Mxx}) and data
     * directories ({@code HH}) are named; on every upload and download, so not {@code String.format}.
     */
    public static String hex2(int value) {
        return new String(new char[] {HEX_DIGITS[(value >> 4) & 0xF], HEX_DIGITS[value & 0xF]});
    }

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    /**
     * The slave name of §7.5: the master up to the {@code .} of its extension tail, the prefix, then
     * {@code .ext} (nothing when {@code ext} is empty, {@code ext} unchanged when it starts with a dot).
     */
    public static String slaveName(String master, String prefix, String ext) throws ProtocolException {
        if (master.length() < TAIL_LENGTH) {
            throw ProtocolException.invalid("master file name too short: " + master);
        }
        int dot = master.indexOf('.', master.length() - TAIL_LENGTH);
        String base = dot < 0 ? master : master.substring(0, dot);
        String extPart = ext.isEmpty() ? "" : ext.charAt(0) == '.' ? ext : "." + ext;
        String masterExt = dot < 0 ? "" : master.substring(dot);
        if (extPart.isEmpty() && prefix.equals(METADATA_PREFIX_FORBIDDEN)) {
            throw ProtocolException.invalid("slave prefix -m without extension collides with metadata files");
        }
        if (prefix.isEmpty() && extPart.equals(masterExt)) {
            throw ProtocolException.invalid("slave name would equal the master name");
        }
        String slave = base + prefix + extPart;
        if (slave.length() > Fields.MAX_FILENAME_LENGTH) {
            throw ProtocolException.invalid("slave file name longer than " + Fields.MAX_FILENAME_LENGTH);
        }
        return slave;
    }

    /**
     * The normal name an appender file gets from REGENERATE_APPENDER_FILENAME (§4.11): same
     * {@code Mxx/HH/HH/}, same extension tail, a new block.
     */
    public static String regenerated(RemoteFilename appender, Block block) throws ProtocolException {
        String text = appender.text();
        if (text.length() < NORMAL_LENGTH) {
            throw ProtocolException.invalid("not an appender file name: " + text);
        }
        String head = text.substring(0, text.length() - appender.name().length());
        return head + block.base64() + text.substring(text.length() - TAIL_LENGTH);
    }

    /** The block of a remote filename: the 27 characters after {@code Mxx/HH/HH/}. */
    public static Block blockOf(RemoteFilename remote) throws ProtocolException {
        if (remote.name().length() < BASE64_LENGTH + TAIL_LENGTH) {
            throw ProtocolException.invalid("file name too short to carry a name block: " + remote.text());
        }
        return Block.decode(remote.name().substring(0, BASE64_LENGTH));
    }

    /** C's {@code IS_SLAVE_FILE}: longer than a trunk name, or longer than a normal name without the trunk bit. */
    public static boolean isSlave(int remoteLength, Block block) {
        return remoteLength > TRUNK_LENGTH || (remoteLength > NORMAL_LENGTH && !block.isTrunk());
    }
}
