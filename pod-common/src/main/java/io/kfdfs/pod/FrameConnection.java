package io.kfdfs.pod;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannelConfig;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One accepted connection: cuts the byte stream into FastDFS frames and hands each request to the
 * {@link FrameHandler}, one at a time. Runs entirely on the connection's event loop.
 *
 * <p>Reads come as they are from the socket, in pooled direct buffers: the fixed part of a request is
 * copied out, a streamed body is handed on in slices of them (see {@link BodyStream}), so an upload's
 * content reaches the disk without a copy or a heap allocation.
 *
 * <p>Requests are served one at a time, in order. While one is handled the socket keeps reading:
 * FastDFS clients wait for each reply, and pausing a socket and resuming it costs two {@code epoll_ctl}
 * calls per request; a client that pipelines anyway is paused once {@link #PIPELINE_LIMIT} bytes wait. A
 * request body consumed slowly pauses the socket (back-pressure). Between requests a connection may sit idle for ever (clients
 * pool connections); a peer that stalls in the middle of a frame is cut off after the network timeout.
 */
public final class FrameConnection implements Answer {

    private static final System.Logger LOG = System.getLogger(FrameConnection.class.getName());

    /** Bytes of later requests read ahead while one is handled, before the socket is paused. */
    static final int PIPELINE_LIMIT = 64 * 1024;

    /** Replies handed off ({@link #replyLater}) and not yet sent, at most: then no further request is read. */
    static final int MAX_LATER = 64;

    /** A body larger than this is not worth draining for a rejected request: close instead. */
    private static final long MAX_DRAIN = 256 * 1024;

    private enum State { HEADER, BUFFERED, PREFIX, STREAM, BUSY, CLOSED }

    private final Vertx vertx;
    private final NetSocket socket;
    private final FrameHandler handler;
    private final long networkTimeoutNanos;
    private final long timerId;

    private State state = State.HEADER;
    /** Bytes read and not yet consumed (pooled: released once consumed or when the connection closes). */
    private ByteBuf pending = Unpooled.EMPTY_BUFFER;
    private Header header;
    private ByteBuf collected;
    private long need;
    private BodyStream stream;
    private int rejectStatus;
    private boolean processing;
    private boolean socketPaused;
    private boolean readsStopped;
    private boolean doneAfterDrain;
    private long requestStart;
    private int replyStatus;
    private boolean reported;
    private long lastProgress = System.nanoTime();
    private Object attachment;
    /** Replies not sent yet because an earlier request's reply has not been given: sent in request order. */
    private final ArrayDeque<Later> later = new ArrayDeque<>();
    private long bytesRead;
    private long bytesWritten;

    FrameConnection(Vertx vertx, NetSocket socket, FrameHandler handler, PodLimits limits) {
        this.vertx = vertx;
        this.socket = socket;
        this.handler = handler;
        this.networkTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.networkTimeoutMillis());
        long period = Math.max(100, limits.networkTimeoutMillis() / 4);
        this.timerId = vertx.setPeriodic(period, id -> checkStall());
        VertxInternals.messageHandler(socket, this::onMessage);
        socket.closeHandler(v -> onSocketClosed());
        socket.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, "connection " + remoteAddress() + ": " + e));
        handler.onOpen(this);
    }

    public SocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    public SocketAddress localAddress() {
        return socket.localAddress();
    }

    public Vertx vertx() {
        return vertx;
    }

    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    public void attach(Object value) {
        attachment = value;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Bytes read from the socket since the last call (for traffic metrics: call it in onDone and onClose). */
    public long takeBytesRead() {
        long n = bytesRead;
        bytesRead = 0;
        return n;
    }

    /** Bytes handed to the socket since the last call, file bodies included. */
    public long takeBytesWritten() {
        long n = bytesWritten;
        bytesWritten = 0;
        return n;
    }

    /** Sends a complete reply (header and body in one write) and reads the next request. */
    @Override
    public void reply(Buffer frame) {
        reply(VertxInternals.byteBuf(frame));
    }

    @Override
    public void reply(Buffer frame, Runnable sent) {
        reply(VertxInternals.byteBuf(frame), sent);
    }

    /**
     * As {@link #reply(Buffer)}, for a frame in a pooled buffer whose ownership passes here: the socket
     * writes it as it is and releases it once written (at once if the connection is closed).
     */
    public void reply(ByteBuf frame) {
        reply(frame, null);
    }

    private void reply(ByteBuf frame, Runnable sent) {
        if (state == State.CLOSED) {
            frame.release();
            return;
        }
        replyStatus = statusOf(frame);
        if (later.isEmpty()) {
            send(frame);
            if (sent != null) {
                sent.run();
            }
        } else {
            // behind replies still to come for earlier requests
            Later mine = new Later(header == null ? 0 : header.cmd(), requestStart, false);
            mine.frame = frame;
            mine.sent = sent;
            later.add(mine);
        }
        done();
    }

    private static int statusOf(ByteBuf frame) {
        return frame.readableBytes() >= Header.SIZE ? frame.getUnsignedByte(frame.readerIndex() + 9) : 0;
    }

    private void send(ByteBuf frame) {
        bytesWritten += frame.readableBytes();
        VertxInternals.write(socket, frame);
    }

    /**
     * The current request (its body read whole) will be answered through the returned {@link Answer}; the
     * next requests are read and handled meanwhile, and their replies go out after this one, in the order
     * the requests came. For a peer that pipelines requests whose work may overlap (a replica's copies):
     * served one at a time, each waited its turn on the event loop and the disk threads behind every
     * client's request, and the copies fell behind for as long as clients kept the storage busy.
     */
    public Answer replyLater() {
        if (state != State.BUSY || stream != null || header == null) {
            throw new IllegalStateException("replyLater outside a buffered request's handling");
        }
        Later mine = new Later(header.cmd(), requestStart, true);
        later.add(mine);
        reported = true; // onDone when its reply goes out
        done();
        return mine;
    }

    /** Sends the replies now due, in order. */
    private void flushLater() {
        while (!later.isEmpty() && later.peek().frame != null) {
            Later next = later.poll();
            int status = statusOf(next.frame);
            if (state == State.CLOSED) {
                next.frame.release();
            } else {
                send(next.frame);
            }
            next.frame = null;
            if (next.report) {
                handler.onDone(this, next.cmd, status, System.nanoTime() - next.start);
            }
            if (next.sent != null) {
                next.sent.run();
            }
        }
        process();
    }

    /** A reply that waits for its turn. */
    private final class Later implements Answer {
        private final int cmd;
        private final long start;
        /** Whether onDone is still to be reported for it (a handed-off request), not already by done(). */
        private final boolean report;
        private ByteBuf frame;
        private Runnable sent;
        private boolean given;

        Later(int cmd, long start, boolean report) {
            this.cmd = cmd;
            this.start = start;
            this.report = report;
        }

        @Override
        public void reply(Buffer reply, Runnable whenSent) {
            if (given) {
                throw new IllegalStateException("a second reply to " + Cmd.name(cmd));
            }
            given = true;
            if (state == State.CLOSED) {
                return; // the connection is gone, and its waiting replies with it
            }
            frame = VertxInternals.byteBuf(reply);
            sent = whenSent;
            flushLater();
        }

        @Override
        public void close() {
            FrameConnection.this.close();
        }

        @Override
        public boolean isClosed() {
            return FrameConnection.this.isClosed();
        }

        @Override
        public SocketAddress remoteAddress() {
            return FrameConnection.this.remoteAddress();
        }
    }

    /** Part of a streamed response; finish with {@link #done()}. */
    public Future<Void> write(Buffer data) {
        requireNoLater();
        bytesWritten += data.length();
        return socket.write(data);
    }

    /**
     * Part of a streamed response, straight from a file opened off the event loop ({@code sendfile(2)};
     * the channel is closed once sent or given up); finish with {@link #done()}. Vert.x's own sendFile
     * takes a path and opens and stats it on the event loop.
     */
    public Future<Void> sendFile(FileChannel file, long offset, long length) {
        requireNoLater();
        bytesWritten += length;
        return VertxInternals.writeFile(socket, file, offset, length);
    }

    private void requireNoLater() {
        if (!later.isEmpty()) {
            throw new IllegalStateException("a streamed reply would overtake " + later.size() + " waiting");
        }
    }

    /** The current request is finished: read the next one. */
    public void done() {
        if (state == State.CLOSED) {
            return;
        }
        if (header != null && !reported) {
            reported = true;
            handler.onDone(this, header.cmd(), replyStatus, System.nanoTime() - requestStart);
        }
        if (stream != null && !stream.ended()) {
            // answered before the body was consumed: drop the rest so the next frame starts in the right place
            doneAfterDrain = true;
            stream.discard();
            return;
        }
        stream = null;
        header = null;
        collected = null;
        state = State.HEADER;
        lastProgress = System.nanoTime();
        process();
    }

    /** Sends a last frame, then closes. */
    public void closeAfter(Buffer frame) {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            bytesWritten += frame.length();
            socket.end(frame);
        }
    }

    public void close() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            socket.close();
        }
    }

    private void onMessage(Object msg) {
        if (!(msg instanceof ByteBuf data) || state == State.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastProgress = System.nanoTime();
        bytesRead += data.readableBytes();
        if (!pending.isReadable()) {
            pending.release();
            pending = data;
        } else {
            // a frame split across reads, or reads while paused: rare, and short
            ByteBuf merged = data.alloc().directBuffer(pending.readableBytes() + data.readableBytes());
            merged.writeBytes(pending).writeBytes(data);
            pending.release();
            data.release();
            pending = merged;
        }
        process();
        if (bodyToCome()) {
            acknowledgeNow();
        }
    }

    private boolean bodyToCome() {
        return (state == State.BUFFERED || state == State.PREFIX) && need > 0
                || state == State.STREAM && stream != null && !stream.ended();
    }

    /**
     * A sender without TCP_NODELAY (a C storage's sync connection) holds a request's body back until its header
     * is acknowledged, and Linux delays that ACK by up to 40 ms: one such wait per synced file. While a body is
     * still to come, what arrived is acknowledged at once, as C servers do after every read (TCP_QUICKACK, which
     * the kernel clears again by itself).
     */
    private void acknowledgeNow() {
        try {
            ChannelConfig config = channelConfig();
            if (config instanceof EpollSocketChannelConfig epoll) {
                epoll.setTcpQuickAck(true);
            } else {
                config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK), true);
            }
        } catch (ChannelException | UnsupportedOperationException e) {
            // closed meanwhile, or a platform without the option: the ACK comes when the kernel sends it
        }
    }

    void streamDemandChanged() {
        if (state == State.STREAM) {
            lastProgress = System.nanoTime();
            process();
        }
    }

    /** Consumes pending bytes as far as the current state allows. Re-entrant calls return at once. */
    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (state != State.CLOSED && step()) {
                // keep going while a step made progress
            }
        } finally {
            processing = false;
        }
        if (!pending.isReadable() && pending != Unpooled.EMPTY_BUFFER) {
            // an idle connection holds no read buffer
            pending.release();
            pending = Unpooled.EMPTY_BUFFER;
        }
        boolean wantBytes = switch (state) {
            case HEADER -> later.size() < MAX_LATER || pending.readableBytes() < PIPELINE_LIMIT;
            case BUFFERED, PREFIX -> true;
            case STREAM -> stream.ended() ? pending.readableBytes() < PIPELINE_LIMIT : stream.wantsData();
            case BUSY -> pending.readableBytes() < PIPELINE_LIMIT;
            default -> false;
        };
        if (wantBytes && socketPaused) {
            socketPaused = false;
            if (readsStopped) {
                readsStopped = false;
                channelConfig().setAutoRead(true);
            }
            socket.resume();
        } else if (!wantBytes && !socketPaused && state != State.CLOSED) {
            socketPaused = true;
            socket.pause();
            if (state == State.STREAM && !stream.ended()) {
                // a paused socket still reads until Vert.x has queued 8 reads (up to 512 KiB of pooled
                // memory); a slow body consumer wants the bytes left in the kernel's buffer instead
                readsStopped = true;
                channelConfig().setAutoRead(false);
            }
        }
    }

    private ChannelConfig channelConfig() {
        return VertxInternals.channel(socket).channel().config();
    }

    private boolean step() {
        switch (state) {
            case HEADER -> {
                if (pending.readableBytes() < Header.SIZE || later.size() >= MAX_LATER) {
                    return false;
                }
                byte[] bytes = new byte[Header.SIZE];
                pending.readBytes(bytes);
                try {
                    header = Header.decode(bytes, 0);
                } catch (ProtocolException e) {
                    LOG.log(System.Logger.Level.INFO, "closing " + remoteAddress() + ": " + e.getMessage());
                    close();
                    return false;
                }
                startBody();
                return true;
            }
            case BUFFERED, PREFIX -> {
                if (need > 0) {
                    if (!pending.isReadable()) {
                        return false;
                    }
                    int n = (int) Math.min(need, pending.readableBytes());
                    collected.writeBytes(pending, n);
                    need -= n;
                    if (need > 0) {
                        return false;
                    }
                }
                dispatchCollected();
                return true;
            }
            case STREAM -> {
                if (stream.ended()) {
                    return false;
                }
                if (!pending.isReadable() || !stream.wantsData()) {
                    return false;
                }
                stream.deliver(pending);
                if (stream != null && stream.ended() && doneAfterDrain) {
                    doneAfterDrain = false;
                    done();
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void startBody() {
        long len = header.bodyLength();
        requestStart = System.nanoTime();
        replyStatus = 0;
        reported = false;
        if (header.cmd() == Cmd.QUIT) {
            close();
            return;
        }
        BodyPolicy policy = header.cmd() == Cmd.ACTIVE_TEST
                ? (len == 0 ? null : BodyPolicy.reject(Status.EINVAL))
                : handler.policy(header);
        if (policy == null) {
            state = State.BUSY;
            reply(Frames.ok());
            return;
        }
        if (policy instanceof BodyPolicy.Buffered b) {
            if (len > b.maxBodyLength()) {
                LOG.log(System.Logger.Level.INFO, "closing " + remoteAddress() + ": " + Cmd.name(header.cmd())
                        + " body of " + len + " bytes exceeds " + b.maxBodyLength());
                closeAfter(Frames.error(Status.EINVAL));
                return;
            }
            collect(State.BUFFERED, len);
        } else if (policy instanceof BodyPolicy.Streamed s) {
            collect(State.PREFIX, Math.min(len, s.prefixLength()));
        } else if (policy instanceof BodyPolicy.Reject r) {
            if (len > MAX_DRAIN) {
                closeAfter(Frames.error(r.status()));
                return;
            }
            rejectStatus = r.status();
            collect(State.BUFFERED, len);
        }
    }

    private void collect(State next, long length) {
        state = next;
        need = length;
        collected = Unpooled.buffer((int) Math.min(length, 64 * 1024));
    }

    private void dispatchCollected() {
        State was = state;
        state = State.BUSY;
        Buffer body = VertxInternals.buffer(collected);
        collected = null;
        if (rejectStatus != 0) {
            int status = rejectStatus;
            rejectStatus = 0;
            replyError(status);
            return;
        }
        try {
            if (was == State.BUFFERED) {
                handler.onRequest(this, header, body);
            } else {
                stream = new BodyStream(this, header.bodyLength() - body.length());
                if (!stream.ended()) {
                    state = State.STREAM;
                }
                handler.onStream(this, header, body, stream);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "handler failed on " + Cmd.name(header.cmd()) + " from " + remoteAddress(), e);
            close();
        }
    }

    private void checkStall() {
        boolean midFrame = switch (state) {
            case HEADER -> pending.isReadable();
            case BUFFERED, PREFIX -> true;
            case STREAM -> stream.wantsData();
            default -> false;
        };
        if (midFrame && System.nanoTime() - lastProgress > networkTimeoutNanos) {
            LOG.log(System.Logger.Level.INFO, "closing " + remoteAddress() + ": stalled mid-frame for longer than the network timeout");
            close();
        }
    }

    private void onSocketClosed() {
        vertx.cancelTimer(timerId);
        state = State.CLOSED;
        pending.release();
        pending = Unpooled.EMPTY_BUFFER;
        for (Later l : later) {
            if (l.frame != null) {
                l.frame.release();
            }
        }
        later.clear();
        if (stream != null) {
            stream.fail(new IOException("connection closed with " + stream.remaining() + " body bytes missing"));
        }
        handler.onClose(this);
    }
}
