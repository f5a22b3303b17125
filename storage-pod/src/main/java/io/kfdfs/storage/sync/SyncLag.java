package io.kfdfs.storage.sync;

import io.kfdfs.storage.stats.StorageMeters;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.BinlogReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each peer trails this storage's own changes, for the {@code kfdfs_sync_lag_*} gauges: the local
 * binlog records after the position the peer acknowledged (its mark), and the age of the oldest of them.
 * The positions are taken on the replication context; the binlog is read when the gauges are (Prometheus
 * scrapes on a worker thread), only between a lagging peer's position and the last local record, and at
 * most {@link #MAX_SCAN} bytes of it (beyond that the count is a lower bound).
 */
public final class SyncLag {

    static final long MAX_SCAN = 8L << 20;

    /** Seconds since the oldest unacknowledged local change (0 when none), and how many there are. */
    public record Lag(long seconds, long records) {
    }

    private final Binlog binlog;
    private final BinlogReader reader;
    private final StorageMeters meters;
    private final Map<String, BinlogPosition> acknowledged = new ConcurrentHashMap<>();

    public SyncLag(Binlog binlog, StorageMeters meters) {
        this.binlog = binlog;
        this.reader = new BinlogReader(binlog.dir());
        this.meters = meters;
    }

    /**
     * Takes the peers' acknowledged positions, and adds or removes their gauges as peers come and go. Call
     * it on the replication context, now and then.
     */
    public void refresh(List<PeerSync> peers) {
        Set<String> now = new HashSet<>();
        for (PeerSync p : peers) {
            BinlogPosition pos = p.acknowledged();
            if (pos == null) {
                continue;
            }
            now.add(p.peerId);
            if (acknowledged.put(p.peerId, pos) == null) {
                meters.syncPeer(p.peerId, () -> of(p.peerId).seconds(), () -> of(p.peerId).records());
            }
        }
        for (String gone : Set.copyOf(acknowledged.keySet())) {
            if (!now.contains(gone)) {
                acknowledged.remove(gone);
                meters.removeSyncPeer(gone);
            }
        }
    }

    /** Blocking: reads the binlog the peer has not acknowledged. */
    public Lag of(String peer) {
        BinlogPosition from = acknowledged.get(peer);
        BinlogPosition end = binlog.localEnd();
        long oldest = 0;
        long records = 0;
        long scanned = 0;
        try {
            scan:
            while (from != null && from.before(end) && scanned < MAX_SCAN) {
                List<BinlogReader.Entry> entries = reader.read(from);
                if (entries.isEmpty()) {
                    break;
                }
                for (BinlogReader.Entry e : entries) {
                    if (end.before(e.after())) {
                        break scan;
                    }
                    if (e.record() != null && e.record().local()) {
                        oldest = oldest == 0 ? e.record().timestamp() : oldest;
                        records++;
                    }
                }
                BinlogPosition next = entries.get(entries.size() - 1).after();
                scanned += next.index() == from.index() ? next.offset() - from.offset() : next.offset();
                from = next;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Lag(oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() / 1000 - oldest), records);
    }
}
