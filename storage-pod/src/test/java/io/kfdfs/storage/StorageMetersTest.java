package io.kfdfs.storage;

import io.kfdfs.pod.http.PodMetrics;
import io.kfdfs.storage.stats.StorageMeters;
import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.kfdfs.pod.http.Prometheus.find;
import static io.kfdfs.pod.http.Prometheus.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage's own gauges as Prometheus reads them. */
class StorageMetersTest {

    @TempDir
    Path dir;

    @Test
    void storePathGaugesAndSyncLagOfEachPeer() throws Exception {
        DiskSpace disk = path -> {
            if (path.endsWith("broken")) {
                throw new IOException("statfs failed");
            }
            return new DiskSpace.Usage(2048, 1024);
        };
        Store store = new Store(List.of(new StorePath(0, dir.resolve("a"), false), new StorePath(1, dir.resolve("broken"), false)),
                4, disk);
        try (PodMetrics metrics = new PodMetrics("storage")) {
            StorageMeters meters = new StorageMeters(metrics.registry(), store, store.fileCounts());
            store.fileCounts().created(1);
            store.fileCounts().created(1);
            store.fileCounts().deleted(1);
            meters.syncPeer("100002", () -> 12.5, () -> 40);
            meters.syncPeer("100003", () -> 0, () -> 0);
            meters.syncPeer("100003", () -> 3, () -> 7);

            String text = metrics.scrape();
            assertEquals(2048.0 * (1 << 20), value(text, "kfdfs_store_path_total_bytes", "store_path", "M00"));
            assertEquals(1024.0 * (1 << 20), value(text, "kfdfs_store_path_free_bytes", "store_path", "M00"));
            assertTrue(Double.isNaN(value(text, "kfdfs_store_path_free_bytes", "store_path", "M01")),
                    "a file system that cannot be asked is a gap, not a number");
            assertEquals(0.0, value(text, "kfdfs_store_path_files", "store_path", "M00"));
            assertEquals(1.0, value(text, "kfdfs_store_path_files", "store_path", "M01"));
            assertEquals(12.5, value(text, "kfdfs_sync_lag_seconds", "peer", "100002"));
            assertEquals(40.0, value(text, "kfdfs_sync_lag_records", "peer", "100002"));
            assertEquals(3.0, value(text, "kfdfs_sync_lag_seconds", "peer", "100003"), "registered again: replaced");
            assertEquals(7.0, value(text, "kfdfs_sync_lag_records", "peer", "100003"));

            meters.removeSyncPeer("100002");
            text = metrics.scrape();
            assertTrue(find(text, "kfdfs_sync_lag_seconds", Map.of("peer", "100002")).isEmpty(), "a peer that left");
            assertEquals(3.0, value(text, "kfdfs_sync_lag_seconds", "peer", "100003"));
        }
    }
}
