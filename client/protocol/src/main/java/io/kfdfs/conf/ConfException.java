package io.kfdfs.conf;

/**
 * A configuration file that cannot be used: a line that does not parse, a missing or cyclic include, a
 * missing required key or an invalid value. The message always says where (file and line, or the
 * environment variable) and, for values, which key.
 */
public final class ConfException extends RuntimeException {

    public ConfException(String message) {
        super(message);
    }

    public ConfException(String message, Throwable cause) {
        super(message, cause);
    }
}
