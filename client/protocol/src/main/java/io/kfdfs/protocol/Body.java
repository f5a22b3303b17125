package io.kfdfs.protocol;

import java.nio.ByteBuffer;

/**
 * A request or response body of known size. Records implement {@link #size()} and {@link #encodeTo}
 * and a static {@code decode(ByteBuffer)} that reads exactly one body (the buffer's remaining bytes).
 */
public interface Body {

    int size();

    void encodeTo(ByteBuffer out);

    default byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(size());
        encodeTo(b);
        return b.array();
    }

    /** Header and body in one buffer, ready to send in one write (common clients read short replies once). */
    default ByteBuffer frame(int cmd, int status) {
        ByteBuffer b = ByteBuffer.allocate(Header.SIZE + size());
        new Header(size(), cmd, status).encodeTo(b);
        encodeTo(b);
        return b.flip();
    }

    /** The body as a success response frame. */
    default ByteBuffer response() {
        return frame(Cmd.RESP, Status.OK);
    }

    /** The body as a request frame. */
    default ByteBuffer request(int cmd) {
        return frame(cmd, 0);
    }

    Body EMPTY = new Body() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public void encodeTo(ByteBuffer out) {
        }
    };
}
