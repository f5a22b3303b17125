package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One blocking TCP connection to a tracker or storage, used by one thread at a time. It knows whether an
 * exchange is in progress: the pool takes back only a connection whose last reply was read to its end, so
 * a later request can never read the rest of an earlier reply.
 */
final class Connection implements Closeable, TimeoutWatchdog.Watched {

    /** Transfer buffer: uploads and downloads stream through it, whatever the file size. */
    static final int BUFFER_SIZE = 64 * 1024;

    /** Read-ahead: a reply's header and a short body come in one read; longer bodies bypass it. */
    private static final int READ_AHEAD = 8 * 1024;

    private final HostPort address;
    private final String remote;
    private final SocketChannel channel;
    private final Socket socket;
    private final ReadAhead in;
    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final long timeoutNanos;
    private final TimeoutWatchdog watchdog;
    private volatile long deadline;
    private volatile boolean expired;
    private boolean inExchange;
    private boolean broken;
    private boolean sent;
    private boolean replied;
    private boolean reused;
    private long idleSince;

    private Connection(HostPort address, SocketChannel channel, long timeoutMillis, TimeoutWatchdog watchdog)
            throws IOException {
        this.address = address;
        this.channel = channel;
        this.socket = channel.socket();
        this.remote = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.watchdog = watchdog;
        this.in = new ReadAhead(new TimedInput(socket.getInputStream()), READ_AHEAD);
        this.out = new BufferedOutputStream(new TimedOutput(socket.getOutputStream()), BUFFER_SIZE);
        watchdog.watch(this);
    }

