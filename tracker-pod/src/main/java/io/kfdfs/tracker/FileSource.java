package io.kfdfs.tracker;

import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;

/**
 * What the tracker reads from a remote file name to pick a download server (docs/protocol.md §7.2, §9.6): the
 * source storage, the creation time and whether only the source has the file (appender and slave files
 * are not assumed to be anywhere else). The C tracker checks nothing else about the name (testdata/vectors/NOTES.md C7), so
 * neither does this: a name without a decodable block has an unknown source and time 0.
 *
 * @param serverId the source's numeric server ID, or 0 when the name carries an IPv4 address (or nothing)
 * @param ipv4     the source's IPv4 address, or "" when the name carries a server ID (or nothing)
 */
record FileSource(int serverId, String ipv4, long timestamp, boolean onlyOnSource, boolean appender) {

    static final FileSource UNKNOWN = new FileSource(0, "", 0, false, false);

    static FileSource of(String remoteFilename) {
        int from = RemoteFilename.LOGIC_PATH_LENGTH;
        if (remoteFilename.length() < from + FileName.BASE64_LENGTH) {
            return UNKNOWN;
        }
        FileName.Block b;
        try {
            b = FileName.Block.decode(remoteFilename.substring(from, from + FileName.BASE64_LENGTH));
        } catch (ProtocolException e) {
            return UNKNOWN;
        }
        boolean only = b.isAppender() || FileName.isSlave(remoteFilename.length(), b);
        return new FileSource(b.serverId(), b.ipv4(), b.timestamp(), only, b.isAppender());
    }
}
