package io.kfdfs.client;

import io.kfdfs.protocol.Status;

/** The server rejected the request's arguments: a malformed file ID, an offset past the end, a non-appender file (EINVAL). */
public class InvalidArgumentException extends FdfsException {

    public InvalidArgumentException(String server, String message) {
        super(Status.EINVAL, server, message);
    }
}
