package io.kfdfs.conf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReservedSpaceTest {

    @Test
    void ratio() {
        ReservedSpace r = ReservedSpace.parse("20%");
        assertTrue(r.isRatio());
        assertEquals(0.2, r.ratio(), 1e-12);
        assertEquals("20.00%", r.toParameter());
        assertEquals(200, r.reservedMb(1000));
        assertEquals("12.50%", ReservedSpace.parse("12.5%").toParameter());
        assertEquals(r, ReservedSpace.parse(r.toParameter()));
    }

    @Test
    void size() {
        assertEquals(ReservedSpace.ofMegabytes(1024), ReservedSpace.parse("1G"));
        assertEquals(ReservedSpace.ofMegabytes(500), ReservedSpace.parse("500M"));
        assertEquals(ReservedSpace.ofMegabytes(1), ReservedSpace.parse("1048576"), "a bare number is bytes");
        ReservedSpace mb = ReservedSpace.parse("1024MB");
        assertFalse(mb.isRatio());
        assertEquals("1024MB", mb.toParameter());
        assertEquals(1024, mb.reservedMb(10));
        assertEquals(ReservedSpace.ofMegabytes(1024), ReservedSpace.DEFAULT);
    }

    @Test
    void invalid() {
        for (String s : List.of("0%", "100%", "-5%", "abc%", "lots", "")) {
            assertThrows(IllegalArgumentException.class, () -> ReservedSpace.parse(s), s);
        }
    }
}
