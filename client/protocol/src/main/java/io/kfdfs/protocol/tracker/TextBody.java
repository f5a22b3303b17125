package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/**
 * A body that is plain text without a NUL: the replies of 60 GET_MY_IP (the caller's IP, testdata/vectors/NOTES.md D5),
 * 70 GET_SERVER_ID, 95 GET_LEADER ({@code ip:port}) and 77 CHANGELOG_REQ (changelog lines), and the
 * {@code ip:port} request of 66/67 NOTIFY/COMMIT_NEXT_LEADER.
 */
public record TextBody(String text) implements Body {

    /** Reads the whole body; {@code maxLength} bounds it (EINVAL beyond), {@code minLength} too. */
    public static TextBody decode(ByteBuffer body, int minLength, int maxLength) throws ProtocolException {
        int len = body.remaining();
        if (len < minLength || len > maxLength) {
            throw ProtocolException.invalid("text body: length " + len + " not in " + minLength + ".." + maxLength);
        }
        return new TextBody(Fields.getRest(body));
    }

    @Override
    public int size() {
        return Fields.length(text);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putVar(out, text);
    }
}
