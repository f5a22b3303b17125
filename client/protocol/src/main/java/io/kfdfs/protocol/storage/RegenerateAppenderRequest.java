package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** REGENERATE_APPENDER_FILENAME (38), §4.11: the body is the appender remote filename. */
public record RegenerateAppenderRequest(String filename) implements Body {

    public static RegenerateAppenderRequest decode(ByteBuffer body) throws ProtocolException {
        return new RegenerateAppenderRequest(Lengths.restName(body, "regenerate"));
    }

    @Override
    public int size() {
        return Fields.length(filename);
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Fields.putVar(out, filename);
    }
}
