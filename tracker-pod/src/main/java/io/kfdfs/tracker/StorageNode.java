package io.kfdfs.tracker;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StatBlock;

import java.util.List;

/**
 * What the tracker knows about one storage server (FastDFS's {@code FDFSStorageDetail}). Owned by the
 * cluster's event loop like everything in {@link Cluster}.
 */
final class StorageNode {

    final String id;
    final Group group;
    String ip;
    int port;
    int status = StorageStatus.INIT;
    /** rw_mode of storage_ids.conf: 6 both, 4 read, 2 write, 0 none. */
    int rwMode = 6;
    String version = "";
    long joinTime;
    /** Process start time; 0 while disconnected. */
    long upTime;
    long uploadPriority;
    int storePathCount;
    int subdirCountPerPath;
    long[] pathTotalMb = new long[0];
    long[] pathFreeMb = new long[0];
    long totalMb;
    long freeMb;
    int currentWritePath;
    /** The initial-sync source while WAIT_SYNC / SYNCING (and kept after, as C does), or "". */
    String syncSrcId = "";
    long syncUntilTimestamp;
    StatBlock stat = StatBlock.ZERO;
    long lastHeartBeatTime;
    /** Derived from SYNC_REPORTs (docs/protocol.md §9.5): how far this storage has caught up. */
    long lastSyncedTimestamp;
    long changelogOffset;
    /** The connection this storage joined on, while it is open. */
    Object connection;
    /** kfdfs's read-only report (241): a storage being retired takes no uploads. Cleared at each JOIN. */
    boolean readOnly;
    /** Kept off uploads by an operator (243 KFDFS_DRAIN), whatever it is; not cleared by a JOIN, not persisted. */
    boolean drained;
    /** Whether {@link Group#catchingUp} was last logged as true, so each change is logged once. */
    boolean catchingUpLogged;
    /** When the status last changed (unix seconds, 0 = not since this tracker started). */
    long statusSince;
    /** When its connection last carried a request (unix seconds; not persisted). */
    long lastSeen;
    /**
     * Its two addresses (inner, outer) when storage_ids.conf gives it a dual address, resolved at its last
     * JOIN; else empty and clients get {@link #ip}.
     */
    List<String> dualAddress = List.of();

    StorageNode(String id, Group group, String ip, int port) {
        this.id = id;
        this.group = group;
        this.ip = ip;
        this.port = port;
    }

    /** The record a storage continues under after an IP change (IP mode): everything but the identity. */
    StorageNode movedTo(String newId, String newIp) {
        StorageNode m = new StorageNode(newId, group, newIp, port);
        m.status = status;
        m.rwMode = rwMode;
        m.version = version;
        m.joinTime = joinTime;
        m.uploadPriority = uploadPriority;
        m.storePathCount = storePathCount;
        m.subdirCountPerPath = subdirCountPerPath;
        m.pathTotalMb = pathTotalMb.clone();
        m.pathFreeMb = pathFreeMb.clone();
        m.totalMb = totalMb;
        m.freeMb = freeMb;
        m.syncSrcId = syncSrcId;
        m.syncUntilTimestamp = syncUntilTimestamp;
        m.stat = stat;
        m.changelogOffset = changelogOffset;
        return m;
    }

    boolean isActive() {
        return status == StorageStatus.ACTIVE;
    }

    boolean canRead() {
        return (rwMode & 4) != 0;
    }

    boolean canWrite() {
        return (rwMode & 2) != 0;
    }

    /** Readable by clients: ACTIVE with read permission. */
    boolean readable() {
        return isActive() && canRead();
    }

    boolean writable() {
        return isActive() && canWrite() && !readOnly && !drained;
    }

    /** DELETED and IP_CHANGED records are kept in memory but neither persisted nor synced with. */
    boolean retired() {
        return status == StorageStatus.DELETED || status == StorageStatus.IP_CHANGED;
    }

    String address() {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    @Override
    public String toString() {
        return group.name + "/" + id + " (" + address() + ", " + StorageStatus.name(status) + ")";
    }
}
