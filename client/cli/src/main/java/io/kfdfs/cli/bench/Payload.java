package io.kfdfs.cli.bench;

import io.kfdfs.client.ChunkSink;
import io.kfdfs.client.Content;

import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The content of the benchmark's files: file {@code i} is {@code size} bytes of one shared random pattern
 * read cyclically from an offset derived from {@code i}. Content is produced and verified as it streams, so
 * a worker never holds a file, and two files differ unless their offsets collide.
 */
final class Payload {

    /** Not a power of two, so that offsets of consecutive files spread over the whole pattern. */
    static final int PATTERN_SIZE = (1 << 20) + 4093;

    private final byte[] pattern = new byte[PATTERN_SIZE];
    private final long size;

    Payload(long size, long seed) {
        this.size = size;
        new SplittableRandom(seed).nextBytes(pattern);
    }

    long size() {
        return size;
    }

    /** Where file {@code file}'s content starts in the pattern. */
    int start(int file) {
        return (int) Math.floorMod(file * 0x9E3779B97F4A7C15L, (long) PATTERN_SIZE);
    }

    Content content(int file) {
        int start = start(file);
        return new Content() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public InputStream open() {
                return new PatternStream(start);
            }
        };
    }

    /** A sink that compares a download of file {@code file} with what was uploaded. */
    Verifier verifier(int file) {
        return new Verifier(start(file));
    }

    final class Verifier implements ChunkSink {
        private int at;
        private long received;
        private boolean differs;

        private Verifier(int start) {
            this.at = start;
        }

        @Override
        public void accept(byte[] buffer, int offset, int length) {
            received += length;
            if (differs || received > size) {
                differs = true;
                return;
            }
            while (length > 0) {
                int n = Math.min(length, PATTERN_SIZE - at);
                if (Arrays.mismatch(buffer, offset, offset + n, pattern, at, at + n) >= 0) {
                    differs = true;
                    return;
                }
                offset += n;
                length -= n;
                at = (at + n) % PATTERN_SIZE;
            }
        }

        /** Every byte arrived and each was the one uploaded. */
        boolean matches() {
            return !differs && received == size;
        }
    }

    private final class PatternStream extends InputStream {
        private int at;
        private long left = size;

        PatternStream(int start) {
            this.at = start;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            int b = pattern[at] & 0xFF;
            at = (at + 1) % PATTERN_SIZE;
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return len == 0 ? 0 : -1;
            }
            int n = (int) Math.min(Math.min(len, left), PATTERN_SIZE - at);
            System.arraycopy(pattern, at, b, off, n);
            at = (at + n) % PATTERN_SIZE;
            left -= n;
            return n;
        }
    }
}
