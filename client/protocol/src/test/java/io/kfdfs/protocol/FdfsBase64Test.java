package io.kfdfs.protocol;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FdfsBase64Test {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void encodesTheWorkedExampleBlocks() {
        assertEquals("wKgBZGVT8QCAASNFAAAABTYQpoY", FdfsBase64.encode(hex("c0a801646553f10080012345000000053610a686")));
        assertEquals("oYYBAGVT8QCAASNFAAAABTYQpoY", FdfsBase64.encode(hex("a18601006553f10080012345000000053610a686")));
        assertEquals("AAAAAQAABAAAAAEA", FdfsBase64.encode(hex("000000010000040000000100")));
    }

    @Test
    void usesDashUnderscoreAndDotPad() {
        assertEquals("-_8.", FdfsBase64.encodePadded(hex("fbff")));
        assertEquals("0EgUIgAAAAA.", FdfsBase64.encodePadded(hex("d048142200000000")));
        assertArrayEquals(hex("fbff"), FdfsBase64.decode("-_8."));
    }

    @Test
    void decodeSkipsCharactersOutsideTheAlphabet() {
        assertArrayEquals(hex("c0a80164"), FdfsBase64.decode("wK g\nBZA"));
    }

    @Test
    void roundTripsRandomData() {
        Random r = new Random(42);
        for (int len = 0; len < 64; len++) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            assertArrayEquals(b, FdfsBase64.decode(FdfsBase64.encode(b)));
            assertArrayEquals(b, FdfsBase64.decode(FdfsBase64.encodePadded(b)));
            assertEquals(0, FdfsBase64.encodePadded(b).length() % 4);
        }
    }
}
