package io.kfdfs.client;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of an upload, append or modify: a known length and a stream to read them from. FastDFS
 * announces the length before the content, so it must be known up front; the content itself is streamed
 * through a fixed buffer, never held in memory.
 */
public interface Content {

    long length();

    /** Opens the bytes for reading; the client reads exactly {@link #length()} bytes and closes the stream. */
    InputStream open() throws IOException;

    static Content of(byte[] data) {
        return new Content() {
            @Override
            public long length() {
                return data.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(data);
            }
        };
    }

    /** A file's bytes, its size taken now. */
    static Content of(Path file) throws IOException {
        long size = Files.size(file);
        return new Content() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }

    /**
     * {@code length} bytes of a stream the caller owns: it can be read only once, so an operation using it
     * is never retried after the first byte is sent.
     */
    static Content of(InputStream in, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative content length " + length);
        }
        return new Content() {
            private boolean opened;

            @Override
            public long length() {
                return length;
            }

            @Override
            public synchronized InputStream open() {
                if (opened) {
                    throw new IllegalStateException("a stream content can be sent only once");
                }
                opened = true;
                return new FilterInputStream(in) {
                    @Override
                    public void close() {
                        // the caller opened the stream and closes it
                    }
                };
            }
        };
    }
}
