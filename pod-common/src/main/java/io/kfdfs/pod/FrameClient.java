package io.kfdfs.pod;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An outbound FastDFS connection of a pod (storage to tracker, storage to storage), non-blocking. The
 * protocol has no request ids: replies come in the order of the requests. Calls are queued and sent one
 * at a time, except {@linkplain #pipelined pipelined} ones, which go out while earlier pipelined calls
 * still wait for their replies (a sync sender's records to a kfdfs storage, which reads requests written
 * ahead and answers them in order; not to a C storage: from 6.10 on it reads its connections
 * edge-triggered and, once it has answered a request, reads the next only when more bytes arrive, so a
 * request written ahead waits in its socket until the network timeout). A failed connection fails every queued
 * call and closes; callers reconnect. Calls may come from any thread; they are queued on the
 * connection's event loop.
 *
 * <p>A reply is either collected whole ({@link #call}) or streamed to the caller ({@link #callStreamed}),
 * for file bodies that must not be held in memory.
 */
public final class FrameClient {

    private final Vertx vertx;
    private final NetClient netClient;
    private final NetSocket socket;
    private final PodLimits limits;
    private final Queue<Call> queue = new ArrayDeque<>();
    /** Calls sent and waiting for their replies, oldest first: several only if all are pipelined. */
    private final ArrayDeque<Call> inFlight = new ArrayDeque<>();
    private Buffer pending = Buffer.buffer();
    private Header header;
    private BodyStream stream;
    private boolean pumping;
    private long lastProgress;
    private long timerId = -1;
    private boolean closed;
    private Handler<Void> closeHandler;

    /** One request; exactly one of {@code promise} (reply collected) and {@code streamed} is set. */
    private record Call(Supplier<Future<Void>> send, long maxReplyBody, Promise<Reply> promise,
                        Promise<StreamedReply> streamed, boolean pipelined) {

        void fail(Throwable cause) {
            if (promise != null) {
                promise.tryFail(cause);
            } else {
                streamed.tryFail(cause);
            }
        }
    }

    private FrameClient(Vertx vertx, NetClient netClient, NetSocket socket, PodLimits limits) {
        this.vertx = vertx;
        this.netClient = netClient;
        this.socket = socket;
        this.limits = limits;
        socket.handler(this::onData);
        socket.closeHandler(v -> onClosed(new IOException("connection to " + socket.remoteAddress() + " closed")));
        socket.exceptionHandler(e -> close());
    }

    public static Future<FrameClient> connect(Vertx vertx, String host, int port, PodLimits limits) {
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeoutMillis()))
                .setTcpNoDelay(true);
        if (!limits.localAddress().isEmpty()) {
            options.setLocalAddress(limits.localAddress());
        }
        NetClient client = vertx.createNetClient(options);
        return client.connect(port, host)
                .map(socket -> new FrameClient(vertx, client, socket, limits))
                .onFailure(e -> client.close());
    }

    public String remote() {
        return String.valueOf(socket.remoteAddress());
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sends one request frame and reads its reply (a body of at most {@code maxReplyBody} bytes). */
    public Future<Reply> call(Buffer requestFrame, long maxReplyBody) {
        Promise<Reply> promise = Promise.promise();
        enqueue(new Call(() -> socket.write(requestFrame), maxReplyBody, promise, null, false));
        return promise.future();
    }

    /**
     * As {@link #call}, but written at once when every call in flight is pipelined too, without waiting for
     * their replies. Only for a server that reads requests written ahead: kfdfs's do, C FastDFS storages
     * (6.10 and later) do not (see above).
     */
    public Future<Reply> pipelined(Buffer requestFrame, long maxReplyBody) {
        Promise<Reply> promise = Promise.promise();
        enqueue(new Call(() -> socket.write(requestFrame), maxReplyBody, promise, null, true));
        return promise.future();
    }

    /** Calls sent or queued and not yet answered. */
    public int outstanding() {
        return inFlight.size() + queue.size();
    }

    /**
     * Sends one request frame and hands over its reply as soon as the header has arrived, with the body as
     * a stream (DOWNLOAD_FILE). The consumer must read the body to its end (or close this client): later
     * calls wait for it. While the consumer wants bytes and the peer sends none for the network timeout, the
     * connection fails and the body stream reports the error.
     */
    public Future<StreamedReply> callStreamed(Buffer requestFrame) {
        Promise<StreamedReply> promise = Promise.promise();
        enqueue(new Call(() -> socket.write(requestFrame), Long.MAX_VALUE, null, promise, false));
        return promise.future();
    }

    /**
     * Sends a request whose body ends with {@code length} bytes of a file, then reads the reply. The file is
     * opened off the event loop and sent with sendfile(2) (Vert.x's own sendFile opens and stats it on the
     * loop). A file that is shorter than the range by then (an appender file truncated meanwhile) would leave
     * the peer waiting for the rest until the network timeout: Netty's file region sees the early end and
     * fails, so the call fails at once and the connection closes.
     */
    public Future<Reply> callWithFile(Buffer requestPrefixFrame, String path, long offset, long length, long maxReplyBody) {
        Promise<Reply> promise = Promise.promise();
        enqueue(new Call(() -> vertx.executeBlocking(() -> FileChannel.open(Path.of(path), StandardOpenOption.READ), false)
                .compose(file -> {
                    // written in order; if the prefix fails the region fails too, and closes the file
                    socket.write(requestPrefixFrame);
                    return VertxInternals.writeFile(socket, file, offset, length)
                            .recover(e -> Future.failedFuture(new FileChangedException(path + ": the " + length
                                    + " bytes from " + offset + " could not all be sent (" + e.getMessage() + ")", e)));
                }),
                maxReplyBody, promise, null, false));
        return promise.future();
    }

    /** Sends a frame that has no reply (QUIT). */
    public Future<Void> send(Buffer frame) {
        return socket.write(frame);
    }

    /** Sends QUIT and closes, as the C storage does on its short tracker connections. */
    public Future<Void> quit() {
        return socket.write(Buffer.buffer(Header.request(Cmd.QUIT, 0).toBytes())).eventually(this::close);
    }

    public FrameClient closeHandler(Handler<Void> handler) {
        closeHandler = handler;
        return this;
    }

    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        return socket.close();
    }

    private void enqueue(Call call) {
        // the queue and the call in flight belong to the connection's event loop; a call from another
        // thread (a test, a blocking caller) would race the loop finishing the call before it
        EventExecutor loop = VertxInternals.channel(socket).executor();
        if (!loop.inEventLoop()) {
            loop.execute(() -> enqueue(call));
            return;
        }
        if (closed) {
            call.fail(new IOException("connection closed"));
            return;
        }
        queue.add(call);
        sendQueued();
    }

    /** Sends the queued calls that may go now: the next one when nothing is in flight, pipelined ones together. */
    private void sendQueued() {
        for (Call next; (next = queue.peek()) != null && stream == null
                && (inFlight.isEmpty() || next.pipelined() && inFlight.peekLast().pipelined()); ) {
            queue.poll();
            if (inFlight.isEmpty()) {
                header = null;
                armTimer(limits.networkTimeoutMillis());
            }
            inFlight.add(next);
            next.send().get().onFailure(this::fail);
        }
    }

    private void armTimer(long delayMillis) {
        timerId = vertx.setTimer(Math.max(1, delayMillis), id -> {
            timerId = -1;
            onTimer();
        });
    }

    private void onTimer() {
        long timeout = limits.networkTimeoutMillis();
        if (stream == null) {
            fail(new TimeoutException("no reply from " + socket.remoteAddress() + " within " + timeout + " ms"));
            return;
        }
        // streaming: only a peer that sends nothing while the consumer waits has stalled
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress);
        if (stream.wantsData() && idle >= timeout) {
            fail(new TimeoutException("reply body from " + socket.remoteAddress() + " stalled for " + idle + " ms"));
        } else {
            armTimer(stream.wantsData() ? timeout - idle : timeout);
        }
    }

    private void onData(Buffer data) {
        pending = pending.length() == 0 ? data : pending.appendBuffer(data);
        lastProgress = System.nanoTime();
        if (stream != null) {
            pump();
            return;
        }
        while (!closed && pending.length() > 0) {
            Call head = inFlight.peek();
            if (head == null) {
                fail(new IOException("unexpected " + pending.length() + " bytes from " + socket.remoteAddress()));
                return;
            }
            if (header == null) {
                if (pending.length() < Header.SIZE) {
                    return;
                }
                try {
                    header = Header.decode(pending.getBytes(0, Header.SIZE), 0);
                } catch (ProtocolException e) {
                    fail(e);
                    return;
                }
                if (header.bodyLength() > head.maxReplyBody()) {
                    fail(new IOException("reply body of " + header.bodyLength() + " bytes exceeds " + head.maxReplyBody()));
                    return;
                }
                if (head.streamed() != null) {
                    startStream();
                    return;
                }
            }
            long total = Header.SIZE + header.bodyLength();
            if (pending.length() < total) {
                return;
            }
            Reply reply = new Reply(header, pending.getBuffer(Header.SIZE, (int) total));
            pending = pending.length() == total ? Buffer.buffer() : pending.getBuffer((int) total, pending.length());
            header = null;
            inFlight.poll();
            cancelTimer();
            if (!inFlight.isEmpty()) {
                armTimer(limits.networkTimeoutMillis());
            }
            head.promise().complete(reply);
            // a callback of that reply may have queued the next call
            sendQueued();
        }
    }

    private void startStream() {
        pending = pending.getBuffer(Header.SIZE, pending.length());
        stream = new BodyStream(() -> {
            lastProgress = System.nanoTime();
            pump();
        }, header.bodyLength());
        inFlight.peek().streamed().complete(new StreamedReply(header, stream));
        pump();
    }

    /** Moves pending bytes into the reply stream while it wants them; pauses the socket when it does not. */
    private void pump() {
        if (pumping || stream == null) {
            return;
        }
        pumping = true;
        try {
            while (stream != null && pending.length() > 0 && stream.wantsData()) {
                Buffer chunk = pending;
                pending = Buffer.buffer();
                int taken = stream.deliver(VertxInternals.byteBuf(chunk));
                if (taken < chunk.length()) {
                    pending = chunk.getBuffer(taken, chunk.length());
                }
            }
        } finally {
            pumping = false;
        }
        if (stream == null || closed) {
            return;
        }
        if (stream.remaining() == 0) {
            if (pending.length() > 0) {
                fail(new IOException("unexpected bytes after the reply from " + socket.remoteAddress()));
                return;
            }
            // the stream's end handler has run; a call it queued waits for this one to be cleared
            stream = null;
            header = null;
            inFlight.poll();
            cancelTimer();
            socket.resume();
            sendQueued();
        } else if (stream.wantsData()) {
            socket.resume();
        } else {
            socket.pause();
        }
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void fail(Throwable cause) {
        onClosed(cause);
        socket.close();
    }

    private void onClosed(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimer();
        for (Call c; (c = inFlight.poll()) != null; ) {
            c.fail(cause);
        }
        if (stream != null) {
            stream.fail(cause);
            stream = null;
        }
        for (Call c; (c = queue.poll()) != null; ) {
            c.fail(cause);
        }
        netClient.close();
        if (closeHandler != null) {
            closeHandler.handle(null);
        }
    }
}
