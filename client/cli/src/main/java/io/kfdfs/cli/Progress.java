package io.kfdfs.cli;

import io.kfdfs.client.ChunkSink;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * A progress bar on stderr for transfers larger than {@link #THRESHOLD}, drawn only when stderr is a
 * terminal (a pipe or a log gets nothing) and {@code --quiet} is not given.
 */
final class Progress implements AutoCloseable {

    static final long THRESHOLD = 4L << 20;
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean shown;
    private long done;
    private long lastDraw;

    private Progress(String label, long total, PrintStream err, boolean shown) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.shown = shown;
    }

    /** A bar for {@code total} bytes; it draws nothing unless one should be shown. */
    static Progress start(String label, long total, boolean quiet, PrintStream err) {
        boolean terminal = System.console() != null;
        return new Progress(label, total, err, !quiet && terminal && total >= THRESHOLD);
    }

    InputStream wrap(InputStream in) {
        if (!shown) {
            return in;
        }
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    add(n);
                }
                return n;
            }
        };
    }

    /** {@code sink}, with the bytes it receives counted. */
    ChunkSink counting(ChunkSink sink) {
        if (!shown) {
            return sink;
        }
        return (b, off, len) -> {
            sink.accept(b, off, len);
            add(len);
        };
    }

    OutputStream wrap(OutputStream out) {
        if (!shown) {
            return out;
        }
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                add(len);
            }
        };
    }

    private void add(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || done >= total) {
            lastDraw = now;
            int filled = (int) (WIDTH * done / total);
            err.printf("\r%s [%s%s] %3d%% %.1f/%.1f MiB", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                    100 * done / total, done / 1048576.0, total / 1048576.0);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (shown) {
            err.println();
        }
    }
}
