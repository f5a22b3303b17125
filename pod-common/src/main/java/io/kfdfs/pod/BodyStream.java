package io.kfdfs.pod;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The streamed part of a request body (or of a {@link StreamedReply}): exactly {@link #length()} bytes read
 * from the connection as the consumer asks for them. It starts paused; setting a handler (or {@code pipeTo}) starts the flow, and
 * pausing it pauses the socket, so a slow disk slows the client instead of filling memory.
 *
 * <p>A server connection reads into pooled direct memory. A {@link #chunkHandler} gets those chunks as they
 * are and must release each one (the storage writes them to disk without a copy); a {@link #handler} gets
 * each chunk copied into a heap {@link Buffer} of its own.
 */
public final class BodyStream implements ReadStream<Buffer> {

    private final Runnable demandChanged;
    private final long length;
    private long remaining;
    private long demand;
    private Handler<ByteBuf> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean ended;
    private Throwable failure;

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
        return chunkHandler(ByteBuf::release);
    }

    @Override
    public BodyStream exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        if (failure != null && h != null) {
            // the connection broke before the consumer came (e.g. while it queued behind another operation)
            h.handle(failure);
        }
        return this;
    }

    @Override
    public BodyStream handler(Handler<Buffer> h) {
        return chunkHandler(h == null ? null : chunk -> h.handle(VertxInternals.safeBuffer(chunk)));
    }

    /** As {@link #handler}, with each chunk as read: the handler owns it and must release it. */
    public BodyStream chunkHandler(Handler<ByteBuf> h) {
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

    /**
     * Hands over up to {@code remaining} bytes of {@code data} (a retained slice: {@code data} stays the
     * caller's), advancing its reader index; returns how many were taken.
     */
    int deliver(ByteBuf data) {
        int n = (int) Math.min(remaining, data.readableBytes());
        ByteBuf chunk = data.readRetainedSlice(n);
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
        if (!ended && failure == null) {
            failure = cause;
            if (exceptionHandler != null) {
                exceptionHandler.handle(cause);
            }
        }
    }
}
