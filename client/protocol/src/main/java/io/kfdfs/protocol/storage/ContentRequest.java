package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Header;

import java.nio.ByteBuffer;

/**
 * A request whose body is a fixed part followed by file content (uploads, appends, sync copies). The
 * record holds the fixed part; {@link #size()} and {@link #encodeTo} cover only that part, while the
 * frame's header announces the whole body so the content can be streamed after it. Decoders read the
 * fixed part, check the declared body length against it and leave the buffer at the first content byte.
 */
public interface ContentRequest extends Body {

    /** Bytes of content that follow the fixed part. */
    long contentLength();

    /** The header's body length: fixed part plus content. */
    default long bodyLength() {
        return size() + contentLength();
    }

    /** Header (announcing the full body) and the fixed part; the content is sent after it. */
    @Override
    default ByteBuffer frame(int cmd, int status) {
        ByteBuffer b = ByteBuffer.allocate(Header.SIZE + size());
        new Header(bodyLength(), cmd, status).encodeTo(b);
        encodeTo(b);
        return b.flip();
    }
}
