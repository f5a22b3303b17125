package io.kfdfs.storage.store;

import io.kfdfs.protocol.FileName;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamingTest {

    private static final FileName.Block BLOCK = new FileName.Block(FileName.sourceOfIpv4("127.0.0.1"), 1795633364L,
            FileName.sizeField(5, false, 1), 0x3610a686);

    @Test
    void roundRobinAdvancesEveryRotateCountFilesAndWraps() {
        Naming n = new Naming(0, 3, 2, new Random(1), new Naming.DistState(1, 1, 0));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            Naming.Dir d = n.nextDir(BLOCK);
            sb.append(d.high()).append(d.low()).append(' ');
        }
        assertEquals("11 11 11 00 00 00 01 ", sb.toString());
        assertEquals(new Naming.DistState(0, 1, 7), n.state());
    }

    @Test
    void savedStateOutsideTheSubdirCountIsFolded() {
        Naming n = new Naming(0, 100, 4, new Random(1), new Naming.DistState(9, 6, 5));
        assertEquals(new Naming.Dir(1, 2), n.nextDir(BLOCK));
    }

    @Test
    void hashModeStaysInRange() {
        Naming n = new Naming(1, 100, 3, new Random(2), Naming.DistState.START);
        for (int i = 0; i < 200; i++) {
            Naming.Dir d = n.nextDir(BLOCK);
            assertTrue(d.high() < 3 && d.low() < 3, d.toString());
        }
    }

    @Test
    void pjwHashMatchesLibfastcommon() {
        // expected values from an independent emulation of libfastcommon's PJW_HASH_FUNC as gcc compiles it
        assertEquals(0, Naming.pjwHash(""));
        assertEquals(0x61, Naming.pjwHash("a"));
        assertEquals(0xea62169, Naming.pjwHash("oYYBAGsHMNSAYgHRAAAABTYQpoY"));
        assertEquals(0x3e2ce39, Naming.pjwHash("wKgBZGVT8QCAASNFAAAABTYQpoY"));
    }

    @Test
    void namesAreUniqueUntilReleased() {
        Naming n = new Naming(0, 100, 256, new Random(3), Naming.DistState.START);
        Naming.Dir d = new Naming.Dir(0, 0);
        String a = n.newName(0, d, BLOCK, "abcdef");
        String b = n.newName(0, d, BLOCK, "abcdef");
        assertNotEquals(a, b, "an extension of 6 leaves no random digits: the block must change");
        assertTrue(a.endsWith(".abcdef") && b.endsWith(".abcdef"));
        n.release(a);
        assertTrue(n.reserve(a));
    }
}
