package io.kfdfs.storage.sync;

import io.kfdfs.pod.PodLimits;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.storage.stats.Counters;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.BinlogReader;
import io.kfdfs.storage.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replication from this storage to the other members of its group: one {@link PeerSync} per peer, all
 * on one event-loop context. The members and their addresses come from the trackers' change notifications
 * (IPs, learned again at every JOIN), so a peer that comes back with another IP is found again; a member
 * the trackers delete loses its task and its mark file.
 */
public final class Replication {

    private static final System.Logger LOG = System.getLogger(Replication.class.getName());

    /** What replication asks of the trackers (implemented by the storage's reporter). */
    public interface Trackers {

        /** SYNC_SRC_REQ (86): {@code dest}'s full-sync source and cutoff, empty if it has none. */
        Future<Optional<SyncSource>> syncSource(String destId);

        /** REPORT_STATUS (76) of a peer to every tracker. */
        void reportStatus(StorageBrief brief);
    }

    /**
     * @param group        the group name
     * @param useStorageId peers are named by storage ID (else by IP: mark files {@code <ip>_<port>.mark})
     * @param ownPort      this storage's port
     */
    public record Settings(String group, boolean useStorageId, int ownPort, long heartBeatMillis, int writeMarkFreq,
                           PodLimits limits) {
    }

    private final Vertx vertx;
    private final Store store;
    private final Binlog binlog;
    private final BinlogReader reader;
    private final BinlogPosition startedAt;
    private final Counters counters;
    private final Trackers trackers;
    private final Map<String, PeerSync> peers = new HashMap<>();
    /** The version each member reported, by storage ID, from the last group list. */
    private Map<String, String> versions = Map.of();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** Read by the binlog's writers: with no peer, a record wakes nobody (a wake-up per upload saved). */
    private volatile boolean anyPeer;
    private Context context;
    private Settings settings;
    private String myId = "";
    private boolean stopped;
    /**
     * How long the records written after an idle spell are gathered before the peers' tasks wake: under a
     * steady load of small uploads a task then sends several records per trip to the disk and per wake-up
     * of either side, which on a busy machine cost more than the records themselves. Longer gathers gave
     * more throughput in the benchmark but a replica lag that grew under a steady load (docs/performance.md).
     */
    private static final long GATHER_MILLIS = 2;
    /** How often parked sync tasks are looked at ({@link PeerSync#nudge()}). */
    private static final long NUDGE_MILLIS = 2000;
    private long nudgeTimer = -1;

    public Replication(Vertx vertx, Store store, Binlog binlog, Counters counters, Trackers trackers) {
        this.vertx = vertx;
        this.store = store;
        this.binlog = binlog;
        this.reader = new BinlogReader(binlog.dir());
        this.startedAt = binlog.end();
        this.counters = counters;
        this.trackers = trackers;
    }

    /** Runs on {@code context} from now on; binlog records wake the peers' tasks. */
    public void start(Context context) {
        this.context = context;
        nudgeTimer = vertx.setPeriodic(NUDGE_MILLIS, id -> context.runOnContext(v -> peers.values().forEach(PeerSync::nudge)));
        binlog.addListener(() -> {
            if (anyPeer && wakePending.compareAndSet(false, true)) {
                context.runOnContext(v -> vertx.setTimer(GATHER_MILLIS, id -> {
                    wakePending.set(false);
                    peers.values().forEach(PeerSync::wake);
                }));
            }
        });
    }

    /**
     * The group as the trackers list it (this storage included); called on the replication context. Starts
     * a task for each new peer, updates the others, stops those deleted or no longer listed.
     */
    /** The version each member of the group reported, by storage ID (on the replication context). */
    public void peerVersions(Map<String, String> versions) {
        this.versions = versions;
        peers.forEach((id, task) -> task.peerVersion(versions.get(id)));
    }

