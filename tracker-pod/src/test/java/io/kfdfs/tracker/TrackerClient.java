package io.kfdfs.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A blocking FastDFS connection to the tracker under test, as a client or a storage would open it. */
final class TrackerClient implements AutoCloseable {

    record Reply(Header header, byte[] body) {

        int status() {
            return header.status();
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(body);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    TrackerClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    /** Connects from {@code localIp} (127.0.0.x), so the tracker sees that peer address. */
    TrackerClient(String localIp, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(localIp, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Reply call(int cmd, Body body) throws IOException {
        ByteBuffer frame = body.request(cmd);
        send(frame.array());
        return read();
    }

    Reply call(int cmd) throws IOException {
        return call(cmd, Body.EMPTY);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Reply read() throws IOException {
        byte[] head = in.readNBytes(Header.SIZE);
        if (head.length < Header.SIZE) {
            throw new IOException("connection closed by the tracker");
        }
        try {
            Header h = Header.decode(head, 0);
            return new Reply(h, in.readNBytes((int) h.bodyLength()));
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** Whether the tracker closed the connection (EOF or reset) within {@code millis}, having sent nothing. */
    boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
