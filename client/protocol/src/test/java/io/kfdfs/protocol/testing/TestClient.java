package io.kfdfs.protocol.testing;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.storage.AppendFileRequest;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.ModifyFileRequest;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.storage.UploadSlaveRequest;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A blocking FastDFS connection over a plain socket, for tests of a tracker or a storage: it sends exactly
 * the bytes it is given, as a client, a storage or a peer would. The storage commands name group1.
 */
public final class TestClient implements Closeable {

    public static final String GROUP = "group1";

    public record Reply(int status, byte[] body) {
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(body);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public TestClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    public TestClient(String host, int port) throws IOException {
        this(null, host, port);
    }

    private TestClient(String localIp, String host, int port) throws IOException {
        socket = new Socket();
        if (localIp != null) {
            socket.bind(new InetSocketAddress(localIp, 0));
        }
        // requests go out as header, then content: without this, each waits for a delayed ACK
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A connection to 127.0.0.1 from {@code localIp} (127.0.0.x), so that the server sees that peer address. */
    public static TestClient from(String localIp, int port) throws IOException {
        return new TestClient(localIp, "127.0.0.1", port);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(ByteBuffer frame) throws IOException {
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        send(b);
    }

    public Reply read() throws IOException {
        byte[] h = new byte[Header.SIZE];
        in.readFully(h);
        Header header;
        try {
            header = Header.decode(h, 0);
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
        assertEquals(Cmd.RESP, header.cmd());
        byte[] body = new byte[(int) header.bodyLength()];
        in.readFully(body);
        return new Reply(header.status(), body);
    }

    /** Whether the server closed the connection (EOF or reset) within {@code millis}, having sent nothing. */
    public boolean closedWithin(int millis) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    public Reply call(int cmd, Body body) throws IOException {
        send(body.request(cmd));
        return read();
    }

    public Reply call(int cmd) throws IOException {
        return call(cmd, Body.EMPTY);
    }

    public Reply call(int cmd, int status, Body body) throws IOException {
        send(body.frame(cmd, status));
        return read();
    }

    public Reply upload(int cmd, int storePath, String ext, byte[] content) throws IOException {
        send(new UploadFileRequest(storePath, content.length, ext).request(cmd));
        send(content);
        return read();
    }

    /** Uploads and returns the remote filename, failing the test on an error status. */
    public String upload(byte[] content, String ext) throws IOException {
        return name(upload(Cmd.UPLOAD_FILE, -1, ext, content));
    }

    public String uploadAppender(byte[] content, String ext) throws IOException {
        return name(upload(Cmd.UPLOAD_APPENDER_FILE, -1, ext, content));
    }

    public Reply uploadSlave(String master, String prefix, String ext, byte[] content) throws IOException {
        send(new UploadSlaveRequest(master, content.length, prefix, ext).request(Cmd.UPLOAD_SLAVE_FILE));
        send(content);
        return read();
    }

    public Reply append(String name, byte[] content) throws IOException {
        send(new AppendFileRequest(name, content.length).request(Cmd.APPEND_FILE));
        send(content);
        return read();
    }

    public Reply modify(String name, long offset, byte[] content) throws IOException {
        send(new ModifyFileRequest(name, offset, content.length).request(Cmd.MODIFY_FILE));
        send(content);
        return read();
    }

    public Reply download(String name, long offset, long length) throws IOException {
        return call(Cmd.DOWNLOAD_FILE, new DownloadRequest(offset, length, GROUP, name));
    }

    public byte[] download(String name) throws IOException {
        Reply r = download(name, 0, 0);
        assertEquals(0, r.status(), "download " + name);
        return r.body();
    }

    public Reply delete(String name) throws IOException {
        return call(Cmd.DELETE_FILE, new GroupFile(GROUP, name));
    }

    public Reply setMetadata(String name, char flag, Metadata md) throws IOException {
        return call(Cmd.SET_METADATA, SetMetadataRequest.of(GROUP, name, flag, md));
    }

    public Reply getMetadata(String name) throws IOException {
        return call(Cmd.GET_METADATA, new GroupFile(GROUP, name));
    }

    public QueryFileInfoResponse fileInfo(String name, int flags) throws IOException {
        Reply r = call(Cmd.QUERY_FILE_INFO, flags, new GroupFile(GROUP, name));
        assertEquals(0, r.status(), "file info " + name);
        try {
            return QueryFileInfoResponse.decode(r.buffer());
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** The remote filename of an upload's reply, failing the test on an error status. */
    public static String name(Reply r) throws IOException {
        assertEquals(0, r.status(), "upload status");
        try {
            GroupFile f = GroupFile.decode(r.buffer());
            assertEquals(GROUP, f.group());
            return f.filename();
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
