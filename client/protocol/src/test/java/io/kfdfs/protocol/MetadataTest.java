package io.kfdfs.protocol;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataTest {

    @Test
    void packsAndParses() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("width", "1024");
        m.put("height", "768");
        Metadata md = Metadata.of(m);
        assertEquals("width\u00021024\u0001height\u0002768", md.packed());
        assertEquals(md, Metadata.parse(md.packed()));
        assertEquals("height\u0002768\u0001width\u00021024", md.sorted().packed());
        assertEquals(21, md.size());
        assertEquals(md, Metadata.decode(ByteBuffer.wrap(md.toBytes())));
    }

    @Test
    void emptyIsZeroBytes() {
        assertTrue(Metadata.parse("").isEmpty());
        assertEquals(0, Metadata.EMPTY.toBytes().length);
    }

    @Test
    void dropsItemsWithoutFieldSeparatorAndTruncates() {
        String longName = "n".repeat(70);
        String longValue = "v".repeat(300);
        Metadata md = Metadata.parse("junk\u0001" + longName + "\u0002" + longValue + "\u0001\u0001a\u0002b\u0002c");
        assertEquals(List.of(new Metadata.Entry("n".repeat(64), "v".repeat(256)), new Metadata.Entry("a", "b\u0002c")),
                md.entries());
    }

    @Test
    void sortsByteWise() {
        Metadata md = Metadata.parse("b\u00021\u0001B\u00022\u0001\u00e9\u00023\u0001a\u00024").sorted();
        assertEquals(List.of("B", "a", "b", "\u00e9"), md.entries().stream().map(Metadata.Entry::name).toList());
    }

    @Test
    void mergeOverridesAndSorts() {
        Metadata old = Metadata.parse("height\u0002768\u0001width\u00021024");
        Metadata merged = old.merge(Metadata.parse("color\u0002red\u0001width\u0002800"));
        assertEquals("color\u0002red\u0001height\u0002768\u0001width\u0002800", merged.packed());
    }
}
