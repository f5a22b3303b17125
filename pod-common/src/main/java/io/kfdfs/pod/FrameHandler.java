package io.kfdfs.pod;

import io.kfdfs.protocol.Header;
import io.vertx.core.buffer.Buffer;

/**
 * A server's commands. Called on the connection's event loop, one request at a time per connection; each
 * call must end (now or later) in exactly one of {@link FrameConnection#reply}, {@link FrameConnection#replyError}
 * or {@link FrameConnection#done} (after streaming a response), or in {@link FrameConnection#close}.
 */
public interface FrameHandler {

    BodyPolicy policy(Header header);

    /** A request read under {@link BodyPolicy#buffered}. */
    void onRequest(FrameConnection conn, Header header, Buffer body);

    /** A request read under {@link BodyPolicy#streamed}: {@code prefix} then {@code rest}, which must be consumed or discarded. */
    default void onStream(FrameConnection conn, Header header, Buffer prefix, BodyStream rest) {
        rest.discard();
        conn.replyError(io.kfdfs.protocol.Status.EINVAL);
    }

    /** A request was answered ({@code status} of its reply; 0 for streamed replies), for metrics. */
    default void onDone(FrameConnection conn, int cmd, int status, long nanos) {
    }

    default void onOpen(FrameConnection conn) {
    }

    default void onClose(FrameConnection conn) {
    }
}
