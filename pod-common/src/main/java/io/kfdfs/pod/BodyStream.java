package io.kfdfs.pod;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The streamed part of a request body (or of a {@link StreamedReply}): exactly {@link #length()} bytes read
 * from the connection as the consumer asks for them. It starts paused; setting a handler (or {@code pipeTo}) starts the flow, and
 * pausing it pauses the socket, so a slow disk slows the client instead of filling memory.
 */
public final class BodyStream implements ReadStream<Buffer> {

    private final Runnable demandChanged;
    private final long length;
    private long remaining;
    private long demand;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean ended;

    BodyStream(FrameConnection conn, long length) {
        this(conn::streamDemandChanged, length);
    }

    /** @param demandChanged called when the consumer asks for more (or for the first time) */
    BodyStream(Runnable demandChanged, long length) {
        this.demandChanged = demandChanged;
        this.length = length;
        this.remaining = length;
        this.ended = length == 0;
    }

    public long length() {
        return length;
    }

    /** Bytes not yet delivered. */
    public long remaining() {
        return remaining;
    }

    /** Reads and drops the rest of the body, so the connection can carry on with the next request. */
    public BodyStream discard() {
        endHandler(null);
        exceptionHandler(null);
        return handler(b -> { });
    }

    @Override
    public BodyStream exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        return this;
    }

    @Override
    public BodyStream handler(Handler<Buffer> h) {
        handler = h;
        if (h != null) {
            demand = Long.MAX_VALUE;
            demandChanged.run();
        }
        return this;
    }

    @Override
    public BodyStream pause() {
        demand = 0;
        return this;
    }

    @Override
    public BodyStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public BodyStream fetch(long amount) {
        demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
        demandChanged.run();
        return this;
    }

    @Override
    public BodyStream endHandler(Handler<Void> h) {
        endHandler = h;
        if (ended && h != null) {
            h.handle(null);
        }
        return this;
    }

    boolean wantsData() {
        return handler != null && demand > 0 && remaining > 0;
    }

    /** Hands over up to {@code remaining} bytes; returns how many were taken. */
    int deliver(Buffer data) {
        int n = (int) Math.min(remaining, data.length());
        Buffer chunk = n == data.length() ? data : data.slice(0, n);
        remaining -= n;
        if (demand != Long.MAX_VALUE) {
            demand--;
        }
        handler.handle(chunk);
        if (remaining == 0) {
            ended = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
        }
        return n;
    }

    boolean ended() {
        return ended;
    }

    void fail(Throwable cause) {
        if (!ended && exceptionHandler != null) {
            exceptionHandler.handle(cause);
        }
    }
}
