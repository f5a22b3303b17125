package io.kfdfs.conf;

import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageIdsTest {

    private static StorageIds ids(String text) {
        return StorageIds.parse("storage_ids.conf", text);
    }

    @Test
    void capturedFileGivesTheCapturedFetchStorageIdsReply() {
        StorageIds ids = StorageIds.load(Vectors.dir().resolve("conf/storage_ids.conf"));
        VectorFrame reply = Vectors.load("01_storage_tracker.jsonl").stream()
                .filter(f -> !f.request() && f.reqCmd() == 69).findFirst().orElseThrow();
        ByteBuffer body = reply.body();
        assertEquals(ids.entries().size(), body.getInt(), "total");
        assertEquals(ids.entries().size(), body.getInt(), "count");
        byte[] text = new byte[body.remaining()];
        body.get(text);
        assertEquals(new String(text, StandardCharsets.US_ASCII), String.join("", ids.toWireLines()));
    }

    @Test
    void fields() {
        StorageIds ids = ids("""
                # comment
                100001 group1 192.168.0.196:23000
                100002\tgroup1   kfdfs-group1-1.kfdfs-group1.ns.svc:23000   rw=readonly

                100003 group2 10.0.0.1,192.168.0.1:23000 RW=WriteOnly
                100004 group2 [fe80::1]:23000 rw=none
                100005 group2 [fe80::2,2001:db8::5]:23001 rw=all
                """);
        StorageIds.Entry e = ids.byId("100002").orElseThrow();
        assertEquals("group1", e.group());
        assertEquals(List.of("kfdfs-group1-1.kfdfs-group1.ns.svc"), e.hosts());
        assertEquals(23000, e.port());
        assertEquals(StorageIds.RwMode.READ, e.rw());
        assertEquals(4, e.rw().code());
        assertTrue(e.rw().canRead());
        assertFalse(e.rw().canWrite());
        assertEquals(List.of("10.0.0.1", "192.168.0.1"), ids.byId("100003").orElseThrow().hosts());
        assertEquals(2, ids.byId("100003").orElseThrow().rw().code());
        assertEquals(0, ids.byId("100004").orElseThrow().rw().code());
        assertEquals(6, ids.byId("100005").orElseThrow().rw().code());
        assertEquals(6, ids.byId("100001").orElseThrow().rw().code());
        assertTrue(ids.hasIpv6());
        assertFalse(ids("1 g 10.0.0.1\n").hasIpv6());
        assertEquals(List.of(
                "100001 group1 192.168.0.196:23000\n",
                "100002 group1 kfdfs-group1-1.kfdfs-group1.ns.svc:23000 rw=read\n",
                "100003 group2 10.0.0.1,192.168.0.1:23000 rw=write\n",
                "100004 group2 [fe80::1]:23000 rw=none\n",
                "100005 group2 [fe80::2,2001:db8::5]:23001\n"), ids.toWireLines());
    }

    @Test
    void sortedByIdAsStrings() {
        StorageIds ids = ids("100002 g a:1\n100010 g b:1\n9 g c:1\n");
        assertEquals(List.of("100002", "100010", "9"), ids.entries().stream().map(StorageIds.Entry::id).toList());
    }

    @Test
    void portIsOptionalButAllOrNothing() {
        StorageIds ids = ids("1 g1 10.0.0.1\n2 g1 10.0.0.2\n");
        assertEquals(0, ids.byId("1").orElseThrow().port());
        assertEquals("1 g1 10.0.0.1\n", ids.toWireLines().get(0), "no port printed when none is configured");
        assertTrue(ids.byId("2").orElseThrow().at("10.0.0.2", 23000), "a line without a port matches any port");
        ConfException e = assertThrows(ConfException.class, () -> ids("1 g 10.0.0.1:23000\n2 g 10.0.0.2\n"));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }

    @Test
    void lookups() {
        StorageIds ids = ids("""
                1 g1 host-a:23000
                2 g1 host-a:23001
                3 g2 10.0.0.1,192.168.0.1:23000
                """);
        assertTrue(ids.byId("2").orElseThrow().at("host-a", 23001));
        assertFalse(ids.byId("2").orElseThrow().at("host-a", 23002));
        assertTrue(ids.byId("3").orElseThrow().at("192.168.0.1", 23000), "either address of a dual one");
        assertEquals(Optional.empty(), ids.byId("4"));
    }

    @Test
    void resolveOnDemand() throws Exception {
        StorageIds.Entry ip = ids("1 g 127.0.0.1:1\n").entries().get(0);
        assertFalse(ip.named());
        assertSame(ip, ip.resolved(host -> {
            throw new AssertionError("an IP is not resolved");
        }));
        StorageIds.Entry dual = ids("2 g localhost,10.0.0.1:1 rw=read\n").entries().get(0);
        assertTrue(dual.named());
        assertEquals(new StorageIds.Entry("2", "g", List.of(InetAddress.getByName("localhost").getHostAddress(),
                "10.0.0.1"), 1, StorageIds.RwMode.READ), dual.resolved(NameResolver.JDK));
        assertEquals(List.of("10.0.0.7", "10.0.0.1"), dual.resolved(host -> List.of("10.0.0.7", "10.0.0.8")).hosts(),
                "the first address of a name");
        assertTrue(dual.at("localhost", 1), "as written");
        assertFalse(dual.at("localhost", 2));
        assertTrue(ids("3 g localhost\n").entries().get(0).at("localhost", 23000), "no port: any port");
        // An unresolvable name loads fine: it only matters when resolved.
        StorageIds.Entry unknown = ids("1 g no-such-host.invalid:1\n").entries().get(0);
        assertThrows(UnknownHostException.class, () -> unknown.resolved(NameResolver.JDK));
    }

    @Test
    void errorsNameTheLine() {
        assertError("1 g1 a:1\n\n1 g2 b:1\n", "storage_ids.conf:3", "duplicate storage ID 1");
        assertError("1 g1 a:1\n2 g1 a:1\n", "storage_ids.conf:2", "duplicate storage a:1");
        assertError("1 g1 a,b:1\n2 g2 b:1\n", "storage_ids.conf:2", "duplicate storage b:1");
        assertError("1 g1\n", "storage_ids.conf:1", "expected");
        assertError("0 g1 a:1\n", "storage_ids.conf:1", "storage ID");
        assertError("16777216 g1 a:1\n", "storage_ids.conf:1", "storage ID");
        assertError("0100 g1 a:1\n", "storage_ids.conf:1", "storage ID");
        assertError("1 group_1 a:1\n", "storage_ids.conf:1", "group name");
        assertError("1 g1 a:1 rw=maybe\n", "storage_ids.conf:1", "rw");
        assertError("1 g1 a:1 mode=read\n", "storage_ids.conf:1", "rw=");
        assertError("1 g1 a:99999\n", "storage_ids.conf:1", "port");
        assertError("1 g1 [fe80::1:1\n", "storage_ids.conf:1", "]");
        ids("16777215 g1 a:1\n");
    }

    private static void assertError(String text, String where, String what) {
        ConfException e = assertThrows(ConfException.class, () -> ids(text));
        assertTrue(e.getMessage().startsWith(where + ": ") && e.getMessage().contains(what), e.getMessage());
    }
}
