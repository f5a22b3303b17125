package io.kfdfs.pod.http;

import io.kfdfs.pod.BodyPolicy;
import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.FrameHandler;
import io.kfdfs.protocol.Header;
import io.vertx.core.buffer.Buffer;

/**
 * A server's {@link FrameHandler} with its requests, traffic and connections recorded in {@link PodMetrics},
 * so the command code stays free of metrics.
 */
public final class MeteredHandler implements FrameHandler {

    private final FrameHandler handler;
    private final PodMetrics metrics;

    public MeteredHandler(FrameHandler handler, PodMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    @Override
    public BodyPolicy policy(Header header) {
        return handler.policy(header);
    }

    @Override
    public void onRequest(FrameConnection conn, Header header, Buffer body) {
        handler.onRequest(conn, header, body);
    }

    @Override
    public void onStream(FrameConnection conn, Header header, Buffer prefix, BodyStream rest) {
        handler.onStream(conn, header, prefix, rest);
    }

    @Override
    public void onDone(FrameConnection conn, int cmd, int status, long nanos) {
        metrics.answered(conn, cmd, status, nanos);
        handler.onDone(conn, cmd, status, nanos);
    }

    @Override
    public void onOpen(FrameConnection conn) {
        metrics.connectionOpened();
        handler.onOpen(conn);
    }

    @Override
    public void onClose(FrameConnection conn) {
        metrics.closed(conn);
        handler.onClose(conn);
    }
}
