package io.kfdfs.conf;

import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackerConfigTest {

    private static TrackerConfig tracker(String text) {
        return TrackerConfig.from(ConfFile.parse(Path.of("/etc/fdfs/tracker.conf"), text));
    }

    @Test
    void codeDefaults() {
        TrackerConfig t = tracker("base_path = /data\n");
        assertEquals(22122, t.port());
        assertEquals(8080, t.httpPort());
        assertEquals("", t.bindAddr());
        assertEquals("auto", t.addressFamily());
        assertEquals(TrackerConfig.AUTO_IP_SIZE, t.responseIpAddrSize());
        assertEquals(10, t.connectTimeout());
        assertEquals(60, t.networkTimeout());
        assertEquals(256 * 1024, t.maxPackageSize());
        assertEquals(0, t.storeLookup());
        assertEquals("", t.storeGroup());
        assertEquals(0, t.storeServer());
        assertEquals(0, t.storePath());
        assertEquals(0, t.downloadServer());
        assertEquals(ReservedSpace.ofMegabytes(1024), t.reservedStorageSpace());
        assertEquals(100, t.checkActiveInterval());
        assertTrue(t.storageIpChangedAutoAdjust());
        assertEquals(86400, t.storageSyncFileMaxDelay());
        assertEquals(300, t.storageSyncFileMaxTime());
        assertFalse(t.useStorageId());
        assertEquals("storage_ids.conf", t.storageIdsFilename());
        assertEquals(Path.of("/etc/fdfs/storage_ids.conf"), t.storageIdsPath());
        assertEquals("ip", t.idTypeInFilename());
        assertTrue(t.trustStorageServerId());
        assertFalse(t.storeSlaveFileUseLink());
        assertFalse(t.useConnectionPool());
        assertEquals(3600, t.connectionPoolMaxIdleTime());
        assertFalse(t.listLegacyLayout());
        assertFalse(t.fetchAllLegacyFormat());
        assertFalse(t.downloadUseTimeHeuristics());
        TrackerConfig.Trunk trunk = t.trunk();
        assertEquals(256, trunk.slotMinSize());
        assertEquals(8 * 1024 * 1024, trunk.slotMaxSize(), "trunk_file_size / 8");
        assertEquals(0, trunk.trunkAllocAlignmentSize());
        assertEquals(64 * 1024 * 1024, trunk.trunkFileSize());
        assertEquals(LocalTime.of(2, 0), trunk.createFileTimeBase());
        assertEquals(86400, trunk.createFileInterval());
        assertEquals(LocalTime.of(3, 0), trunk.compressBinlogTimeBase());
        assertEquals(Set.of(), t.unknownKeys());
    }

    @Test
    void capturedTrackerConf() {
        TrackerConfig t = TrackerConfig.load(Vectors.dir().resolve("conf/tracker.conf"), Map.of());
        assertEquals(22200, t.port());
        assertEquals("127.0.0.1", t.bindAddr());
        assertEquals("IPv4", t.addressFamily());
        assertEquals(5, t.connectTimeout());
        assertEquals(128 * 1024, t.maxBuffSize());
        assertEquals(8 * 1024, t.minBuffSize());
        assertEquals("group1", t.storeGroup());
        assertEquals("20.00%", t.reservedStorageSpace().toParameter());
        assertTrue(t.allowHosts().allowsAll());
        assertEquals(120, t.checkActiveInterval());
        assertTrue(t.useStorageId());
        assertEquals("id", t.idTypeInFilename());
        assertTrue(t.useConnectionPool());
        // The values the tracker sent in its PARAMETER_REQ reply (01_storage_tracker, #126).
        assertEquals(256, t.trunk().slotMinSize());
        assertEquals(1048576, t.trunk().slotMaxSize());
        assertEquals(256, t.trunk().trunkAllocAlignmentSize());
        assertEquals(67108864, t.trunk().trunkFileSize());
        assertEquals(21474836480L, t.trunk().createFileSpaceThreshold());
        assertTrue(t.trunk().freeSpaceMerge());
        assertEquals(86400, t.trunk().compressBinlogMinInterval());
        assertEquals(7, t.trunk().binlogMaxBackups());
        assertEquals(Set.of(), t.unknownKeys());
    }

    @Test
    void trunkIsRefused() {
        ConfException e = assertThrows(ConfException.class, () -> tracker("base_path=/d\nuse_trunk_file = true\n"));
        assertEquals("/etc/fdfs/tracker.conf:2: use_trunk_file: trunk storage is not supported yet", e.getMessage());
    }

    @Test
    void trunkSizesAreAdjustedAsFastDfsDoes() {
        TrackerConfig.Trunk t = tracker("""
                base_path=/d
                trunk_file_size = 1MB
                slot_min_size = 128KB
                slot_max_size = 1MB
                """).trunk();
        assertEquals(4 * 1024 * 1024, t.trunkFileSize());
        assertEquals(64 * 1024, t.slotMinSize());
        assertEquals(1024 * 1024, t.slotMaxSize());
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nslot_min_size=1K\nslot_max_size=1K\n"));
    }

    @Test
    void validation() {
        assertThrows(ConfException.class, () -> tracker(""), "base_path is required");
        ConfException e = assertThrows(ConfException.class, () -> tracker("base_path=/d\nport = 70000\n"));
        assertTrue(e.getMessage().contains("tracker.conf:2") && e.getMessage().contains("port"), e.getMessage());
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nstore_lookup = 1\n"));
        assertEquals("g1", tracker("base_path=/d\nstore_lookup = 1\nstore_group = g1\n").storeGroup());
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nstore_group = group_1\n"));
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nstore_group = g12345678901234567\n"));
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nstore_path = 1\n"));
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nstore_lookup = 3\n"));
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nid_type_in_filename = name\n"));
        assertThrows(ConfException.class, () -> tracker("base_path=/d\nreserved_storage_space = 100%\n"));
        assertThrows(ConfException.class, () -> tracker("base_path=/d\naddress_family = IPv5\n"));
    }

    @Test
    void responseIpAddrSize() {
        assertEquals(TrackerConfig.AUTO_IP_SIZE, tracker("base_path=/d\nresponse_ip_addr_size = AUTO\n").responseIpAddrSize());
        assertEquals(46, tracker("base_path=/d\nresponse_ip_addr_size = IPv6\n").responseIpAddrSize());
    }

    @Test
    void unknownKeysAreKeptNotFatal() {
        TrackerConfig t = tracker("base_path=/d\nhttp.server_port = 8080\nstore_lokup = 2\n");
        assertEquals(Set.of("http.server_port", "store_lokup"), t.unknownKeys());
    }

    @Test
    void absoluteStorageIdsFilename() {
        assertEquals(Path.of("/x/ids.conf"), tracker("base_path=/d\nstorage_ids_filename=/x/ids.conf\n").storageIdsPath());
    }

    @Test
    void envOverrides() {
        TrackerConfig t = TrackerConfig.load(Vectors.dir().resolve("conf/tracker.conf"),
                Map.of("KFDFS_PORT", "22122", "KFDFS_BASE_PATH", "/data", "KFDFS_HTTP_PORT", "9090",
                        "KFDFS_RESERVED_STORAGE_SPACE", "10G"));
        assertEquals(22122, t.port());
        assertEquals("/data", t.basePath());
        assertEquals(9090, t.httpPort());
        assertEquals("10240MB", t.reservedStorageSpace().toParameter());
        ConfException e = assertThrows(ConfException.class, () -> TrackerConfig.load(
                Vectors.dir().resolve("conf/tracker.conf"), Map.of("KFDFS_USE_TRUNK_FILE", "yes")));
        assertTrue(e.getMessage().startsWith("environment variable KFDFS_USE_TRUNK_FILE"), e.getMessage());
    }
}
