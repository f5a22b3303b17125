package io.kfdfs.conf;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllowHostsTest {

    private static boolean allows(AllowHosts a, String ip) throws Exception {
        return a.allows(InetAddress.getByName(ip));
    }

    @Test
    void starOrNothingAllowsEveryone() throws Exception {
        assertTrue(AllowHosts.parse(List.of()).allowsAll());
        assertTrue(AllowHosts.parse(List.of("10.0.0.1", "*")).allowsAll());
        assertTrue(AllowHosts.parse(List.of("*.*.*.*")).allowsAll());
        assertTrue(allows(AllowHosts.ANY, "::1"));
    }

    @Test
    void addressesBlocksAndRanges() throws Exception {
        AllowHosts a = AllowHosts.parse(List.of("127.0.0.2", "192.168.5.64/26", "10.0.1.[1-15,20]"));
        assertFalse(a.allowsAll());
        assertTrue(allows(a, "127.0.0.2"));
        assertFalse(allows(a, "127.0.0.1"));
        assertTrue(allows(a, "192.168.5.64"));
        assertTrue(allows(a, "192.168.5.127"));
        assertFalse(allows(a, "192.168.5.128"));
        assertFalse(allows(a, "192.168.5.63"));
        assertTrue(allows(a, "10.0.1.1"));
        assertTrue(allows(a, "10.0.1.15"));
        assertTrue(allows(a, "10.0.1.20"));
        assertFalse(allows(a, "10.0.1.16"));
        assertFalse(allows(a, "::1"), "IPv6 clients only when everyone is allowed");
        assertTrue(allows(AllowHosts.parse(List.of("0.0.0.0/0")), "8.8.8.8"));
    }

    @Test
    void rangesKeepTheirLeadingZeros() {
        assertEquals(List.of("host01.x", "host02.x", "host10.x"), AllowHosts.expand("host[01-02,10].x"));
        assertEquals(List.of("plain"), AllowHosts.expand("plain"));
    }

    @Test
    void namesResolveWhenReadAndUnknownOnesAdmitNobody() throws Exception {
        AllowHosts a = AllowHosts.parse(List.of("localhost", "no-such-host.invalid"));
        assertTrue(allows(a, "127.0.0.1"));
        assertFalse(allows(a, "127.0.0.3"));
        assertEquals(List.of("no-such-host.invalid"), a.unresolved());
    }

    @Test
    void unreadableEntriesAreConfigurationErrors() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "1.2.3.4/x", "host[1-", "host]1", "h[a-b]",
                "h[5-1]", "h[1]x[2]", " ")) {
            ConfException e = assertThrows(ConfException.class, () -> AllowHosts.parse(List.of(bad)), bad);
            assertTrue(e.getMessage().startsWith("allow_hosts: "), e.getMessage());
        }
    }
}
