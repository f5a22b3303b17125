package io.kfdfs.tracker;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Storage IDs derived from IPs and the choice among dual addresses. */
class AddressesTest {

    @Test
    void ipv6ShortCodeMatchesTheWorkedExample() {
        assertEquals("0EgUIgAAAAA.", Addresses.storageIdOfIp("2409:8a20:42d:2f40:587a:4c47:72c0:ad8e"));
        assertEquals("10.0.0.1", Addresses.storageIdOfIp("10.0.0.1"));
    }

    @Test
    void dualAddressesAreChosenByTheClientsNetwork() {
        List<String> both = List.of("10.1.2.3", "203.0.113.7");
        assertEquals("10.1.2.3", Addresses.forClient(both, "10.9.9.9"));
        assertEquals("203.0.113.7", Addresses.forClient(both, "198.51.100.1"));
        assertEquals("10.1.2.3", Addresses.forClient(both, "192.168.1.1"), "no match: the first");
        assertEquals("172.20.0.1", Addresses.forClient(List.of("203.0.113.7", "172.20.0.1"), "172.31.0.9"));
    }
}
