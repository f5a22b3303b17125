package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * CREATE_LINK (20), §4.12: master, source and signature lengths, group, prefix, ext, then master name
 * (may be empty), source remote filename and source signature.
 */
public record CreateLinkRequest(String masterFilename, String sourceFilename, String signature, String group,
                                String prefix, String ext) implements Body {

    public static final int HEAD_SIZE = 8 + 8 + 8 + Fields.GROUP_NAME_SIZE + Fields.PREFIX_SIZE + Fields.EXT_NAME_SIZE;
    public static final int MAX_VAR_SIZE = 256;
    public static final int MAX_SIGNATURE_LENGTH = 63;

    public static CreateLinkRequest decode(ByteBuffer body) throws ProtocolException {
        int total = body.remaining();
        int m = Lengths.nameLength(body, 0, "link master name length");
        int s = Lengths.nameLength(body, 1, "link source name length");
        int g = (int) Lengths.get(body, 1, MAX_SIGNATURE_LENGTH, "link signature length");
        if (m + s + g > MAX_VAR_SIZE) {
            throw ProtocolException.invalid("create link: names and signature exceed " + MAX_VAR_SIZE + " bytes");
        }
        Lengths.expectBody(total, HEAD_SIZE, m + s + g, "create link");
        String group = Fields.getFixed(body, Fields.GROUP_NAME_SIZE, "group");
        String prefix = Fields.getFixed(body, Fields.PREFIX_SIZE, "link prefix");
        String ext = Fields.getFixed(body, Fields.EXT_NAME_SIZE, "link ext");
        String master = Fields.getVar(body, m, "link master name");
        String source = Fields.getVar(body, s, "link source name");
        return new CreateLinkRequest(master, source, Fields.getVar(body, g, "link signature"), group, prefix, ext);
    }

    @Override
    public int size() {
        return HEAD_SIZE + Fields.length(masterFilename) + Fields.length(sourceFilename) + Fields.length(signature);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        out.putLong(Fields.length(masterFilename)).putLong(Fields.length(sourceFilename))
                .putLong(Fields.length(signature));
        Fields.putFixed(out, group, Fields.GROUP_NAME_SIZE);
        Fields.putFixed(out, prefix, Fields.PREFIX_SIZE);
        Fields.putFixed(out, ext, Fields.EXT_NAME_SIZE);
        Fields.putVar(out, masterFilename);
        Fields.putVar(out, sourceFilename);
        Fields.putVar(out, signature);
    }
}
