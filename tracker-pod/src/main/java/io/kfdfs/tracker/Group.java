package io.kfdfs.tracker;

import io.kfdfs.protocol.Version;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A storage group as the tracker tracks it (FastDFS's {@code FDFSGroupInfo}). */
final class Group {

    final String name;
    /** The members' port, or -1 when they differ (allowed only with storage IDs in file names). */
    int port;
    int storePathCount;
    int subdirCountPerPath;
    /** Members in join order (the order of the persisted files). */
    final List<StorageNode> storages = new ArrayList<>();
    int currentWriteServer;
    int currentReadServer;
    /** Bumped on every membership or status change; change notifications compare against it. */
    long version;
    long currentTrunkFileId;
    String trunkServer = "";
    String lastTrunkServer = "";
    /** {@code syncTimestamps[source][dest]}: newest origin timestamp dest reported from source (§9.5). */
    final Map<String, Map<String, Long>> syncTimestamps = new HashMap<>();

    Group(String name, int port, int storePathCount, int subdirCountPerPath) {
        this.name = name;
        this.port = port;
        this.storePathCount = storePathCount;
        this.subdirCountPerPath = subdirCountPerPath;
    }

    Optional<StorageNode> storage(String id) {
        return storages.stream().filter(s -> s.id.equals(id)).findFirst();
    }

    /** Every member sorted by ID as strings, byte-wise (docs/protocol.md Appendix C.17). */
    List<StorageNode> byId() {
        List<StorageNode> list = new ArrayList<>(storages);
        list.sort(Comparator.comparing(s -> s.id));
        return list;
    }

    /** Members clients may read from: readable ones, except those still catching up after a full sync. */
    List<StorageNode> readable() {
        return byId().stream().filter(s -> s.readable() && !catchingUp(s)).toList();
    }

    /**
     * Whether a member that came in by full sync (it has a sync source and cutoff) may still lack files: it
     * turns ACTIVE when its source is done, as in FastDFS, but the other members push it their changes
     * only from then on. Until the SYNC_REPORTs show that every active member that was there before the
     * cutoff has sent it everything up to the cutoff, clients are not sent to it. Only between kfdfs
     * members (docs/protocol.md §14.4): an idle kfdfs sender vouches for that with its caught-up notice,
     * which C neither sends nor takes, so a pair with a C member would wait for the next write; for it the
     * per-file rules of §9.6 decide alone, as in C.
     */
    boolean catchingUp(StorageNode s) {
        if (s.syncSrcId.isEmpty() || s.syncUntilTimestamp <= 0) {
            return false;
        }
        for (StorageNode src : storages) {
            if (src != s && src.isActive() && src.joinTime < s.syncUntilTimestamp
                    && Version.isKfdfs(src.version) && Version.isKfdfs(s.version)
                    && syncTimestamp(src.id, s.id) < s.syncUntilTimestamp) {
                return true;
            }
        }
        return false;
    }

    List<StorageNode> writable() {
        return byId().stream().filter(StorageNode::writable).toList();
    }

    record Space(long totalMb, long freeMb) {
    }

    /**
     * The group's space: that of the writable storage with the least free space (§11.2), or of the member
     * with the least free space among those that reported, when none is writable.
     */
    Space space() {
        List<StorageNode> pool = writable();
        if (pool.isEmpty()) {
            pool = storages.stream().filter(s -> s.totalMb > 0).toList();
        }
        return pool.stream().min(Comparator.comparingLong(s -> s.freeMb))
                .map(s -> new Space(s.totalMb, s.freeMb)).orElse(new Space(0, 0));
    }

    long syncTimestamp(String source, String dest) {
        return syncTimestamps.getOrDefault(source, Map.of()).getOrDefault(dest, 0L);
    }

    @Override
    public String toString() {
        return name;
    }
}
