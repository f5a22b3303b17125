package io.kfdfs.client;

import io.kfdfs.protocol.Status;

/** The file, its metadata, its group or a storage able to serve it does not exist (ENOENT). */
public class NoSuchFileException extends FdfsException {

    public NoSuchFileException(String server, String message) {
        super(Status.ENOENT, server, message);
    }
}