    /**
     * Connects to the first reachable address of {@code address}: each host in turn (a dual-address
     * tracker), each of its IPs resolved now, so a Service whose DNS changed is followed. Reads and writes
     * that make no progress for {@code networkTimeoutMillis} fail with a {@link SocketTimeoutException},
     * enforced by {@code watchdog}.
     */
    static Connection open(HostPort address, int connectTimeoutMillis, int networkTimeoutMillis,
                           TimeoutWatchdog watchdog) throws IOException {
        IOException last = null;
        for (String host : address.hosts()) {
            InetAddress[] ips;
            try {
                ips = InetAddress.getAllByName(host);
            } catch (IOException e) {
                last = e;
                continue;
            }
            for (InetAddress ip : ips) {
                // a channel, so that closedWhileIdle() can look without waiting; its socket reads as a Socket
                SocketChannel ch = SocketChannel.open();
                Socket s = ch.socket();
                try {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(ip, address.port()), connectTimeoutMillis);
                    return new Connection(address, ch, networkTimeoutMillis, watchdog);
                } catch (IOException e) {
                    s.close();
                    last = e;
                }
            }
        }
        throw last;
    }

    HostPort address() {
        return address;
    }

    /** The {@code ip:port} actually connected, for messages. */
    String remote() {
        return remote;
    }

    /** Marks the start of a request/reply exchange. */
    void begin() {
        inExchange = true;
        sent = false;
        replied = false;
    }

    /** Whether any request byte may have reached the server in the current exchange. */
    boolean sent() {
        return sent;
    }

    /** Whether any reply byte arrived in the current exchange. */
    boolean replied() {
        return replied;
    }

    /** True once the connection served an earlier exchange (it may have gone stale while idle). */
    boolean reused() {
        return reused;
    }

    /** Usable for another exchange: the last reply was consumed completely and nothing failed. */
    boolean reusable() {
        return !inExchange && !broken && !socket.isClosed();
    }

    void markBroken() {
        broken = true;
    }

    long idleSince() {
        return idleSince;
    }

    /** Ends a complete exchange. */
    private void finish() {
        inExchange = false;
        reused = true;
        idleSince = System.nanoTime();
    }

    void send(ByteBuffer frame) throws IOException {
        sent = true;
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
    }

    /**
     * Sends exactly {@code content.length()} bytes of content. A failure to read the local content is thrown
     * as an {@link UncheckedIOException}, so that it cannot be taken for a network failure.
     */
    void sendContent(Content content) throws IOException {
        long remaining = content.length();
        InputStream source = local(content::open);
        try {
            while (remaining > 0) {
                int max = (int) Math.min(buffer.length, remaining);
                int n = local(() -> source.read(buffer, 0, max));
                if (n < 0) {
                    throw new UncheckedIOException(new EOFException("content ended " + remaining
                            + " bytes before its announced length " + content.length()));
                }
                sent = true;
                out.write(buffer, 0, n);
                remaining -= n;
            }
        } finally {
            try {
                source.close();
            } catch (IOException e) {
                // every byte needed was read; a failing close of the source loses nothing
            }
        }
    }

    private interface LocalIo<T> {
        T get() throws IOException;
    }

    private static <T> T local(LocalIo<T> io) {
        try {
            return io.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Reads a reply header. A status other than 0 ends the exchange with the typed exception for it (error
     * replies carry no body, §1.2); a frame that is not a FastDFS reply is a {@link ProtocolException}.
     */
    Header readHeader(String subject) throws IOException, ProtocolException {
        byte[] h = new byte[Header.SIZE];
        readFully(h, 0, h.length);
        Header header = Header.decode(h, 0);
        if (header.cmd() != Cmd.RESP) {
            throw ProtocolException.malformed("reply cmd " + header.cmd() + " is not " + Cmd.RESP);
        }
        if (header.status() != Status.OK) {
            if (header.bodyLength() != 0) {
                throw ProtocolException.malformed("error reply " + header.status() + " carries a body of "
                        + header.bodyLength() + " bytes");
            }
            finish();
            throw FdfsException.of(header.status(), remote, subject);
        }
        return header;
    }

    /** Sends {@code frame} and reads the whole reply body, at most {@code maxBody} bytes. */
    ByteBuffer call(ByteBuffer frame, long maxBody, String subject) throws IOException, ProtocolException {
        send(frame);
        flush();
        return readReply(maxBody, subject);
    }

    /** Reads a reply whose body is at most {@code maxBody} bytes into memory. */
    ByteBuffer readReply(long maxBody, String subject) throws IOException, ProtocolException {
        Header header = readHeader(subject);
        if (header.bodyLength() > maxBody) {
            throw ProtocolException.malformed("reply body of " + header.bodyLength() + " bytes exceeds "
                    + maxBody);
        }
        byte[] body = new byte[(int) header.bodyLength()];
        readFully(body, 0, body.length);
        finish();
        return ByteBuffer.wrap(body);
    }

    /**
     * Streams a reply body of {@code length} bytes to {@code sink} through the fixed buffer. A failure of
     * the sink is thrown as an {@link UncheckedIOException}; the connection is then mid-reply and is not
     * reused.
     */
    void readBodyTo(long length, ChunkSink sink) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new EOFException("connection closed " + remaining + " bytes before the end of the reply");
            }
            replied = true;
            remaining -= n;
            int chunk = n;
            local(() -> {
                sink.accept(buffer, 0, chunk);
                return null;
            });
        }
        finish();
    }

    /**
     * Whether the server closed the connection (or sent something unasked) while it sat in the pool, looked
     * at without waiting: a storage or tracker that restarted closed it before any request of ours, so a
     * new connection is safe for every request, an upload too.
     */
    boolean closedWhileIdle() {
        if (in.holdsBytes()) {
            return true;
        }
        try {
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) != 0;
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /** ACTIVE_TEST (111): true if the server answered it. */
    boolean activeTest() {
        begin();
        try {
            call(ByteBuffer.wrap(Header.request(Cmd.ACTIVE_TEST, 0).toBytes()), 0, "active test");
            return true;
        } catch (IOException | ProtocolException | FdfsException e) {
            broken = true;
            return false;
        }
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new EOFException("connection closed by " + remote + (replied ? " mid-reply" : ""));
            }
            replied = true;
            off += n;
            len -= n;
        }
    }

    @Override
    public long deadline() {
        return deadline;
    }

    @Override
    public void expire() {
        expired = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing is what makes the blocked call fail; there is nothing else to do
        }
    }

    /** Starts the clock of one blocking call (never 0, which means none). */
    private void block() {
        deadline = (System.nanoTime() + timeoutNanos) | 1;
    }

    private IOException failure(IOException e) {
        if (!expired) {
            return e;
        }
        SocketTimeoutException t = new SocketTimeoutException(remote + " made no progress for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        t.initCause(e);
        return t;
    }

    /** Read-ahead that can tell whether it holds unread bytes, without a system call. */
    private static final class ReadAhead extends BufferedInputStream {
        ReadAhead(InputStream in, int size) {
            super(in, size);
        }

        synchronized boolean holdsBytes() {
            return pos < count;
        }
    }

    /** The socket's input, each read under the watchdog's clock. */
    private final class TimedInput extends InputStream {
        private final InputStream raw;

        TimedInput(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            block();
            try {
                return raw.read(b, off, len);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                deadline = 0;
            }
        }

        @Override
        public int available() throws IOException {
            return raw.available();
        }
    }

    /** The socket's output, each write under the watchdog's clock. */
    private final class TimedOutput extends OutputStream {
        private final OutputStream raw;

        TimedOutput(OutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            block();
            try {
                raw.write(b, off, len);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                deadline = 0;
            }
        }
    }

    /** Says goodbye with QUIT (82) if the connection is idle and healthy, then closes it. */
    @Override
    public void close() {
        watchdog.unwatch(this);
        try {
            if (reusable()) {
                out.write(Header.request(Cmd.QUIT, 0).toBytes());
                out.flush();
            }
        } catch (IOException e) {
            // the server may already be gone; closing is all that is left to do
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to release beyond the socket
            }
        }
    }

    @Override
    public String toString() {
        return remote;
    }
}
