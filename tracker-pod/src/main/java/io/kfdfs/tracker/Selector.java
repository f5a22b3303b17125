package io.kfdfs.tracker;

import io.kfdfs.conf.ReservedSpace;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where clients upload to and download from: the store_lookup / store_server / store_path policies of
 * docs/protocol.md §11.2 and the download-server rule of §9.6. Moves the cluster's round-robin cursors.
 */
final class Selector {

    /** An upload target: the group, its chosen storages (one, or every writable one) and the store path. */
    record Store(Group group, List<StorageNode> storages, int storePathIndex) {
    }

    private final Cluster cluster;
    private final TrackerConfig config;

    Selector(Cluster cluster) {
        this.cluster = cluster;
        this.config = cluster.config;
    }

    // ---------------------------------------------------------------- uploads (101/104/106/107)

    /** 101/106: the group by store_lookup. */
    Store store(boolean all) throws ProtocolException {
        if (config.storeLookup() == 1) {
            Group g = cluster.groups.get(config.storeGroup());
            if (g == null) {
                throw new ProtocolException(Status.ENOENT, "store_group " + config.storeGroup() + " does not exist");
            }
            return storeIn(g, all);
        }
        List<Group> groups = new ArrayList<>(cluster.groups.values());
        if (groups.isEmpty()) {
            throw new ProtocolException(Status.ENOENT, "no groups");
        }
        int n = groups.size();
        int start = Math.floorMod(cluster.currentWriteGroup, n);
        boolean anyWritable = false;
        for (int i = 0; i < n; i++) {
            int idx = (start + i) % n;
            Group g = groups.get(idx);
            if (g.writable().isEmpty()) {
                continue;
            }
            anyWritable = true;
            if (hasSpace(g)) {
                cluster.nextWriteGroup(config.storeLookup() == 0 ? (idx + 1) % n : idx);
                return storeIn(g, all);
            }
        }
        if (!anyWritable) {
            throw new ProtocolException(Status.ENOENT, "no group has a writable storage");
        }
        throw new ProtocolException(Status.ENOSPC, "no group has free space above reserved_storage_space");
    }

    /** 104/107, and the group chosen for 101/106. */
    Store storeIn(Group g, boolean all) throws ProtocolException {
        List<StorageNode> writable = g.writable();
        if (writable.isEmpty()) {
            throw new ProtocolException(Status.ENOENT, "group " + g.name + " has no writable storage");
        }
        if (!hasSpace(g)) {
            throw new ProtocolException(Status.ENOSPC, "group " + g.name + " is below reserved_storage_space");
        }
        StorageNode first = all ? writable.get(0) : pickWritable(g, writable);
        return new Store(g, all ? writable : List.of(first), storePath(first));
    }

    /** store_server: 0 round robin, 1 first by ID, 2 lowest upload_priority. */
    private StorageNode pickWritable(Group g, List<StorageNode> writable) {
        return switch (config.storeServer()) {
            case 0 -> {
                int idx = Math.floorMod(g.currentWriteServer, writable.size());
                cluster.nextWriteServer(g, (idx + 1) % writable.size());
                yield writable.get(idx);
            }
            case 2 -> writable.stream().min(Comparator.comparingLong(s -> s.uploadPriority)).orElseThrow();
            default -> writable.get(0);
        };
    }

    private int storePath(StorageNode s) throws ProtocolException {
        int n = s.pathFreeMb.length;
        if (n == 0) {
            throw new ProtocolException(Status.ENOENT, "storage " + s + " has no store paths");
        }
        int start = Math.floorMod(s.currentWritePath, n);
        for (int i = 0; i < n; i++) {
            int p = (start + i) % n;
            if (pathHasSpace(s, p)) {
                cluster.nextWritePath(s, config.storePath() == 0 ? (p + 1) % n : p);
                return p;
            }
        }
        throw new ProtocolException(Status.ENOSPC, "no store path of " + s + " is above reserved_storage_space");
    }

    boolean hasSpace(Group g) {
        Group.Space space = g.space();
        ReservedSpace r = config.reservedStorageSpace();
        if (r.isRatio()) {
            return space.totalMb() > 0 && (double) space.freeMb() / space.totalMb() > r.ratio();
        }
        return space.freeMb() > r.megabytes();
    }

    private boolean pathHasSpace(StorageNode s, int p) {
        ReservedSpace r = config.reservedStorageSpace();
        if (r.isRatio()) {
            return s.pathTotalMb[p] > 0 && (double) s.pathFreeMb[p] / s.pathTotalMb[p] > r.ratio();
        }
        return s.pathFreeMb[p] > r.megabytes() / s.pathFreeMb.length;
    }

    // ---------------------------------------------------------------- downloads and updates (102/103/105)

    /**
     * 102: one storage that has the file. An appender file whose source is a member that is down (or
     * rejoining) gets EAGAIN: another member's copy may be on its way through the source's records (each
     * carries the bytes the file holds when it is sent, so a copy between two of them can hold a content
     * the file never had; the fault suite's finding 11), and changes to it wait for the source anyway.
     */
    StorageNode fetch(Group g, String filename) throws ProtocolException {
        FileSource f = FileSource.of(filename);
        StorageNode source = source(g, f).orElse(null);
        appenderSourceBack(g, source, f, filename);
        if (f.onlyOnSource() || config.downloadServer() == 1) {
            if (source != null && source.readable()) {
                return source;
            }
            if (f.onlyOnSource()) {
                return fallback(g, source, filename);
            }
        }
        List<StorageNode> readable = g.readable();
        int n = readable.size();
        int start = n == 0 ? 0 : Math.floorMod(g.currentReadServer, n);
        for (int i = 0; i < n; i++) {
            StorageNode x = readable.get((start + i) % n);
            if (hasFile(x, source, f)) {
                cluster.nextReadServer(g, (start + i + 1) % n);
                return x;
            }
        }
        return fallback(g, source, filename);
    }

