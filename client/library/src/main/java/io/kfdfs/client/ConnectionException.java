package io.kfdfs.client;

/**
 * A server could not be reached or the connection failed mid-request: connection refused, a timeout, a
 * reset, or a reply that is not a FastDFS frame. {@link #requestSent()} tells whether any request bytes
 * may have reached the server: when false, repeating the operation elsewhere is safe.
 */
public class ConnectionException extends FdfsException {

    private final boolean requestSent;

    public ConnectionException(int status, String server, String message, boolean requestSent, Throwable cause) {
        super(status, server, message, cause);
        this.requestSent = requestSent;
    }

    public boolean requestSent() {
        return requestSent;
    }
}
