package io.kfdfs.cli;

import io.kfdfs.client.FdfsException;
import io.kfdfs.conf.ConfException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * One-line error messages and exit codes. A status the server answered exits with that errno (2 for
 * ENOENT, 22 for EINVAL, 28 for ENOSPC ...), other failures with 1, usage errors with 64 (EX_USAGE).
 */
final class Failures {

    static final int FAILED = 1;
    static final int USAGE = 64;

    private Failures() {
    }

    /** Prints {@code program: what went wrong} and returns the exit code for it. */
    static int report(String program, Throwable e, PrintStream err) {
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        err.println(program + ": " + message(e));
        if (e instanceof FdfsException f && f.status() > 0 && f.status() < 126) {
            return f.status();
        }
        return e instanceof IllegalArgumentException ? USAGE : FAILED;
    }

    private static String message(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof FdfsException || e instanceof ConfException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof IOException) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return e.toString();
    }
}
