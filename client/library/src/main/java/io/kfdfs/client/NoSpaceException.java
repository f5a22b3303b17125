package io.kfdfs.client;

import io.kfdfs.protocol.Status;

/** No group, storage or store path has room for the file above its reserved space (ENOSPC). */
public class NoSpaceException extends FdfsException {

    public NoSpaceException(String server, String message) {
        super(Status.ENOSPC, server, message);
    }
}
