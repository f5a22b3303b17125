package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * SET_METADATA (13), §4.4: name length, metadata length, op flag {@code 'O'} (overwrite) or
 * {@code 'M'} (merge), group, remote filename, packed metadata (kept as sent, ISO-8859-1).
 */
public record SetMetadataRequest(String filename, char flag, String group, String packedMetadata) implements Body {

    public static final char OVERWRITE = 'O';
    public static final char MERGE = 'M';
    public static final int HEAD_SIZE = 8 + 8 + 1 + Fields.GROUP_NAME_SIZE;

    public static SetMetadataRequest decode(ByteBuffer body) throws ProtocolException {
        int total = body.remaining();
        int f = Lengths.nameLength(body, 1, "metadata file name length");
        long n = Lengths.nonNegative(body, "metadata length");
        Lengths.expectBody(total, HEAD_SIZE + f, n, "set metadata");
        char flag = (char) Fields.getByte(body, "metadata op flag");
        if (flag != OVERWRITE && flag != MERGE) {
            throw ProtocolException.invalid("set metadata: invalid op flag 0x" + Integer.toHexString(flag));
        }
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        String name = Fields.getVar(body, f, "metadata file name");
        return new SetMetadataRequest(name, flag, group, Fields.getVar(body, (int) n, "metadata"));
    }

    public static SetMetadataRequest of(String group, String filename, char flag, Metadata metadata) {
        return new SetMetadataRequest(filename, flag, group, metadata.packed());
    }

    public Metadata metadata() {
        return Metadata.parse(packedMetadata);
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(filename) + Fields.length(packedMetadata);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(filename)).putLong(Fields.length(packedMetadata)).put((byte) flag);
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putVar(out, filename);
        Fields.putVar(out, packedMetadata);
    }
}
