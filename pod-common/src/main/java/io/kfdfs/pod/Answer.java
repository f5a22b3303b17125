package io.kfdfs.pod;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * Where the reply to one request goes: its connection, or the place the connection keeps for it while
 * later requests are served ({@link FrameConnection#replyLater}).
 */
public interface Answer {

    /**
     * Sends a complete reply (header and body in one write); {@code sent}, if not null, runs once it has
     * gone out, after the replies to every earlier request on the connection.
     */
    void reply(Buffer frame, Runnable sent);

    default void reply(Buffer frame) {
        reply(frame, null);
    }

    default void replyError(int status) {
        reply(Frames.error(status));
    }

    void close();

    boolean isClosed();

    SocketAddress remoteAddress();
}
