package io.kfdfs.protocol;

import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderTest {

    @Test
    void everyCapturedHeaderRoundTrips() throws Exception {
        int n = 0;
        for (List<VectorFrame> frames : Vectors.all().values()) {
            for (VectorFrame f : frames) {
                if (f.length() < 0) {
                    ProtocolException e = assertThrows(ProtocolException.class, () -> Header.decode(f.bytes(), 0));
                    assertTrue(e.closeConnection(), "a negative length closes the connection: " + f);
                    continue;
                }
                Header h = Header.decode(f.bytes(), 0);
                assertEquals(f.length(), h.bodyLength(), f.toString());
                assertEquals(f.cmd(), h.cmd(), f.toString());
                assertEquals(f.status(), h.status(), f.toString());
                assertArrayEquals(Arrays.copyOf(f.bytes(), Header.SIZE), h.toBytes(), f.toString());
                if (!f.request()) {
                    assertEquals(Cmd.RESP, h.cmd(), "every reply carries cmd 100: " + f);
                }
                n++;
            }
        }
        assertTrue(n > 3000, "frames checked: " + n);
    }

    @Test
    void workedExampleOfProtocol13_1() throws Exception {
        Header h = Header.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 101, 0}, 0);
        assertEquals(new Header(0, Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE, 0), h);
    }

    @Test
    void shortHeaderIsMalformed() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Header.decode(ByteBuffer.allocate(9)));
        assertTrue(e.closeConnection());
    }

    @Test
    void randomBytesNeverThrowUnchecked() {
        Random r = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = new byte[r.nextInt(14)];
            r.nextBytes(b);
            try {
                Header h = Header.decode(ByteBuffer.wrap(b));
                assertTrue(h.bodyLength() >= 0);
            } catch (ProtocolException expected) {
                assertEquals(Status.EINVAL, expected.status());
            }
        }
    }

    @Test
    void statusNamesAndCommandNames() {
        assertEquals("ENOENT", Status.name(2));
        assertEquals("no such file or group (ENOENT)", Status.describe(Status.ENOENT));
        assertEquals("UPLOAD_FILE", Cmd.name(11));
        assertEquals("CMD_200", Cmd.name(200));
    }
}
