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

class StorageConfigTest {

    private static final String MINIMAL = "base_path = /data\ntracker_server = t:22122\n";

    private static StorageConfig storage(String text) {
        return StorageConfig.from(ConfFile.parse(Path.of("/etc/fdfs/storage.conf"), text));
    }

    @Test
    void codeDefaults() {
        StorageConfig s = storage(MINIMAL);
        assertEquals("", s.groupName());
        assertEquals("", s.serverId());
        assertTrue(s.clientBind());
        assertEquals(23000, s.port());
        assertEquals(8888, s.httpPort());
        assertEquals(10, s.connectTimeout());
        assertEquals(30, s.networkTimeout());
        assertEquals(30, s.heartBeatInterval());
        assertEquals(300, s.statReportInterval());
        assertEquals(256 * 1024, s.buffSize());
        assertEquals(List.of(new StorageConfig.StorePath(0, "/data", false)), s.storePaths());
        assertEquals(256, s.subdirCountPerPath());
        assertEquals(List.of(new HostPort("t", 22122)), s.trackerServers());
        assertEquals(10, s.trackerResolveInterval());
        assertEquals(0, s.fileDistributePathMode());
        assertEquals(100, s.fileDistributeRotateCount());
        assertEquals(0, s.fsyncAfterWrittenBytes());
        assertEquals(100, s.syncWaitMsec());
        assertEquals(0, s.syncIntervalMsec());
        assertEquals(LocalTime.MIDNIGHT, s.syncStartTime());
        assertEquals(LocalTime.of(23, 59), s.syncEndTime());
        assertEquals(500, s.writeMarkFileFreq());
        assertEquals(60, s.syncBinlogBuffInterval());
        assertEquals(60, s.syncStatFileInterval());
        assertEquals(10, s.uploadPriority());
        assertFalse(s.fileSyncSkipInvalidRecord());
        assertFalse(s.useConnectionPool());
        assertTrue(s.checkStorePathMark());
        assertFalse(s.binlogFsync());
        assertEquals(2, s.diskThreads());
        assertEquals(22122, storage("base_path=/d\ntracker_server = t\n").trackerServers().get(0).port());
    }

    @Test
    void diskThreadsPerStorePath() {
        String twoPaths = MINIMAL + "store_path_count = 2\nstore_path0 = /a\nstore_path1 = /b\n";
        assertEquals(4, storage(twoPaths).diskThreads());
        assertEquals(6, storage(twoPaths + "disk_reader_threads = 2\n").diskThreads());
        assertEquals(1, storage(MINIMAL + "disk_reader_threads = 0\ndisk_writer_threads = 0\n").diskThreads());
        ConfException e = assertThrows(ConfException.class, () -> storage(MINIMAL + "disk_writer_threads = -1\n"));
        assertTrue(e.getMessage().contains("disk_writer_threads"), e.getMessage());
    }

    @Test
    void capturedStorageConf() {
        StorageConfig s = StorageConfig.load(Vectors.dir().resolve("conf/storage1.conf"), Map.of());
        assertEquals("group1", s.groupName());
        assertEquals("100001", s.serverId());
        assertEquals(23200, s.port());
        assertEquals(2, s.heartBeatInterval());
        assertEquals(3, s.statReportInterval());
        assertEquals(10, s.syncWaitMsec());
        assertEquals(1, s.syncBinlogBuffInterval());
        assertEquals(List.of(new StorageConfig.StorePath(0, "run/storage1", false)), s.storePaths());
        assertEquals(List.of(new HostPort("127.0.0.1", 22200)), s.trackerServers());
        assertEquals(Set.of(), s.unknownKeys());
    }

    @Test
    void storePaths() {
        StorageConfig s = storage(MINIMAL + """
                store_path_count = 3
                store_path0 = /d0
                store_path1 = /d1
                store_path2 = /d2
                store_path1_readonly = true
                """);
        assertEquals(List.of(new StorageConfig.StorePath(0, "/d0", false), new StorageConfig.StorePath(1, "/d1", true),
                new StorageConfig.StorePath(2, "/d2", false)), s.storePaths());
        ConfException e = assertThrows(ConfException.class, () -> storage(MINIMAL + "store_path_count = 2\n"));
        assertTrue(e.getMessage().contains("store_path1"), e.getMessage());
    }

    @Test
    void validation() {
        assertThrows(ConfException.class, () -> storage("base_path = /d\n"), "tracker_server is required");
        assertThrows(ConfException.class, () -> storage("tracker_server = t:1\n"), "base_path is required");
        assertThrows(ConfException.class, () -> storage(MINIMAL + "group_name = group-1\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "group_name = abcdefghijklmnopq\n"));
        assertEquals("abcdefghijklmnop", storage(MINIMAL + "group_name = abcdefghijklmnop\n").groupName());
        assertThrows(ConfException.class, () -> storage(MINIMAL + "subdir_count_per_path = 0\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "subdir_count_per_path = 257\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "store_path_count = 0\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "store_path_count = 257\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "port = 0\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "server_id = 0100\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "buff_size = 64KB\n"));
        assertThrows(ConfException.class, () -> storage(MINIMAL + "check_file_duplicate = 1\n"));
        ConfException e = assertThrows(ConfException.class, () -> storage(MINIMAL + "tracker_server = fe80::1:22122\n"));
        assertTrue(e.getMessage().contains("storage.conf:3") && e.getMessage().contains("tracker_server"),
                e.getMessage());
        assertEquals(90, storage(MINIMAL + "tracker_resolve_interval = 90s\n").trackerResolveInterval());
        for (String bad : List.of("0", "3601", "soon")) {
            e = assertThrows(ConfException.class, () -> storage(MINIMAL + "tracker_resolve_interval = " + bad + "\n"));
            assertTrue(e.getMessage().contains("storage.conf:3") && e.getMessage().contains("tracker_resolve_interval"),
                    e.getMessage());
        }
    }

    @Test
    void envOverrides() {
        StorageConfig s = StorageConfig.load(Vectors.dir().resolve("conf/storage1.conf"), Map.of(
                "KFDFS_TRACKER_SERVER", "kfdfs-tracker-0.kfdfs-tracker.ns.svc:22122;kfdfs-tracker-1.kfdfs-tracker.ns.svc:22122",
                "KFDFS_STORE_PATH0", "/var/fdfs/p0",
                "KFDFS_GROUP_NAME", "group7",
                "KFDFS_ACCESS_LOG_ENABLED", "true"));
        assertEquals(List.of(new HostPort("kfdfs-tracker-0.kfdfs-tracker.ns.svc", 22122),
                new HostPort("kfdfs-tracker-1.kfdfs-tracker.ns.svc", 22122)), s.trackerServers());
        assertEquals("/var/fdfs/p0", s.storePaths().get(0).path());
        assertEquals("group7", s.groupName());
    }
}
