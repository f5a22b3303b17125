package io.kfdfs.pod;

import io.kfdfs.protocol.Header;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/** A complete response read by {@link FrameClient}: an error status is a normal reply, with an empty body. */
public record Reply(Header header, Buffer body) {

    public int status() {
        return header.status();
    }

    public boolean ok() {
        return header.status() == 0;
    }

    public ByteBuffer bodyBuffer() {
        return Frames.byteBuffer(body);
    }
}