    public void membersChanged(List<StorageBrief> members, String myId, Settings settings) {
        if (stopped) {
            return;
        }
        this.myId = myId;
        this.settings = settings;
        Map<String, StorageBrief> now = new HashMap<>();
        for (StorageBrief b : members) {
            if (!b.id().equals(myId) && !b.id().isEmpty()) {
                now.put(b.id(), b);
            }
        }
        for (StorageBrief b : now.values()) {
            PeerSync task = peers.get(b.id());
            if (gone(b.status())) {
                if (task != null) {
                    peers.remove(b.id());
                    LOG.log(System.Logger.Level.INFO, "peer " + b.id() + " is " + StorageStatus.name(b.status())
                            + ": no more sync to it");
                    task.stop(b.status() == StorageStatus.DELETED);
                }
            } else if (task == null) {
                task = new PeerSync(this, b, binlog.dir().resolve(SyncMark.fileName(b.id(), settings.useStorageId(),
                        settings.ownPort())));
                task.peerVersion(versions.get(b.id()));
                peers.put(b.id(), task);
                task.run();
            } else {
                task.update(b);
            }
        }
        // a member the list no longer names (a tracker restarted and forgot a deleted one): stop, keep the mark
        for (String id : new ArrayList<>(peers.keySet())) {
            if (!now.containsKey(id)) {
                LOG.log(System.Logger.Level.INFO, "peer " + id + " is no longer in the group: no more sync to it");
                peers.remove(id).stop(false);
            }
        }
        // a task started here reads the binlog from its mark, so a record written before this is not missed
        anyPeer = !peers.isEmpty();
    }

    private static boolean gone(int status) {
        return status == StorageStatus.DELETED || status == StorageStatus.IP_CHANGED || status == StorageStatus.NONE;
    }

    /** The peers' tasks, for retirement checks; call on the replication context. */
    public List<PeerSync> peers() {
        return new ArrayList<>(peers.values());
    }

    /**
     * Why this storage may not leave yet: each peer that has not acknowledged every local change (empty
     * when all have). Call on the replication context.
     */
    public List<String> unsyncedPeers() {
        BinlogPosition localEnd = binlog.localEnd();
        List<String> reasons = new ArrayList<>();
        if (peers.isEmpty() && localEnd.compareTo(BinlogPosition.START) > 0) {
            reasons.add("no other member of group " + (settings == null ? "?" : settings.group())
                    + " holds this storage's files");
        }
        return behind(reasons, false);
    }

    /** The ACTIVE peers that lack some of this storage's changes (the ones a stop can wait for). */
    public List<String> unsyncedActivePeers() {
        return behind(new ArrayList<>(), true);
    }

    private List<String> behind(List<String> reasons, boolean activeOnly) {
        BinlogPosition localEnd = binlog.localEnd();
        for (PeerSync p : peers.values()) {
            if (activeOnly && p.peer().status() != StorageStatus.ACTIVE) {
                continue;
            }
            BinlogPosition acked = p.acknowledged();
            if (acked == null || acked.before(localEnd)) {
                reasons.add(p.peerId + " (" + StorageStatus.name(p.peer().status()) + ") has received this storage's"
                        + " binlog up to " + (acked == null ? "nothing" : acked) + " of " + localEnd);
            }
        }
        return reasons;
    }

    /** Stops every task (marks saved). */
    public Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        return Future.future(p -> context.runOnContext(v -> {
            stopped = true;
            vertx.cancelTimer(nudgeTimer);
            List<Future<Void>> all = new ArrayList<>();
            peers.values().forEach(t -> all.add(t.stop(false)));
            peers.clear();
            anyPeer = false;
            Future.join(all).onComplete(ar -> p.complete());
        }));
    }

    Vertx vertx() {
        return vertx;
    }

    Trackers trackers() {
        return trackers;
    }

    BinlogReader reader() {
        return reader;
    }

    Counters counters() {
        return counters;
    }

    String myId() {
        return myId;
    }

    String group() {
        return settings.group();
    }

    PodLimits limits() {
        return settings.limits();
    }

    long heartBeatMillis() {
        return settings.heartBeatMillis();
    }

    int writeMarkFreq() {
        return settings.writeMarkFreq();
    }

    /** How far senders may read: records whose change is still being made are held back. */
    BinlogPosition settled() {
        return binlog.settled();
    }

    /** The end of the binlog when this storage started: records before it were written by an earlier run. */
    BinlogPosition startedAt() {
        return startedAt;
    }

    Path dataFile(String name) throws ProtocolException {
        return store.dataFile(RemoteFilename.parse(name));
    }

    <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
