package io.kfdfs.protocol;

/**
 * What a file ID tells without asking a server, decoded as C's {@code fdfs_get_file_info} does
 * (docs/protocol.md §7.7).
 *
 * @param serverId   the source storage's numeric ID, 0 when the name carries an IPv4 address
 * @param sourceIp   the embedded IPv4 address, "" when the name carries a server ID
 * @param size       content size for normal files; -1 (unknown) for appender and slave files
 * @param crc32      CRC-32 from the name (of the initial content for appenders)
 */
public record FileInfo(Type type, int serverId, String sourceIp, long createTime, long size, int crc32) {

    public enum Type { NORMAL, APPENDER, SLAVE }

    public static FileInfo decode(RemoteFilename remote) throws ProtocolException {
        if (remote.text().length() < FileName.NORMAL_LENGTH) {
            throw ProtocolException.invalid("file name shorter than " + FileName.NORMAL_LENGTH + ": " + remote.text());
        }
        FileName.Block b = FileName.blockOf(remote);
        Type type = b.isAppender() ? Type.APPENDER
                : FileName.isSlave(remote.text().length(), b) ? Type.SLAVE : Type.NORMAL;
        long size = type == Type.NORMAL ? b.size() : -1;
        return new FileInfo(type, b.serverId(), b.ipv4(), b.timestamp(), size, b.crc32());
    }

    public static FileInfo decode(FileId id) throws ProtocolException {
        return decode(id.remote());
    }
}
