package io.kfdfs.client;

import io.kfdfs.protocol.Status;

/**
 * A FastDFS operation failed. {@link #status()} is the errno the server answered (docs/protocol.md §1.5), or
 * the local equivalent for a network failure; {@link #server()} is the {@code host:port} that failed,
 * null when no server was involved. The message is one line: what, why and where.
 */
public class FdfsException extends RuntimeException {

    private final int status;
    private final String server;

    public FdfsException(int status, String server, String message) {
        this(status, server, message, null);
    }

    public FdfsException(int status, String server, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.server = server;
    }

    public int status() {
        return status;
    }

    public String server() {
        return server;
    }

    /**
     * The typed exception for a status a server answered about {@code subject} (a file ID, a group,
     * "upload" ...).
     */
    public static FdfsException of(int status, String server, String subject) {
        String message = subject + ": " + Status.describe(status) + " from " + server;
        return switch (status) {
            case Status.ENOENT -> new NoSuchFileException(server, message);
            case Status.ENOSPC -> new NoSpaceException(server, message);
            case Status.EEXIST -> new FileExistsException(server, message);
            case Status.EINVAL -> new InvalidArgumentException(server, message);
            default -> new FdfsException(status, server, message);
        };
    }
}
