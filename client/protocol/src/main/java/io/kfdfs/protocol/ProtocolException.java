package io.kfdfs.protocol;

/**
 * A request or response that cannot be accepted. Carries the FastDFS status (errno) that the C server
 * answers for it and whether the frame is so malformed that the connection must be closed without a
 * reply (negative or oversized length, docs/protocol.md §1.2).
 */
public final class ProtocolException extends Exception {

    private final int status;
    private final boolean closeConnection;

    public ProtocolException(int status, String message) {
        this(status, message, false);
    }

    private ProtocolException(int status, String message, boolean closeConnection) {
        super(message);
        this.status = status;
        this.closeConnection = closeConnection;
    }

    /** A bad field value or body length: answered with EINVAL, the connection stays open. */
    public static ProtocolException invalid(String message) {
        return new ProtocolException(Status.EINVAL, message);
    }

    /** A frame that cannot be framed at all: the connection is closed without a reply. */
    public static ProtocolException malformed(String message) {
        return new ProtocolException(Status.EINVAL, message, true);
    }

    public int status() {
        return status;
    }

    public boolean closeConnection() {
        return closeConnection;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + " (" + Status.name(status) + ")";
    }
}
