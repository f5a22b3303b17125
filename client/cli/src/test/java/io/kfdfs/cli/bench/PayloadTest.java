package io.kfdfs.cli.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadTest {

    /** Larger than the pattern, so the content wraps around it. */
    private static final int SIZE = Payload.PATTERN_SIZE + 12345;

    private static byte[] contentOf(Payload p, int file) throws Exception {
        return Trickle.content(p, file);
    }

    @Test
    void theSameFileHasTheSameContentAndOthersDiffer() throws Exception {
        Payload p = new Payload(SIZE, 7);
        byte[] a = contentOf(p, 3);
        assertEquals(SIZE, a.length);
        assertArrayEquals(a, contentOf(new Payload(SIZE, 7), 3));
        assertNotEquals(p.start(3), p.start(4));
        assertFalse(Arrays.equals(a, contentOf(p, 4)));
    }

    @Test
    void theVerifierAcceptsTheContentInAnyChunkingAndRejectsOneWrongByte() throws Exception {
        Payload p = new Payload(SIZE, 7);
        byte[] a = contentOf(p, 9);
        Payload.Verifier whole = p.verifier(9);
        whole.accept(ByteBuffer.wrap(a));
        assertTrue(whole.matches());

        Payload.Verifier chunked = p.verifier(9);
        for (int off = 0; off < a.length; off += 65536) {
            int n = Math.min(65536, a.length - off);
            ByteBuffer chunk = ByteBuffer.allocateDirect(n).put(a, off, n).flip();
            chunked.accept(chunk);
            assertFalse(chunk.hasRemaining(), "the verifier consumes what it compared");
        }
        assertTrue(chunked.matches());

        a[Payload.PATTERN_SIZE + 5] ^= 1;
        Payload.Verifier flipped = p.verifier(9);
        flipped.accept(ByteBuffer.wrap(a));
        assertFalse(flipped.matches());

        Payload.Verifier otherFile = p.verifier(10);
        otherFile.accept(ByteBuffer.wrap(contentOf(p, 9)));
        assertFalse(otherFile.matches());
    }

    @Test
    void aShortOrLongDownloadIsAMismatch() throws Exception {
        Payload p = new Payload(1000, 1);
        byte[] a = contentOf(p, 0);
        Payload.Verifier shortOne = p.verifier(0);
        shortOne.accept(ByteBuffer.wrap(a, 0, 999));
        assertFalse(shortOne.matches());
        Payload.Verifier longOne = p.verifier(0);
        longOne.accept(ByteBuffer.wrap(a));
        longOne.accept(ByteBuffer.wrap(a, 0, 1));
        assertFalse(longOne.matches());
    }
}
