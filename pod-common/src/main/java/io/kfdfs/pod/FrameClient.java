package io.kfdfs.pod;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An outbound FastDFS connection of a pod (storage to tracker, storage to storage), non-blocking. Calls
 * are queued and sent one at a time, since the protocol has no request ids: a reply belongs to the call
 * before it. A failed connection fails every queued call and closes; callers reconnect.
 */
public final class FrameClient {

    private final Vertx vertx;
    private final NetClient netClient;
    private final NetSocket socket;
    private final PodLimits limits;
    private final Queue<Call> queue = new ArrayDeque<>();
    private Call current;
    private Buffer pending = Buffer.buffer();
    private Header header;
    private long timerId = -1;
    private boolean closed;
    private Handler<Void> closeHandler;

    private record Call(Supplier<Future<Void>> send, long maxReplyBody, Promise<Reply> promise) {
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
        NetClient client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeoutMillis()))
                .setTcpNoDelay(true));
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
        return enqueue(() -> socket.write(requestFrame), maxReplyBody);
    }

    /** Sends a request whose body ends with {@code length} bytes of a file, then reads the reply. */
    public Future<Reply> callWithFile(Buffer requestPrefixFrame, String path, long offset, long length, long maxReplyBody) {
        return enqueue(() -> socket.write(requestPrefixFrame).compose(v -> socket.sendFile(path, offset, length)), maxReplyBody);
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

    private Future<Reply> enqueue(Supplier<Future<Void>> send, long maxReplyBody) {
        Promise<Reply> promise = Promise.promise();
        if (closed) {
            promise.fail(new IOException("connection closed"));
            return promise.future();
        }
        queue.add(new Call(send, maxReplyBody, promise));
        if (current == null) {
            next();
        }
        return promise.future();
    }

    private void next() {
        current = queue.poll();
        if (current == null) {
            return;
        }
        header = null;
        timerId = vertx.setTimer(limits.networkTimeoutMillis(), id -> {
            timerId = -1;
            fail(new TimeoutException("no reply from " + socket.remoteAddress() + " within " + limits.networkTimeoutMillis() + " ms"));
        });
        current.send().get().onFailure(this::fail);
    }

    private void onData(Buffer data) {
        pending = pending.length() == 0 ? data : pending.appendBuffer(data);
        if (current == null) {
            fail(new IOException("unexpected " + data.length() + " bytes from " + socket.remoteAddress()));
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
            if (header.bodyLength() > current.maxReplyBody()) {
                fail(new IOException("reply body of " + header.bodyLength() + " bytes exceeds " + current.maxReplyBody()));
                return;
            }
        }
        long total = Header.SIZE + header.bodyLength();
        if (pending.length() < total) {
            return;
        }
        if (pending.length() > total) {
            fail(new IOException("unexpected bytes after the reply from " + socket.remoteAddress()));
            return;
        }
        Reply reply = new Reply(header, pending.getBuffer(Header.SIZE, (int) total));
        pending = Buffer.buffer();
        Call done = current;
        cancelTimer();
        current = null;
        done.promise().complete(reply);
        next();
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
        if (current != null) {
            current.promise().tryFail(cause);
            current = null;
        }
        for (Call c; (c = queue.poll()) != null; ) {
            c.promise().tryFail(cause);
        }
        netClient.close();
        if (closeHandler != null) {
            closeHandler.handle(null);
        }
    }
}
