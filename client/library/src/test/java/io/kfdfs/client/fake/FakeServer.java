package io.kfdfs.client.fake;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FastDFS server for tests on 127.0.0.1: reads real frames, hands each to a {@link Handler} and writes
 * the frame it returns; QUIT closes the connection, as on the real servers. It records every request, so tests can compare request bytes with captured ones,
 * and counts connections, so they can tell whether one was reused.
 */
public final class FakeServer implements AutoCloseable {

    /** One received request frame. */
    public record Request(int connection, Header header, byte[] body) {

        public ByteBuffer bodyBuffer() {
            return ByteBuffer.wrap(body);
        }

        /** Header and body as they came over the wire. */
        public byte[] frame() {
            ByteBuffer b = ByteBuffer.allocate(Header.SIZE + body.length);
            header.encodeTo(b);
            return b.put(body).array();
        }
    }

    /** What to send back (possibly nothing), and whether to close the connection after it. */
    public record Reply(byte[] frame, boolean close) {

        public static Reply of(Body body) {
            ByteBuffer b = body.response();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return new Reply(bytes, false);
        }

        public static Reply ok() {
            return new Reply(Header.response(0).toBytes(), false);
        }

        public static Reply error(int status) {
            return new Reply(Header.error(status).toBytes(), false);
        }

        public static Reply raw(byte[] frame) {
            return new Reply(frame, false);
        }

        /** Closes the connection without answering. */
        public static Reply drop() {
            return new Reply(new byte[0], true);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request) throws Exception;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final List<Request> requests = new ArrayList<>();
    private final Map<Socket, Thread> open = new HashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    private FakeServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.acceptor = new Thread(this::accept, "fake-fdfs-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeServer start(Handler handler) throws IOException {
        return new FakeServer(handler);
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests with command {@code cmd}. */
    public List<Request> requests(int cmd) {
        return requests().stream().filter(r -> r.header().cmd() == cmd).toList();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int id = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(id, s), "fake-fdfs-conn-" + id);
                t.setDaemon(true);
                synchronized (this) {
                    open.put(s, t);
                }
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(int id, Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                byte[] h = new byte[Header.SIZE];
                try {
                    in.readFully(h);
                } catch (EOFException e) {
                    return;
                }
                Header header = Header.decode(h, 0);
                if (header.cmd() == Cmd.QUIT) {
                    return;
                }
                byte[] body = new byte[Math.toIntExact(header.bodyLength())];
                in.readFully(body);
                Request request = new Request(id, header, body);
                synchronized (this) {
                    requests.add(request);
                }
                Reply reply = handler.handle(request);
                out.write(reply.frame());
                out.flush();
                if (reply.close()) {
                    return;
                }
            }
        } catch (Exception e) {
            // the client went away or the test is over
        }
    }

    /**
     * Closes every open connection (as a server restart would) and waits until none is read any more, so
     * no request sent afterwards is seen; keeps listening.
     */
    public void dropConnections() throws IOException {
        Map<Socket, Thread> dropped;
        synchronized (this) {
            dropped = new HashMap<>(open);
            open.clear();
        }
        for (Map.Entry<Socket, Thread> e : dropped.entrySet()) {
            e.getKey().close();
            try {
                e.getValue().join(5000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }
}
