package io.kfdfs.cli.bench;

import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One non-blocking connection of the benchmark to a tracker or a storage: it sends a request (a frame,
 * then any file content as the socket takes it) and hands the reply's header and body to the request's
 * {@link Reply} as they arrive. One request at a time, as FastDFS clients do.
 */
final class Link {

    /** What the request in flight does with its reply. */
    interface Reply {
        /** The reply's header arrived; its body follows. Throw to refuse it (the link is then closed). */
        void header(Header header) throws ProtocolException;

        /** Some of the body, to be consumed before returning (it is a view of the link's read buffer). */
        void body(ByteBuffer chunk) throws ProtocolException;

        /** The whole reply arrived. */
        void end() throws Exception;
    }

    /** Who is told when the link fails outside of a call it made (a read or write the selector started). */
    interface Owner {
        void failed(Link link, Exception e);
    }

    final String peer;
    final Owner owner;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final ByteBuffer in;
    private ByteBuffer frame;
    private Payload.Sender content;
    private Reply reply;
    private Header header;
    private long bodyLeft;
    private long lastProgress;

    private Link(String peer, Owner owner, SocketChannel channel, SelectionKey key, int readBuffer) {
        this.peer = peer;
        this.in = ByteBuffer.allocateDirect(readBuffer);
        this.owner = owner;
        this.channel = channel;
        this.key = key;
    }

    /**
     * Connects (blocking, up to {@code connectTimeoutMillis}) and registers for reads; the key's attachment
     * is the link. Replies are read {@code readBuffer} bytes at a time at most.
     */
    static Link connect(Selector selector, String host, int port, int connectTimeoutMillis, int readBuffer,
                        Owner owner) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Link link = new Link(host + ":" + port, owner, channel, key, readBuffer);
            key.attach(link);
            return link;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code frame} and then {@code content} (may be null); the reply goes to {@code reply}. */
    void send(ByteBuffer frame, Payload.Sender content, Reply reply) throws IOException {
        if (this.reply != null) {
            throw new IllegalStateException(peer + ": a request is already in flight");
        }
        this.frame = frame;
        this.content = content;
        this.reply = reply;
        this.lastProgress = System.nanoTime();
        writable();
    }

    /** Writes what the socket takes; waits for it to be writable again when it is full. */
    void writable() throws IOException {
        boolean sent;
        if (content != null) {
            sent = content.writeTo(channel, frame);
        } else {
            int n;
            do {
                n = channel.write(frame);
            } while (n > 0 && frame.hasRemaining());
            sent = !frame.hasRemaining();
        }
        lastProgress = System.nanoTime();
        if (sent) {
            content = null;
        }
        int ops = sent ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Reads what arrived and passes it on to the reply in flight. */
    void readable() throws Exception {
        if (channel.read(in) < 0) {
            throw new EOFException(peer + " closed the connection");
        }
        lastProgress = System.nanoTime();
        in.flip();
        try {
            while (in.hasRemaining()) {
                if (reply == null) {
                    throw ProtocolException.malformed(peer + " sent " + in.remaining() + " bytes nobody asked for");
                }
                if (header == null) {
                    if (in.remaining() < Header.SIZE) {
                        break;
                    }
                    header = Header.decode(in);
                    if (frame.hasRemaining() || content != null) {
                        throw new IOException(peer + " replied (status " + header.status()
                                + ") before the request was sent");
                    }
                    bodyLeft = header.bodyLength();
                    reply.header(header);
                }
                int n = (int) Math.min(bodyLeft, in.remaining());
                if (n > 0) {
                    ByteBuffer chunk = in.slice(in.position(), n);
                    in.position(in.position() + n);
                    bodyLeft -= n;
                    reply.body(chunk);
                }
                if (bodyLeft == 0) {
                    finish();
                } else {
                    break;
                }
            }
        } finally {
            in.compact();
        }
    }

    private void finish() throws Exception {
        Reply done = reply;
        reply = null;
        header = null;
        done.end();
    }

    /** A request is in flight and nothing moved for {@code nanos}. */
    boolean stalledFor(long nanos, long now) {
        return reply != null && now - lastProgress > nanos;
    }

    void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closing a broken connection: nothing left to lose
        }
    }
}
