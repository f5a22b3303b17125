package io.kfdfs.client;

import io.kfdfs.conf.ClientConfig;
import io.kfdfs.conf.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSettingsTest {

    @Test
    void readsClientConfWithItsStorageIds(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("storage_ids.conf"), "100001 group1 10.0.0.7:23000\n");
        Path conf = Files.writeString(dir.resolve("client.conf"), """
                connect_timeout = 5
                network_timeout = 60
                base_path = /tmp
                tracker_server = tracker-0.trackers.fdfs.svc:22122
                tracker_server = 10.0.0.2
                use_storage_id = true
                storage_ids_filename = storage_ids.conf
                connection_pool_max_idle_time = 120
                """);
        ClientSettings s = ClientSettings.from(ClientConfig.load(conf, Map.of("KFDFS_NETWORK_TIMEOUT", "45")));
        assertEquals(List.of(new HostPort("tracker-0.trackers.fdfs.svc", 22122), new HostPort("10.0.0.2", 22122)),
                s.trackers());
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(45), s.networkTimeout());
        assertEquals(Duration.ofSeconds(120), s.idleTimeout());
        assertEquals("10.0.0.7", s.storageIds().byId("100001").orElseThrow().hosts().get(0));
    }

    @Test
    void withoutUseStorageIdTheIdsFileIsIgnored(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("client.conf"), """
                tracker_server = 127.0.0.1:22200
                storage_ids_filename = missing.conf
                """);
        ClientSettings s = ClientSettings.from(ClientConfig.load(conf, Map.of()));
        assertNull(s.storageIds());
        assertEquals(Duration.ofSeconds(10), s.connectTimeout());
        assertEquals(Duration.ofSeconds(30), s.networkTimeout());
    }

    @Test
    void parametersFromTheTrackerTakeThePlaceOfTheIdsFile(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("client.conf"), """
                tracker_server = 127.0.0.1:22200
                load_fdfs_parameters_from_tracker = true
                use_storage_id = true
                """);
        ClientSettings s = ClientSettings.from(ClientConfig.load(conf, Map.of()));
        assertTrue(s.storageIdsFromTracker());
        assertNull(s.storageIds());
    }

    @Test
    void builderDefaultsAndChecks() {
        ClientSettings s = ClientSettings.builder().tracker("fdfs-tracker").build();
        assertEquals(List.of(new HostPort("fdfs-tracker", 22122)), s.trackers());
        assertEquals(Duration.ofSeconds(3), s.trackerBackoff());
        assertEquals(64, s.maxConnectionsPerServer());
        assertThrows(IllegalArgumentException.class, () -> ClientSettings.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> ClientSettings.builder().tracker("t").maxConnectionsPerServer(0).build());
        assertThrows(IllegalArgumentException.class, () -> ClientSettings.builder().tracker("t:0"));
    }
}
