package io.kfdfs.client;

import io.kfdfs.protocol.Status;

/** The file already exists, e.g. a slave file uploaded twice (EEXIST). */
public class FileExistsException extends FdfsException {

    public FileExistsException(String server, String message) {
        super(Status.EEXIST, server, message);
    }
}
