package io.kfdfs.cli.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.SplittableRandom;

/**
 * The content of the benchmark's files: file {@code i} is {@code size} bytes of one shared random pattern
 * read cyclically from an offset derived from {@code i}. Content is sent and verified as it streams, so
 * the benchmark never holds a file, and two files differ unless their offsets collide.
 */
final class Payload {

    /** Not a power of two, so that offsets of consecutive files spread over the whole pattern. */
    static final int PATTERN_SIZE = (1 << 20) + 4093;

    /** Direct, so that sending a slice of it copies nothing in the JVM. */
    private final ByteBuffer pattern = ByteBuffer.allocateDirect(PATTERN_SIZE);
    private final long size;

    Payload(long size, long seed) {
        this.size = size;
        byte[] random = new byte[PATTERN_SIZE];
        new SplittableRandom(seed).nextBytes(random);
        pattern.put(random).flip();
    }

    long size() {
        return size;
    }

    /** Where file {@code file}'s content starts in the pattern. */
    int start(int file) {
        return (int) Math.floorMod(file * 0x9E3779B97F4A7C15L, (long) PATTERN_SIZE);
    }

    /** File {@code file}'s content, to be written to a channel. */
    Sender sender(int file) {
        return new Sender(start(file));
    }

    /** A sink that compares a download of file {@code file} with what was uploaded. */
    Verifier verifier(int file) {
        return new Verifier(start(file));
    }

    final class Sender {
        private int at;
        private long left = size;

        private Sender(int start) {
            this.at = start;
        }

        /**
         * Writes {@code head} (a request's header and fixed part) and then the content, in one system call
         * while both fit, until all is sent (true) or the channel takes no more for now (false).
         */
        boolean writeTo(GatheringByteChannel channel, ByteBuffer head) throws IOException {
            while (head.hasRemaining() || left > 0) {
                ByteBuffer slice = pattern.slice(at, (int) Math.min(left, PATTERN_SIZE - at));
                long written = head.hasRemaining() ? channel.write(new ByteBuffer[] {head, slice}) : channel.write(slice);
                if (written == 0) {
                    return false;
                }
                left -= slice.position();
                at = (at + slice.position()) % PATTERN_SIZE;
            }
            return true;
        }
    }

    final class Verifier {
        private int at;
        private long received;
        private boolean differs;

        private Verifier(int start) {
            this.at = start;
        }

        /** Compares the chunk's remaining bytes, consuming them. */
        void accept(ByteBuffer chunk) {
            received += chunk.remaining();
            if (differs || received > size) {
                differs = true;
                return;
            }
            while (chunk.hasRemaining()) {
                int n = Math.min(chunk.remaining(), PATTERN_SIZE - at);
                if (chunk.slice(chunk.position(), n).mismatch(pattern.slice(at, n)) >= 0) {
                    differs = true;
                    return;
                }
                chunk.position(chunk.position() + n);
                at = (at + n) % PATTERN_SIZE;
            }
        }

        /** Every byte arrived and each was the one uploaded. */
        boolean matches() {
            return !differs && received == size;
        }
    }
}
