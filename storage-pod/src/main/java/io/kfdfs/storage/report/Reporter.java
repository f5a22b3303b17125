package io.kfdfs.storage.report;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.ReservedSpace;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.pod.FrameClient;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.GroupStorageId;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.Parameters;
import io.kfdfs.protocol.tracker.StatusReport;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.storage.stats.Counters;
import io.kfdfs.storage.store.DataInitFlag;
import io.kfdfs.storage.store.Identity;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.sync.Replication;
import io.kfdfs.storage.sync.SyncProgress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reports this storage to every tracker: one {@link TrackerSession} per tracker of the
 * {@link TrackerDirectory}, all on one event loop, sharing what the trackers tell (parameters, the group's
 * members, this storage's status). The trackers' names are resolved again every
 * {@code tracker_resolve_interval}: a tracker that appears gets a session, one that is gone loses its own.
 * It also carries replication's questions to the trackers: a peer's full-sync source (86) and status
 * changes of a peer this storage full-syncs (76).
 */
public final class Reporter implements Replication.Trackers {

    private static final System.Logger LOG = System.getLogger(Reporter.class.getName());

    /** The FastDFS version this storage speaks (JOIN, stat records). */
    public static final String VERSION = Version.KFDFS;

    final Vertx vertx;
    final StorageConfig conf;
    final Identity identity;
    final Store store;
    final Counters counters;
    final PodLimits limits;
    final long upTime;
    final SyncProgress progress;
    private final Path initFlagFile;
    private final NameResolver dns;
    private final TrackerDirectory trackers;
    /** A session per tracker of the directory, by address. */
    private final Map<HostPort, TrackerSession> sessions = new LinkedHashMap<>();
    private Context context;
    private long timer = -1;
    private long resolveTimer = -1;
    private boolean stopped;
    private DataInitFlag initFlag;
    /** The address the trackers saw when this storage last joined, before this run (.data_init_flag). */
    private final String ipAtStart;
    // read by the HTTP port's readiness check and file gateway, on other threads
    private volatile boolean useStorageId;
    /** Tracker parameter trust_storage_server_id: storage.conf's server_id counts only when set (C: storage_func.c:427). */
    private volatile boolean trustServerId;
    private boolean syncSetupRunning;
    private volatile int status = StorageStatus.INIT;
    private volatile List<StorageBrief> group = List.of();
    private volatile int joinedTrackers;
    /** storage_sync_file_max_delay from PARAMETER_REQ: a file older than this is on every member. */
    private volatile long syncFileMaxDelay = 86400;
    private StorageBrief leader;
    private Consumer<List<StorageBrief>> membersListener = members -> { };
    /** The version each member reported when it joined, by storage ID, from the last group list (92). */
    private Map<String, String> versions = Map.of();
    /** The members' versions are to be listed: at the start, and when the leader names a member without one. */
    private boolean versionsWanted = true;
    private Consumer<Map<String, String>> versionsListener = v -> { };
    private volatile boolean readOnly;
    /** The storage IDs FETCH_STORAGE_IDS last gave. */
    private Set<String> knownIds = Set.of();
    /** The leader named a member whose ID is not known: storage IDs are fetched again. */
    private boolean idsWanted;
    private boolean idsFetching;

    /** @param dns resolves the tracker_server names */
    public Reporter(Vertx vertx, StorageConfig conf, Identity identity, Store store, Counters counters,
                    SyncProgress progress, DataInitFlag initFlag, Path initFlagFile, NameResolver dns) {
        this.vertx = vertx;
        this.conf = conf;
        this.identity = identity;
        this.store = store;
        this.counters = counters;
        this.progress = progress;
        this.initFlag = initFlag;
        this.ipAtStart = initFlag.lastIpAddr();
        this.initFlagFile = initFlagFile;
        this.limits = PodLimits.of(conf);
        this.upTime = System.currentTimeMillis() / 1000;
        this.dns = dns;
        this.trackers = new TrackerDirectory(vertx, conf.trackerServers(), dns);
    }

    /**
     * Starts a session per tracker on {@code context}, those written as IP addresses at once, the others
     * once their names resolve; each session ticks every second.
     */
    public void start(Context context) {
        this.context = context;
        context.runOnContext(v -> {
            follow(trackers.current());
            timer = vertx.setPeriodic(1000, id -> sessions.values().forEach(TrackerSession::tick));
            if (trackers.hasNames()) {
                resolveTimer = vertx.setPeriodic(conf.trackerResolveInterval() * 1000L, id -> resolve());
                resolve();
            }
        });
    }

    private void resolve() {
        trackers.refresh().onSuccess(this::follow)
                .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "resolving the trackers: " + e));
    }

    /** A session for every tracker in {@code now}, and none for a tracker that is not. */
    private void follow(List<HostPort> now) {
        if (stopped) {
            return;
        }
        for (var it = sessions.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!now.contains(e.getKey())) {
                LOG.log(System.Logger.Level.INFO, "tracker " + e.getKey() + " is gone: ending its session");
                it.remove();
                e.getValue().stop();
            }
        }
        for (HostPort t : now) {
            if (!sessions.containsKey(t)) {
                TrackerSession s = new TrackerSession(this, t);
                sessions.put(t, s);
                s.start();
            }
        }
    }

    public Future<Void> stop() {
        if (context == null) {
            return Future.succeededFuture();
        }
        return Future.future(p -> context.runOnContext(v -> {
            stopped = true;
            vertx.cancelTimer(timer);
            vertx.cancelTimer(resolveTimer);
            List<Future<Void>> closing = new ArrayList<>();
            sessions.values().forEach(s -> closing.add(s.stop()));
            Future.join(closing).onComplete(ar -> p.complete());
        }));
    }

    /** This storage's status as the trackers last said, INIT until one has. */
    public int status() {
        return status;
    }

    /** The group's members as the leader last listed them (kept across reconnects: testdata/vectors/NOTES.md D6). */
    public List<StorageBrief> group() {
        return group;
    }

    public StorageBrief leader() {
        return leader;
    }

    /** Hears the group's member list (on the reporter's context) whenever the leader sends a new one. */
    public void onMembers(Consumer<List<StorageBrief>> listener) {
        membersListener = listener;
    }

    /**
     * Hears (on the reporter's context) the version each member of the group reported, by storage ID,
     * whenever it is listed anew: kfdfs-only commands go only to kfdfs members (docs/protocol.md §14.4).
     */
    public void onVersions(Consumer<Map<String, String>> listener) {
        versionsListener = listener;
    }

    boolean versionsWanted() {
        return versionsWanted;
    }

    /** A group list (92) came: its members' versions. A failed list is tried again at the next change. */
    void listed(List<StorageStat> members) {
        versionsWanted = false;
        Map<String, String> now = new HashMap<>();
        for (StorageStat s : members) {
            now.put(s.id(), s.version());
        }
        if (!now.equals(versions)) {
            versions = Map.copyOf(now);
            versionsListener.accept(versions);
        }
    }

    void listFailed() {
        versionsWanted = false;
    }

    /** How the trackers name this storage: its storage ID, or its IP without storage IDs. */
    public String myId() {
        return useStorageId ? identity.serverId() : identity.ip();
    }

    public boolean useStorageId() {
        return useStorageId;
    }

    /** Whether the trackers take the storage ID a storage names itself (else they look it up by address). */
    boolean trustServerId() {
        return trustServerId;
    }

    /** Tells every tracker (now and after each JOIN) whether this storage takes new files. */
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    boolean readOnly() {
        return readOnly;
    }

    String ipAtStart() {
        return ipAtStart;
    }

    DataInitFlag initFlag() {
        return initFlag;
    }

    /** Every tracker now, by address. */
    private List<HostPort> trackers() {
        return List.copyOf(sessions.keySet());
    }

    /**
     * Every tracker as JOIN lists them: by address, as the trackers find each other by IP in these lists
     * (FastDFS takes at most {@link JoinRequest#MAX_TRACKERS}).
     */
    List<String> trackerLines() {
        return trackers().stream().limit(JoinRequest.MAX_TRACKERS).map(HostPort::toString).toList();
    }

    /** The PARAMETER_REQ reply: the policies a storage takes from its tracker (§5.2). */
    void applyParameters(Parameters p) {
        useStorageId = p.flag("use_storage_id");
        identity.setIdInFilename(useStorageId && "id".equals(p.get("id_type_in_filename")));
        trustServerId = p.flag("trust_storage_server_id");
        identity.setResponseIpSize("46".equals(p.get("response_ip_addr_size")) ? 46 : 16);
        identity.setSlaveAsLink("1".equals(p.get("store_slave_file_use_link")));
        ReservedSpace reserved = ReservedSpace.DEFAULT;
        if (p.get("reserved_storage_space") != null) {
            try {
                reserved = ReservedSpace.parse(p.get("reserved_storage_space"));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "tracker sent reserved_storage_space="
                        + p.get("reserved_storage_space") + ": " + e.getMessage() + "; keeping " + reserved.toParameter());
            }
        }
        if (p.get("storage_sync_file_max_delay") != null && p.get("storage_sync_file_max_delay").matches("[0-9]{1,9}")) {
            syncFileMaxDelay = Long.parseLong(p.get("storage_sync_file_max_delay"));
        }
        int storePath = "2".equals(p.get("store_path")) ? Store.STORE_PATH_MOST_FREE : Store.STORE_PATH_ROUND_ROBIN;
        store.setPolicy(reserved, storePath);
        if ("1".equals(p.get("use_trunk_file"))) {
            LOG.log(System.Logger.Level.WARNING, "the tracker enables trunk files; this storage stores every file as a plain file");
        }
    }

    /**
     * FETCH_STORAGE_IDS lines: where each storage ID lives, for QUERY_FILE_INFO source addresses. A host
     * name (a storage pod's) is resolved, off the event loop, as a C storage does when it loads the IDs;
     * one that does not resolve yet leaves its storage without an address.
     */
    Future<Void> applyStorageIds(String source, List<String> lines) {
        List<StorageIds.Entry> entries;
        try {
            entries = StorageIds.parse(source, String.join("\n", lines)).entries();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "storage IDs from " + source + " not understood: " + e.getMessage());
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            Map<String, String> ips = new HashMap<>();
            for (StorageIds.Entry e : entries) {
                try {
                    ips.put(e.id(), e.resolved(dns).hosts().get(0));
                } catch (UnknownHostException ex) {
                    LOG.log(System.Logger.Level.DEBUG, "storage " + e.id() + ": " + ex.getMessage() + " does not resolve yet");
                }
            }
            return ips;
        }, false).map(ips -> {
            identity.setPeerIps(ips);
            knownIds = entries.stream().map(StorageIds.Entry::id).collect(Collectors.toSet());
            return null;
        });
    }

    /** Whether a session should fetch the storage IDs again: the leader named a member not among them. */
    boolean claimStorageIdsFetch() {
        if (!idsWanted || idsFetching) {
            return false;
        }
        idsFetching = true;
        return true;
    }

    /** A fetch claimed by {@link #claimStorageIdsFetch()} ended; a failed one is tried again at the next tick. */
    void storageIdsFetched(boolean ok) {
        idsFetching = false;
        idsWanted &= !ok;
    }

    boolean storageIdsWanted() {
        return idsWanted;
    }

    /**
     * A JOIN reply's view of this storage counts only until a leader is known: afterwards the leader's
     * group lists decide, and a follower's older view (it may have just copied its data) must not
     * overwrite them, since the leader sends the group again only when it changes.
     */
    void joined(int myStatus) {
        if (leader == null || leader.ip().isEmpty()) {
            status = myStatus;
        }
    }

    /** A tracker session is established (JOIN and sync setup done); called on the reporter's context. */
    void trackerJoined() {
        joinedTrackers++;
    }

    /** An established tracker session ended; called on the reporter's context. */
    void trackerLost() {
        joinedTrackers--;
    }

    /** Trackers this storage is joined to right now. */
    public int joinedTrackers() {
        return joinedTrackers;
    }

    long syncFileMaxDelay() {
        return syncFileMaxDelay;
    }

    void noticed(ChangeNotice notice) {
        if (notice.leader() != null) {
            leader = notice.leader();
        }
        if (notice.groupChanged()) {
            group = notice.group();
            for (StorageBrief b : group) {
                if (isMe(b)) {
                    status = b.status();
                }
                // a member added after the last fetch (the group scaled out): QUERY_FILE_INFO needs its address
                idsWanted |= useStorageId && !knownIds.contains(b.id());
                versionsWanted |= !b.id().isEmpty() && !versions.containsKey(b.id());
            }
            membersListener.accept(group);
        }
    }

    @Override
    public Future<Optional<SyncSource>> syncSource(String destId) {
        return askSyncSource(new GroupStorageId(identity.group(), destId), trackers(), 0, false);
    }

    /**
     * Asks one tracker after the other until one names a source; ENOENT (dest unknown to it) and an empty
     * answer count as "none" only when every tracker says so: a new member tells its source to each
     * tracker in turn, so one of them may not have heard it yet.
     */
    private Future<Optional<SyncSource>> askSyncSource(GroupStorageId req, List<HostPort> trackers, int i,
                                                       boolean someAnswered) {
        if (i == trackers.size()) {
            return someAnswered ? Future.succeededFuture(Optional.empty())
                    : Future.failedFuture(new ProtocolException(Status.ENONET, "no tracker answered the sync source of "
                    + req.storageId()));
        }
        HostPort t = trackers.get(i);
        return FrameClient.connect(vertx, t.host(), t.port(), limits)
                .compose(c -> c.call(Frames.request(Cmd.STORAGE_SYNC_SRC_REQ, req), 1024).andThen(ar -> c.quit()))
                .compose(r -> {
                    if (r.status() == Status.ENOENT || (r.ok() && r.body().length() == 0)) {
                        return askSyncSource(req, trackers, i + 1, true);
                    }
                    if (!r.ok()) {
                        return Future.failedFuture(new ProtocolException(r.status(), "sync source query answered "
                                + Status.name(r.status())));
                    }
                    try {
                        return Future.succeededFuture(Optional.of(SyncSource.decode(r.bodyBuffer())));
                    } catch (ProtocolException e) {
                        return Future.failedFuture(e);
                    }
                })
                .recover(e -> {
                    LOG.log(System.Logger.Level.DEBUG, "tracker " + t + ": sync source of " + req.storageId() + ": " + e);
                    return askSyncSource(req, trackers, i + 1, someAnswered);
                });
    }

    @Override
    public void reportStatus(StorageBrief brief) {
        StatusReport report = new StatusReport(identity.group(), brief);
        for (HostPort t : trackers()) {
            FrameClient.connect(vertx, t.host(), t.port(), limits)
                    .compose(c -> c.call(Frames.request(Cmd.STORAGE_REPORT_STATUS, report), 1024).andThen(ar -> c.quit()))
                    .onComplete(ar -> {
                        if (ar.failed() || !ar.result().ok()) {
                            LOG.log(System.Logger.Level.WARNING, "tracker " + t + ": status " + StorageStatus.name(brief.status())
                                    + " of " + brief.id() + " not taken: "
                                    + (ar.failed() ? ar.cause().getMessage() : Status.name(ar.result().status())));
                        }
                    });
        }
    }

    boolean isMe(StorageBrief b) {
        return useStorageId ? b.id().equals(identity.serverId()) : b.ip().equals(identity.ip()) && b.port() == conf.port();
    }

    /** Whether this session should ask for the initial sync source (only one session does, §5.1 step 3). */
    boolean claimSyncSetup() {
        if (initFlag.syncOldDone() || syncSetupRunning) {
            return false;
        }
        syncSetupRunning = true;
        return true;
    }

    /** Persists the answer of SYNC_DEST_REQ; {@code src} is empty when no peer has files to copy. */
    Future<Void> syncSetupDone(String src, long until) {
        DataInitFlag updated = initFlag.withSyncSource(src, until);
        return vertx.executeBlocking(() -> {
            updated.save(initFlagFile);
            return null;
        }, false).<Void>mapEmpty().onComplete(ar -> {
            syncSetupRunning = false;
            if (ar.succeeded()) {
                initFlag = updated;
                LOG.log(System.Logger.Level.INFO, src.isEmpty() ? "no initial sync needed"
                        : "initial sync source " + src + " until " + until);
            }
        });
    }

    /** The tracker leader no longer knows {@code src}, this storage's initial sync source: forget it. */
    Future<Void> forgetSyncSource(String src) {
        if (!src.equals(initFlag.syncSrcServer())) {
            return Future.succeededFuture();
        }
        DataInitFlag updated = initFlag.withoutSyncSource();
        return vertx.executeBlocking(() -> {
            updated.save(initFlagFile);
            return null;
        }, false).<Void>mapEmpty().onSuccess(v -> initFlag = updated);
    }

    void syncSetupFailed() {
        syncSetupRunning = false;
    }

    /** Remembers the address the trackers see, as C does in .data_init_flag. */
    void addressLearned(String ip) {
        if (ip.equals(initFlag.lastIpAddr()) && conf.port() == initFlag.lastServerPort()) {
            return;
        }
        DataInitFlag updated = initFlag.withAddress(ip, conf.port());
        initFlag = updated;
        vertx.executeBlocking(() -> {
            updated.save(initFlagFile);
            return null;
        }, false).onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot save " + initFlagFile + ": " + e));
    }

    /** Total and free MB of every store path (blocking). */
    List<io.kfdfs.protocol.tracker.DiskUsage.Path> diskUsage() throws IOException {
        List<io.kfdfs.protocol.tracker.DiskUsage.Path> usage = new ArrayList<>();
        for (var p : store.paths()) {
            var u = store.disk().usage(p.root());
            usage.add(new io.kfdfs.protocol.tracker.DiskUsage.Path(u.totalMb(), u.freeMb()));
        }
        return usage;
    }
}
