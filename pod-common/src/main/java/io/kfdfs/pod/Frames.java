package io.kfdfs.pod;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Header;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/** Codec records to Vert.x buffers and back. */
public final class Frames {

    private Frames() {
    }

    public static Buffer toBuffer(ByteBuffer frame) {
        if (frame.hasArray() && frame.arrayOffset() == 0 && frame.position() == 0
                && frame.limit() == frame.array().length) {
            return Buffer.buffer(frame.array());
        }
        byte[] b = new byte[frame.remaining()];
        frame.duplicate().get(b);
        return Buffer.buffer(b);
    }

    /** A success reply carrying {@code body}, header and body in one buffer. */
    public static Buffer response(Body body) {
        return toBuffer(body.response());
    }

    public static Buffer request(int cmd, Body body) {
        return toBuffer(body.request(cmd));
    }

    /** A header-only error reply. */
    public static Buffer error(int status) {
        return Buffer.buffer(Header.error(status).toBytes());
    }

    /** A header-only success reply. */
    public static Buffer ok() {
        return Buffer.buffer(Header.response(0).toBytes());
    }

    /** A view of a received body for the codec's {@code decode} methods. */
    public static ByteBuffer byteBuffer(Buffer body) {
        return ByteBuffer.wrap(body.getBytes());
    }
}
