package io.kfdfs.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FieldsTest {

    @Test
    void fixedStringStopsAtFirstNulAndSkipsJunk() throws Exception {
        // the C storage leaves stale bytes after the NUL (testdata/vectors/NOTES.md D4, frame #611)
        byte[] field = {'g', 'r', 'o', 'u', 'p', '1', 0, (byte) 0xbf, (byte) 0xbf, 'M', '0', '0', 0, 0, 0, 0, 7};
        ByteBuffer in = ByteBuffer.wrap(field);
        assertEquals("group1", Fields.getFixed(in, 16, "group"));
        assertEquals(7, in.get());
    }

    @Test
    void fixedStringMayFillTheWholeField() throws Exception {
        ByteBuffer in = ByteBuffer.wrap("abcdefghijklmnop".getBytes());
        assertEquals("abcdefghijklmnop", Fields.getFixed(in, 16, "group"));
    }

    @Test
    void putFixedZeroFillsAndTruncates() {
        ByteBuffer out = ByteBuffer.allocate(6);
        Fields.putFixed(out, "txt", 6);
        assertArrayEquals(new byte[] {'t', 'x', 't', 0, 0, 0}, out.array());
        ByteBuffer small = ByteBuffer.allocate(4);
        Fields.putFixed(small, "toolong", 4);
        assertArrayEquals("tool".getBytes(), small.array());
    }

    @Test
    void shortReadsAreProtocolErrorsNotBufferExceptions() {
        ByteBuffer in = ByteBuffer.allocate(5);
        assertThrows(ProtocolException.class, () -> Fields.getLong(in, "size"));
        assertThrows(ProtocolException.class, () -> Fields.getFixed(in, 16, "group"));
        assertThrows(ProtocolException.class, () -> Fields.getVar(in, -1, "name"));
        assertThrows(ProtocolException.class, () -> Fields.getBytes(in, Integer.MAX_VALUE, "content"));
        assertEquals(0, in.position(), "a failed read consumes nothing");
    }

    @Test
    void lengthChecks() {
        ByteBuffer in = ByteBuffer.allocate(3);
        assertThrows(ProtocolException.class, () -> Fields.expectLength(in, 4, "x"));
        assertThrows(ProtocolException.class, () -> Fields.expectEnd(in, "x"));
    }

    @Test
    void bytesAreLatin1RoundTrip() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String s = Fields.getVar(ByteBuffer.wrap(all), 256, "all");
        assertArrayEquals(all, Fields.bytes(s));
    }

    @Test
    void randomFieldReadsNeverThrowUnchecked() {
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            ByteBuffer in = ByteBuffer.wrap(b);
            try {
                Fields.getFixed(in, r.nextInt(20), "f");
                Fields.getVar(in, r.nextInt(40) - 5, "v");
                Fields.getLong(in, "l");
            } catch (ProtocolException expected) {
                assertEquals(Status.EINVAL, expected.status());
            }
        }
    }
}