    /** 105: every storage that has the file; EAGAIN as for 102. */
    List<StorageNode> fetchAll(Group g, String filename) throws ProtocolException {
        FileSource f = FileSource.of(filename);
        StorageNode source = source(g, f).orElse(null);
        appenderSourceBack(g, source, f, filename);
        List<StorageNode> found = f.onlyOnSource()
                ? (source != null && source.readable() ? List.of(source) : List.of())
                : g.readable().stream().filter(x -> hasFile(x, source, f)).toList();
        return found.isEmpty() ? List.of(fallback(g, source, filename)) : found;
    }

    private static void appenderSourceBack(Group g, StorageNode source, FileSource f, String filename)
            throws ProtocolException {
        if (f.appender() && awayForNow(source)) {
            throw new ProtocolException(Status.EAGAIN, "the source of " + g.name + "/" + filename + " (an appender"
                    + " file) is " + StorageStatus.name(source.status) + ": it is read there once it is back");
        }
    }

    /**
     * 103: where changes to the file go: its source if writable. While its source is a member that is down
     * (or rejoining), EAGAIN: a change made on another member would be undone when the source comes back
     * and sends again the records after its last mark (a deleted file created anew, older metadata over
     * newer; the fault suite's scenario 2), so every change to a file goes through its source while it has
     * one (C falls back to another member regardless). An appender or slave file is only known to be whole
     * on its source, so it gets ENOENT whenever its source is not writable. Otherwise (the source retired
     * or deleted, or up but not taking changes: read-only, retiring) a writable member.
     */
    StorageNode update(Group g, String filename) throws ProtocolException {
        FileSource f = FileSource.of(filename);
        Optional<StorageNode> source = source(g, f);
        if (source.isPresent() && source.get().writable()) {
            return source.get();
        }
        if (awayForNow(source.orElse(null))) {
            throw new ProtocolException(Status.EAGAIN, "the source of " + g.name + "/" + filename + " ("
                    + source.get().id + ") is " + StorageStatus.name(source.get().status)
                    + ": changes to its files wait until it is back");
        }
        if (f.onlyOnSource()) {
            throw new ProtocolException(Status.ENOENT, "the source of " + g.name + "/" + filename
                    + " (an appender or slave file) is not writable now; no other member is sure to have it whole");
        }
        List<StorageNode> writable = g.writable();
        if (writable.isEmpty()) {
            throw new ProtocolException(Status.ENOENT, "group " + g.name + " has no writable storage for " + filename);
        }
        return pickWritable(g, writable);
    }

    /**
     * §9.6: the source has it; a storage that has caught up past the file's creation has it. The time
     * guesses (old files are everywhere; files older than the sync time are everywhere the sync got close)
     * are C's rules 2 and 4, only with download_use_time_heuristics.
     */
    private boolean hasFile(StorageNode x, StorageNode source, FileSource f) {
        if (x == source || x.lastSyncedTimestamp > f.timestamp()) {
            return true;
        }
        if (!config.downloadUseTimeHeuristics()) {
            return false;
        }
        long now = cluster.now();
        return f.timestamp() < now - config.storageSyncFileMaxDelay()
                || (x.lastSyncedTimestamp + 1 >= f.timestamp() && now - f.timestamp() > config.storageSyncFileMaxTime());
    }

    /**
     * No readable storage is known to have the file: the source if it is up at all (it surely has it),
     * else C's fallback, the group's store server if readable.
     */
    private StorageNode fallback(Group g, StorageNode source, String filename) throws ProtocolException {
        if (source != null && source.canRead()
                && (source.status == StorageStatus.ACTIVE || source.status == StorageStatus.ONLINE)) {
            return source;
        }
        List<StorageNode> writable = g.writable();
        Optional<StorageNode> store = config.storeServer() == 2
                ? writable.stream().min(Comparator.comparingLong(s -> s.uploadPriority))
                : writable.stream().findFirst();
        return store.filter(StorageNode::readable).orElseThrow(() -> new ProtocolException(Status.ENOENT,
                "no readable storage of " + g.name + " has " + filename));
    }

    /** A file's source that is a member but down or rejoining: its files wait for it (not retired). */
    private static boolean awayForNow(StorageNode source) {
        return source != null && !source.isActive() && !source.retired();
    }

    /** The source storage named in the file name: by server ID, or by IPv4 and the group port. */
    private Optional<StorageNode> source(Group g, FileSource f) {
        if (f.serverId() != 0) {
            return g.storage(String.valueOf(f.serverId()));
        }
        return g.storages.stream().filter(s -> !f.ipv4().isEmpty() && s.ip.equals(f.ipv4())
                && (g.port < 0 || s.port == g.port) && !s.retired()).findFirst();
    }

    /** The address a client should use for {@code s}: with a dual address in storage_ids.conf, by IP type. */
    String addressFor(StorageNode s, String clientIp) {
        return s.dualAddress.isEmpty() ? s.ip : Addresses.forClient(s.dualAddress, clientIp);
    }
}
