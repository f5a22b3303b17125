package io.kfdfs.pod;

import java.io.IOException;

/**
 * A file sent with a request ended before the length its header announced: it was truncated meanwhile (an
 * appender file), so the connection had to close. Nothing is wrong with the peer; the sender looks at the
 * file again and sends what it holds now.
 */
public final class FileChangedException extends IOException {

    public FileChangedException(String message, Throwable cause) {
        super(message, cause);
    }
}
