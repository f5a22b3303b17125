package io.kfdfs.conf;

import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientConfigTest {

    private static ClientConfig client(String text) {
        return ClientConfig.from(ConfFile.parse(Path.of("/etc/fdfs/client.conf"), text));
    }

    @Test
    void codeDefaults() {
        ClientConfig c = client("tracker_server = 10.0.0.1:22122\ntracker_server = 10.0.0.2\n");
        assertEquals(10, c.connectTimeout());
        assertEquals(30, c.networkTimeout());
        assertEquals("/tmp", c.basePath());
        assertEquals(List.of(new HostPort("10.0.0.1", 22122), new HostPort("10.0.0.2", 22122)), c.trackerServers());
        assertEquals("tracker", c.connectFirstBy());
        assertFalse(c.useConnectionPool());
        assertEquals(3600, c.connectionPoolMaxIdleTime());
        assertFalse(c.loadFdfsParametersFromTracker());
        assertFalse(c.useStorageId());
        assertEquals(Optional.empty(), c.storageIdsPath());
        assertFalse(c.antiStealCheckToken());
        assertEquals("", c.antiStealSecretKey());
    }

    @Test
    void capturedClientConf() {
        ClientConfig c = ClientConfig.load(Vectors.dir().resolve("conf/client.conf"), Map.of());
        assertEquals(5, c.connectTimeout());
        assertEquals(60, c.networkTimeout());
        assertEquals(List.of(new HostPort("127.0.0.1", 22200)), c.trackerServers());
        assertTrue(c.useStorageId());
        assertEquals(Optional.of(Vectors.dir().resolve("conf/conf/storage_ids.conf").toAbsolutePath()),
                c.storageIdsPath(), "relative to client.conf's directory, as FastDFS resolves it");
        assertEquals(Set.of(), c.unknownKeys());
    }

    @Test
    void validation() {
        assertThrows(ConfException.class, () -> client("base_path = /tmp\n"));
        assertThrows(ConfException.class, () -> client("tracker_server = t\nuse_storage_id = true\n"));
        client("tracker_server = t\nuse_storage_id = true\nload_fdfs_parameters_from_tracker = true\n");
        assertThrows(ConfException.class, () -> client("tracker_server = t\nhttp.anti_steal.check_token = yes\n"));
        assertThrows(ConfException.class, () -> client("tracker_server = t\nconnect_first_by = random\n"));
        ClientConfig c = client("""
                tracker_server = t
                connect_first_by = last-connected
                http.anti_steal.check_token = yes
                http.anti_steal.secret_key = FastDFS1234567890
                """);
        assertEquals("last-connected", c.connectFirstBy());
        assertEquals("FastDFS1234567890", c.antiStealSecretKey());
    }

    @Test
    void envOverrides() {
        ClientConfig c = ClientConfig.load(Vectors.dir().resolve("conf/client.conf"), Map.of(
                "KFDFS_TRACKER_SERVER", "[::1]:22122 ; 10.0.0.1,172.16.0.1:22122",
                "KFDFS_HTTP_ANTI_STEAL_CHECK_TOKEN", "true",
                "KFDFS_HTTP_ANTI_STEAL_SECRET_KEY", "s3cret"));
        assertEquals(List.of(new HostPort("::1", 22122), new HostPort(List.of("10.0.0.1", "172.16.0.1"), 22122)),
                c.trackerServers());
        assertTrue(c.antiStealCheckToken());
        assertEquals("s3cret", c.antiStealSecretKey());
    }
}
