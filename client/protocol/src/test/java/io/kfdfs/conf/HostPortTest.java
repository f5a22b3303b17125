package io.kfdfs.conf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPortTest {

    @Test
    void forms() {
        assertEquals(new HostPort("192.168.1.10", 22122), HostPort.parse("192.168.1.10:22122", 1));
        assertEquals(new HostPort("kfdfs-tracker-0.kfdfs-tracker.ns.svc", 22122),
                HostPort.parse(" kfdfs-tracker-0.kfdfs-tracker.ns.svc:22122 ", 1));
        assertEquals(new HostPort("tracker", 22122), HostPort.parse("tracker", 22122));
        assertEquals(new HostPort(List.of("10.0.0.1", "1.2.3.4"), 22122), HostPort.parse("10.0.0.1,1.2.3.4:22122", 1));
        assertEquals(new HostPort("fe80::1", 22122), HostPort.parse("[fe80::1]:22122", 1));
        assertEquals(new HostPort("::1", 9), HostPort.parse("[::1]", 9));
        assertEquals(new HostPort(List.of("fe80::1", "2001:db8::2"), 23000),
                HostPort.parse("[fe80::1,2001:db8::2]:23000", 1));
        assertEquals("10.0.0.1", HostPort.parse("10.0.0.1,1.2.3.4:22122", 1).host());
    }

    @Test
    void toStringReadsBack() {
        for (String s : List.of("a:1", "10.0.0.1,1.2.3.4:22122", "[fe80::1]:22122", "[fe80::1,::2]:23000")) {
            assertEquals(s, HostPort.parse(s, 1).toString());
        }
    }

    @Test
    void invalid() {
        for (String s : List.of("", "a:", "a:0", "a:65536", "a:x", "fe80::1:22122", "[fe80::1:22122", "[::1]x",
                "a,:1", "a,b,c:1", "a b:1")) {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse(s, 22122), s);
        }
    }
}
