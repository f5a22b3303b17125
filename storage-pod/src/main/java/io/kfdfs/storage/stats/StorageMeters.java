package io.kfdfs.storage.stats;

import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.storage.store.FileCounts;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * The storage's own gauges, beside the request meters of {@code PodMetrics}: per store path
 * ({@code store_path="M00"}) {@code kfdfs_store_path_total_bytes} and {@code kfdfs_store_path_free_bytes}
 * of the file system holding it (read when Prometheus scrapes, which happens off the event loop),
 * {@code kfdfs_store_path_files} (kept by {@link FileCounts}), and per peer the replication lag
 * {@code kfdfs_sync_lag_seconds{peer}} and {@code kfdfs_sync_lag_records{peer}} that
 * {@link io.kfdfs.storage.sync.SyncLag} registers with {@link #syncPeer}.
 */
public final class StorageMeters {

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> peers = new ConcurrentHashMap<>();

    public StorageMeters(MeterRegistry registry, Store store, FileCounts files) {
        this.registry = registry;
        for (StorePath p : store.paths()) {
            Tags tags = Tags.of("store_path", String.format("M%02X", p.index()));
            Gauge.builder("kfdfs.store.path.total", () -> bytes(store, p, DiskSpace.Usage::totalMb))
                    .baseUnit(BaseUnits.BYTES).tags(tags)
                    .description("Size of the file system holding the store path").register(registry);
            Gauge.builder("kfdfs.store.path.free", () -> bytes(store, p, DiskSpace.Usage::freeMb))
                    .baseUnit(BaseUnits.BYTES).tags(tags)
                    .description("Space this storage may still use on the store path's file system").register(registry);
            Gauge.builder("kfdfs.store.path.files", () -> files.get(p.index())).tags(tags)
                    .description("Data files in the store path (metadata files not counted)").register(registry);
        }
    }

    /**
     * Registers (or replaces) the replication lag towards {@code peer}: how old the oldest change it has
     * not acknowledged is, and how many binlog records it has still to receive.
     */
    public void syncPeer(String peer, DoubleSupplier lagSeconds, DoubleSupplier lagRecords) {
        removeSyncPeer(peer);
        Tags tags = Tags.of("peer", peer);
        peers.put(peer, List.of(
                Gauge.builder("kfdfs.sync.lag", lagSeconds::getAsDouble).baseUnit("seconds").tags(tags)
                        .description("Age of the oldest local change the peer has not acknowledged").register(registry),
                Gauge.builder("kfdfs.sync.lag.records", lagRecords::getAsDouble).tags(tags)
                        .description("Binlog records the peer has still to receive").register(registry)));
    }

    /** The peer left the group. */
    public void removeSyncPeer(String peer) {
        List<Meter> meters = peers.remove(peer);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    /** NaN when the file system cannot be asked: Prometheus shows a gap, not a wrong number. */
    private static double bytes(Store store, StorePath p, ToLongFunction<DiskSpace.Usage> mb) {
        try {
            return (double) (mb.applyAsLong(store.disk().usage(p.root())) << 20);
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
