package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.storage.GroupFile;

import java.nio.ByteBuffer;

/**
 * The request of 102 QUERY_FETCH_ONE, 103 QUERY_UPDATE and 105 QUERY_FETCH_ALL (docs/protocol.md §3.3): a
 * {@link GroupFile} whose name is 22 … 127 bytes. The C tracker checks nothing else about the name
 * (testdata/vectors/NOTES.md C7).
 */
public final class FileQuery {

    public static final int MIN_NAME_LENGTH = 22;

    private FileQuery() {
    }

    public static GroupFile decode(ByteBuffer body) throws ProtocolException {
        if (body.remaining() < Fields.GROUP_NAME_SIZE + MIN_NAME_LENGTH) {
            throw ProtocolException.invalid("file query: body length " + body.remaining() + " < "
                    + (Fields.GROUP_NAME_SIZE + MIN_NAME_LENGTH));
        }
        return GroupFile.decode(body);
    }
}
