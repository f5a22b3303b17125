package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The trunk commands of §4.15: decoded so the storage can answer them, byte layouts as the C structs. */
class TrunkRecordsTest {

    @Test
    void allocRequestLayout() throws Exception {
        TrunkAllocRequest r = new TrunkAllocRequest("group1", 1024 + 24, 0);
        assertEquals("67726f757031000000000000000000000000041800", HexFormat.of().formatHex(r.toBytes()));
        assertEquals(r, TrunkAllocRequest.decode(ByteBuffer.wrap(r.toBytes())));
    }

    @Test
    void slotRequestRoundTrips() throws Exception {
        TrunkSlotRequest r = new TrunkSlotRequest("g", new TrunkSlot(1, 0x0A, 0xFF, 7, 65536, 1048));
        byte[] b = r.toBytes();
        assertEquals(31, b.length);
        assertEquals("010aff000000070001000000000418", HexFormat.of().formatHex(b, 16, 31));
        assertEquals(r, TrunkSlotRequest.decode(ByteBuffer.wrap(b)));
    }

    @Test
    void wrongLengthsAreEinval() {
        assertThrows(ProtocolException.class, () -> TrunkAllocRequest.decode(ByteBuffer.allocate(20)));
        assertThrows(ProtocolException.class, () -> TrunkSlotRequest.decode(ByteBuffer.allocate(32)));
        assertThrows(ProtocolException.class, () -> TrunkSlot.decode(ByteBuffer.allocate(14)));
    }
}
