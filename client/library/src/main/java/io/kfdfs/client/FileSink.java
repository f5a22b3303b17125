package io.kfdfs.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A download into a local file that is created only when the first bytes arrive, so a download that
 * fails before any byte (no such file, storage unreachable) leaves an existing file untouched. Call
 * {@link #finish()} after a complete download, {@link #abandon()} after a failed one.
 */
public final class FileSink implements ChunkSink {

    private final Path target;
    private OutputStream out;

    public FileSink(Path target) {
        this.target = target;
    }

    @Override
    public void accept(byte[] buffer, int offset, int length) throws IOException {
        if (out == null) {
            out = Files.newOutputStream(target);
        }
        out.write(buffer, offset, length);
    }

    /** Creates the file if no byte came (an empty range), and closes it. */
    public void finish() throws IOException {
        if (out == null) {
            out = Files.newOutputStream(target);
        }
        out.close();
    }

    /** Closes and removes a partly written file; leaves the target alone if nothing was written. */
    public void abandon() throws IOException {
        if (out != null) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(target);
            }
        }
    }
}
