package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * SYNC_CREATE_LINK (19) and SYNC_RENAME_FILE (40), §4.13: the two name lengths, origin timestamp,
 * group, then {@code dest} (the link, or the new name) and {@code source} (the target, or the old name).
 */
public record SyncLinkRequest(String dest, String source, long timestamp, String group) implements Body {

    public static final int HEAD_SIZE = 8 + 8 + 4 + Fields.GROUP_NAME_SIZE;

    public static SyncLinkRequest decode(ByteBuffer body) throws ProtocolException {
        int total = body.remaining();
        int d = Lengths.nameLength(body, 1, "sync dest name length");
        int s = Lengths.nameLength(body, 1, "sync source name length");
        Lengths.expectBody(total, HEAD_SIZE, d + s, "sync link");
        long ts = Lengths.timestamp(body, "sync timestamp");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        String dest = Fields.getVar(body, d, "sync dest name");
        return new SyncLinkRequest(dest, Fields.getVar(body, s, "sync source name"), ts, group);
    }

    /**
     * A successful SYNC_RENAME_FILE reply: empty from kfdfs, but C 6.16.1 echoes the request body
     * (testdata/vectors/NOTES.md D1). Returns the echo if there is one.
     */
    public static Optional<SyncLinkRequest> decodeRenameReply(ByteBuffer body) throws ProtocolException {
        return body.hasRemaining() ? Optional.of(decode(body)) : Optional.empty();
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(dest) + Fields.length(source);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(dest)).putLong(Fields.length(source)).putInt((int) timestamp);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, dest);
        Fields.putVar(out, source);
    }
}
