package io.kfdfs.e2e.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow, lossy link in user space (this kernel has no netem): a TCP proxy on a loopback address that
 * forwards to one target, holding every chunk {@code delayMillis} in each direction; a chunk "lost" (with
 * probability {@code lossPercent}) costs what TCP pays for a lost segment, a retransmission timeout
 * (200 ms) on top, and one chunk in {@code resetOneIn} resets both connections. Order is kept. Its own
 * connections to the target leave from its listening address, so rules that send traffic to it do not
 * match them.
 */
public final class LinkProxy implements AutoCloseable {

    private static final long RETRANSMISSION_MILLIS = 200;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final int lossPercent;
    private final int resetOneIn;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private volatile boolean closed;

    public LinkProxy(String address, InetSocketAddress target, long delayMillis, int lossPercent, int resetOneIn)
            throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName(address));
        this.target = target;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        this.lossPercent = lossPercent;
        this.resetOneIn = resetOneIn;
        Thread accept = new Thread(this::accept, "proxy-" + server.getLocalSocketAddress());
        accept.setDaemon(true);
        accept.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public long resets() {
        return resets.get();
    }

    public long chunks() {
        return chunks.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                out.bind(new InetSocketAddress(server.getInetAddress(), 0));
                out.connect(target, 5_000);
                for (Socket s : List.of(in, out)) {
                    s.setTcpNoDelay(true);
                    s.setSoLinger(true, 0);
                }
                synchronized (sockets) {
                    sockets.add(in);
                    sockets.add(out);
                }
                pipe(in, out);
                pipe(out, in);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private record Chunk(long due, byte[] bytes) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(due, ((Chunk) o).due);
        }
    }

    /** One direction: a reader that stamps each chunk with when it may go, and a writer that sends it then. */
    private void pipe(Socket from, Socket to) {
        DelayQueue<Chunk> queue = new DelayQueue<>();
        Thread reader = new Thread(() -> {
            long last = 0;
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    if (resetOneIn > 0 && r.nextInt(resetOneIn) == 0) {
                        resets.incrementAndGet();
                        break;
                    }
                    long due = System.nanoTime() + delayNanos
                            + (r.nextInt(100) < lossPercent ? TimeUnit.MILLISECONDS.toNanos(RETRANSMISSION_MILLIS) : 0);
                    // strictly later than the chunk before: chunks due at the same instant could leave the queue swapped
                    last = Math.max(last + 1, due);
                    chunks.incrementAndGet();
                    queue.add(new Chunk(last, Arrays.copyOf(buf, n)));
                }
            } catch (IOException ended) {
                // the other side or close() ended the connection
            }
            queue.add(new Chunk(last, new byte[0]));
        }, "proxy-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = queue.take();
                    if (c.bytes().length == 0) {
                        break;
                    }
                    out.write(c.bytes());
                }
            } catch (IOException | InterruptedException ended) {
                // the connection is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException alreadyGone) {
            // closing a closed socket: nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (sockets) {
            sockets.forEach(LinkProxy::closeQuietly);
        }
    }
}
