package io.kfdfs.storage.report;

import io.kfdfs.conf.HostPort;
import io.kfdfs.pod.FrameClient;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.Reply;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.ChangeStatus;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupNameRequest;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.MyIpRequest;
import io.kfdfs.protocol.tracker.Parameters;
import io.kfdfs.protocol.tracker.ReadOnlyReport;
import io.kfdfs.protocol.tracker.ServerLookup;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.protocol.tracker.TextBody;
import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage's session with one tracker (docs/protocol.md §5.1, testdata/vectors/NOTES.md C1–C3): once, GET_MY_IP,
 * PARAMETER_REQ and (with storage IDs) FETCH_STORAGE_IDS + GET_SERVER_ID, each on a short connection;
 * then on a lasting connection JOIN, SYNC_DEST_REQ while the initial sync was never set up, SYNC_NOTIFY,
 * and BEAT / REPORT_DISK_USAGE at their intervals, SYNC_REPORT when replication progressed (at most once
 * per heartbeat interval), kfdfs's read-only report when that changed, and FETCH_STORAGE_IDS again when
 * the leader names a member the storage IDs lack (one session, on a short connection). Any failure on
 * the lasting connection closes it and the session starts again after {@code heart_beat_interval}. Runs
 * on the reporter's event loop.
 */
final class TrackerSession {

    private static final System.Logger LOG = System.getLogger(TrackerSession.class.getName());
    private static final long MAX_REPLY = 64 * 1024;

    private final Reporter owner;
    private final HostPort tracker;
    private FrameClient client;
    private boolean bootstrapped;
    private boolean joined;
    /** This storage's status as this tracker last told it (JOIN reply, or a notice naming it); -1 before. */
    private int statusHere = -1;
    private boolean busy;
    private boolean stopped;
    private boolean everJoined;
    private long retryTimer = -1;
    private long lastBeat;
    private long lastDisk;
    private long lastSyncReport;
    private long beatVersion = -1;
    private long syncVersion = -1;
    private boolean readOnlySent;

    TrackerSession(Reporter owner, HostPort tracker) {
        this.owner = owner;
        this.tracker = tracker;
    }

    void start() {
        connect();
    }

    Future<Void> stop() {
        stopped = true;
        if (retryTimer >= 0) {
            owner.vertx.cancelTimer(retryTimer);
        }
        return client == null ? Future.succeededFuture() : client.quit();
    }

    /** Called every second: sends what is due, one call after the other. */
    void tick() {
        if (!joined || busy || stopped) {
            return;
        }
        long now = System.currentTimeMillis();
        long beatMillis = owner.conf.heartBeatInterval() * 1000L;
        Future<Void> calls = Future.succeededFuture();
        // the free space first: the first beat makes this storage ACTIVE, and a tracker that has no free
        // space for an ACTIVE member answers uploads ENOSPC
        if (now - lastDisk >= owner.conf.statReportInterval() * 1000L) {
            lastDisk = now;
            calls = calls.compose(v -> reportDiskUsage());
        }
        if (now - lastBeat >= beatMillis) {
            lastBeat = now;
            calls = calls.compose(v -> beat());
        }
        if (owner.progress.version() != syncVersion && now - lastSyncReport >= beatMillis) {
            lastSyncReport = now;
            calls = calls.compose(v -> syncReport());
        }
        if (owner.readOnly() != readOnlySent) {
            calls = calls.compose(v -> reportReadOnly());
        }
        if (behindTheLeader()) {
            calls = calls.compose(v -> adoptLeaderStatus());
        }
        if (owner.storageIdsWanted()) {
            calls = calls.compose(v -> fetchStorageIdsAgain());
        }
        if (owner.versionsWanted()) {
            calls = calls.compose(v -> listGroup());
        }
        busy = true;
        calls.onComplete(ar -> busy = false);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        (bootstrapped ? Future.<Void>succeededFuture() : bootstrap())
                .compose(v -> FrameClient.connect(owner.vertx, tracker.host(), tracker.port(), owner.limits))
                .compose(c -> {
                    client = c;
                    c.closeHandler(v -> lost());
                    // stopped while connecting: the tracker is gone, or the storage stops
                    return stopped ? Future.failedFuture("session ended") : join(c);
                })
                .compose(this::setUpSync)
                .compose(v -> notifySync())
                .onSuccess(v -> {
                    if (stopped) {
                        client.quit();
                        return;
                    }
                    joined = true;
                    everJoined = true;
                    owner.trackerJoined();
                    lastBeat = 0;
                    lastDisk = 0;
                    lastSyncReport = 0;
                    beatVersion = -1;
                    syncVersion = -1;
                    readOnlySent = false;
                    LOG.log(System.Logger.Level.INFO, "joined tracker " + tracker + " as " + StorageStatus.name(owner.status()));
                    tick();
                })
                .onFailure(e -> {
                    if (!stopped) {
                        // before the first JOIN a tracker not up yet is no news; a refusal (it answered) is
                        LOG.log(everJoined || e instanceof ProtocolException ? System.Logger.Level.WARNING
                                : System.Logger.Level.INFO, "tracker " + tracker + ": " + e.getMessage() + "; retrying in "
                                + owner.conf.heartBeatInterval() + " s");
                    }
                    if (client != null) {
                        client.close();
                    } else {
                        retry();
                    }
                });
    }

    private void lost() {
        client = null;
        if (joined && !stopped) {
            LOG.log(System.Logger.Level.WARNING, "lost the connection to tracker " + tracker);
        }
        if (joined) {
            owner.trackerLost();
        }
        joined = false;
        retry();
    }

    private void retry() {
        if (stopped || retryTimer >= 0) {
            return;
        }
        retryTimer = owner.vertx.setTimer(owner.conf.heartBeatInterval() * 1000L, id -> {
            retryTimer = -1;
            connect();
        });
    }

    /** What a storage learns once per tracker, each on its own short connection (testdata/vectors/NOTES.md C1). */
    private Future<Void> bootstrap() {
        Future<Void> group = owner.identity.group().isEmpty()
                ? shortCall(Cmd.STORAGE_GET_GROUP_NAME, new GroupNameRequest("", owner.conf.port()), false)
                        .compose(r -> decode(r, GroupName::decode))
                        .map(g -> {
                            owner.identity.setGroup(g.group());
                            return (Void) null;
                        })
                : Future.succeededFuture();
        return group
                .compose(v -> shortCall(Cmd.STORAGE_GET_MY_IP, new MyIpRequest(owner.identity.group(), owner.conf.port()), true))
                .compose(r -> decode(r, b -> TextBody.decode(b, 1, Fields.IPV6_SIZE * 2 + 1)))
                .compose(text -> {
                    String ip = text.text().split(",")[0];
                    if (owner.identity.ip().isEmpty()) {
                        owner.identity.setIp(ip);
                    }
                    return shortCall(Cmd.STORAGE_PARAMETER_REQ, Body.EMPTY, false);
                })
                .compose(r -> decode(r, Parameters::decode))
                .compose(params -> {
                    owner.applyParameters(params);
                    return owner.useStorageId() ? fetchStorageIds() : reportIpChange(owner.identity.ip());
                })
                .onSuccess(v -> {
                    owner.addressLearned(owner.identity.ip());
                    bootstrapped = true;
                });
    }

    /**
     * STORAGE_REPORT_IP_CHANGED (78), before the first JOIN, when this storage is known by its address and
     * that changed since it last joined (a pod rescheduled; C: storage_check_ip_changed): the tracker moves
     * the member's record to the new address instead of taking it for a new member. EBUSY (the old record
     * still counts as serving) is tried again at the next connect; any other refusal is logged and the
     * JOIN goes ahead, as in C.
     */
    private Future<Void> reportIpChange(String now) {
        String last = owner.ipAtStart();
        if (last.isEmpty() || last.equals(now)) {
            return Future.succeededFuture();
        }
        return shortCall(Cmd.STORAGE_REPORT_IP_CHANGED, new IpChangedReport(owner.identity.group(), last, now), false)
                .<Void>mapEmpty()
                .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "reported the address change " + last + " -> "
                        + now + " to tracker " + tracker))
                .recover(e -> {
                    if (!(e instanceof ProtocolException pe) || pe.status() == Status.EBUSY) {
                        return Future.failedFuture(e);
                    }
                    LOG.log(System.Logger.Level.INFO, "address change " + last + " -> " + now + ": tracker "
                            + tracker + " answered " + Status.name(pe.status()));
                    return Future.succeededFuture();
                });
    }

    /** FETCH_STORAGE_IDS until every line is in, then GET_SERVER_ID if storage.conf names no server_id. */
    private Future<Void> fetchStorageIds() {
        return FrameClient.connect(owner.vertx, tracker.host(), tracker.port(), owner.limits).compose(c -> {
            List<String> lines = new ArrayList<>();
            return fetchIds(c, lines)
                    .compose(v -> owner.applyStorageIds("tracker " + tracker, lines))
                    .compose(v -> {
                        // a server_id of storage.conf counts only when the trackers trust it (C: storage_func.c:427-456);
                        // else they know this storage by its address, and so must it
                        String configured = owner.conf.serverId();
                        if (!configured.isEmpty() && owner.trustServerId()) {
                            owner.identity.setServerId(configured);
                            return Future.<Void>succeededFuture();
                        }
                        String me = address();
                        return call(c, Cmd.STORAGE_GET_SERVER_ID, new ServerLookup(owner.identity.group(), me))
                                .recover(e -> Future.failedFuture(e instanceof ProtocolException pe && pe.status() == Status.ENOENT
                                        ? new ProtocolException(Status.ENOENT, "no storage ID for "
                                        + owner.identity.group() + " " + me + " in its storage_ids.conf: add it there")
                                        : e))
                                .compose(r -> decode(r, b -> TextBody.decode(b, 1, Fields.STORAGE_ID_SIZE)))
                                .map(id -> {
                                    if (!configured.isEmpty() && !configured.equals(id.text())) {
                                        LOG.log(System.Logger.Level.WARNING, "server_id " + configured + " of storage.conf is"
                                                + " ignored: the trackers do not trust storage IDs (trust_storage_server_id ="
                                                + " false) and tracker " + tracker + " knows " + me + " as " + id.text());
                                    }
                                    owner.identity.setServerId(id.text());
                                    return (Void) null;
                                });
                    })
                    .andThen(ar -> c.close());
        });
    }

    /** LIST_STORAGE (92) of this storage's group, for the version each member reported (§14.4). */
    private Future<Void> listGroup() {
        FrameClient c = client;
        if (c == null) {
            return Future.succeededFuture();
        }
        return call(c, Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter(owner.identity.group(), ""))
                .compose(r -> decode(r, StorageStats::decode))
                .map(stats -> {
                    owner.listed(stats.storages());
                    return (Void) null;
                })
                .recover(e -> {
                    LOG.log(System.Logger.Level.INFO, "listing group " + owner.identity.group() + " at tracker "
                            + tracker + ": " + e.getMessage() + "; kfdfs-only commands go to no peer until it is");
                    owner.listFailed();
                    return Future.succeededFuture();
                });
    }

    /** The storage IDs once more, by this session alone, when the leader named a member they lack. */
    private Future<Void> fetchStorageIdsAgain() {
        if (!owner.claimStorageIdsFetch()) {
            return Future.succeededFuture();
        }
        return fetchStorageIds().andThen(ar -> owner.storageIdsFetched(ar.succeeded()));
    }

    private Future<Void> fetchIds(FrameClient c, List<String> lines) {
        return call(c, Cmd.STORAGE_FETCH_STORAGE_IDS, new StorageIdsRequest(lines.size(), false))
                .compose(r -> decode(r, StorageIdsReply::decode)).compose(reply -> {
            lines.addAll(reply.lines());
            if (lines.size() < reply.total() && !reply.lines().isEmpty()) {
                return fetchIds(c, lines);
            }
            return Future.succeededFuture();
        });
    }

    private Future<Reply> shortCall(int cmd, Body body, boolean quit) {
        return FrameClient.connect(owner.vertx, tracker.host(), tracker.port(), owner.limits)
                .compose(c -> call(c, cmd, body).andThen(ar -> {
                    if (quit) {
                        c.quit();
                    } else {
                        c.close();
                    }
                }));
    }

    /** One call whose non-zero status becomes a failure naming the command. */
    private static Future<Reply> call(FrameClient c, int cmd, Body body) {
        return c.call(Frames.request(cmd, body), MAX_REPLY).compose(r -> r.ok() ? Future.succeededFuture(r)
                : Future.failedFuture(new ProtocolException(r.status(), Cmd.name(cmd) + " answered " + Status.name(r.status()))));
    }

    private Future<JoinReply> join(FrameClient c) {
        JoinRequest req = new JoinRequest(owner.identity.group(), owner.conf.port(), owner.store.paths().size(),
                owner.store.subdirCount(), owner.conf.uploadPriority(), owner.initFlag().joinTime(), owner.upTime,
                Reporter.VERSION, !owner.initFlag().syncOldDone(), owner.status(),
                owner.useStorageId() ? owner.identity.serverId() : "", tracker.host(), owner.trackerLines());
        return call(c, Cmd.STORAGE_JOIN, req)
                .recover(e -> Future.failedFuture(joinRefused(req.storageId(), e)))
                .compose(r -> decode(r, JoinReply::decode))
                .onSuccess(reply -> {
                    owner.joined(reply.status());
                    statusHere = reply.status();
                });
    }

    /** What a JOIN refusal means with storage IDs (the tracker's own reason does not travel: FastDFS has only a status). */
    private Throwable joinRefused(String id, Throwable e) {
        if (!owner.useStorageId() || !(e instanceof ProtocolException pe)) {
            return e;
        }
        String me = id + " (" + address() + ")";
        return switch (pe.status()) {
            case Status.ENOENT -> new ProtocolException(Status.ENOENT, "JOIN refused: storage " + me
                    + " is not in its storage_ids.conf");
            case Status.EEXIST -> new ProtocolException(Status.EEXIST, "JOIN refused: storage ID " + id
                    + " is in use by another storage");
            default -> e;
        };
    }

    /**
     * This tracker still holds this storage in its initial sync (INIT, WAIT_SYNC, SYNCING) while the
     * leader's notices say it is past it: the source's status reports reached this tracker before this
     * storage had told it of the sync, so they were not taken, and nobody would tell it again.
     */
    private boolean behindTheLeader() {
        int leaders = owner.status();
        boolean pastSync = leaders == StorageStatus.OFFLINE || leaders == StorageStatus.ONLINE
                || leaders == StorageStatus.ACTIVE;
        return pastSync && heldInInitialSync() && owner.initFlag().syncOldDone();
    }

    private boolean heldInInitialSync() {
        return statusHere == StorageStatus.INIT || statusHere == StorageStatus.WAIT_SYNC
                || statusHere == StorageStatus.SYNCING;
    }

    /**
     * CHANGE_STATUS (59) with the leader's status, then a new session, as C does (§5.2); unless GET_STATUS (71)
     * shows this tracker already past the sync: only the leader sends a member the group's statuses, so what
     * this session last heard can be older than what the tracker holds, and the new session would show this
     * storage OFFLINE there for a moment.
     */
    private Future<Void> adoptLeaderStatus() {
        FrameClient c = client;
        String me = address();
        return call(c, Cmd.STORAGE_GET_STATUS, new ServerLookup(owner.identity.group(), me))
                .compose(r -> decode(r, StorageBrief::decode))
                .map(b -> b.status())
                .otherwise(-1)
                .compose(held -> {
                    if (held == StorageStatus.OFFLINE || held == StorageStatus.ONLINE || held == StorageStatus.ACTIVE) {
                        statusHere = held;
                        return Future.<Void>succeededFuture();
                    }
                    int leaders = owner.status();
                    LOG.log(System.Logger.Level.INFO, "tracker " + tracker + " has this storage as "
                            + StorageStatus.name(statusHere) + ", the leader as " + StorageStatus.name(leaders)
                            + ": asking it to adopt that");
                    return call(c, Cmd.STORAGE_CHANGE_STATUS, new ChangeStatus(leaders)).<Void>mapEmpty()
                            .andThen(ar -> c.close());
                });
    }

    /** This storage's ip:port as the trackers know it (GET_SERVER_ID and GET_STATUS take it). */
    private String address() {
        return owner.identity.ip() + ":" + owner.conf.port();
    }

    /** SYNC_DEST_REQ when this storage never set up its initial sync (the first session to get here asks). */
    private Future<Void> setUpSync(JoinReply reply) {
        if (!owner.claimSyncSetup()) {
            // another session is asking: this tracker must hear the same source, so wait for the answer (§5.1)
            return owner.initFlag().syncOldDone() ? Future.succeededFuture()
                    : Future.failedFuture("waiting for another tracker to name the initial sync source");
        }
        return call(client, Cmd.STORAGE_SYNC_DEST_REQ, Body.EMPTY)
                .compose(r -> r.body().length() == 0 ? Future.succeededFuture(new SyncSource("", 0))
                        : decode(r, SyncSource::decode))
                .compose(src -> owner.syncSetupDone(src.srcId(), src.untilTimestamp()))
                .onFailure(e -> owner.syncSetupFailed());
    }

    /**
     * SYNC_NOTIFY (88), after which the tracker holds this storage as it always does (C:
     * tracker_deal_storage_sync_notify): ONLINE if it has no source to copy from, WAIT_SYNC if it was
     * INIT. Only the leader tells a storage its status afterwards, so a follower's must be followed here:
     * left at the JOIN reply's INIT, it would look behind the leader and the session be restarted for
     * nothing (the tracker has no ACTIVE member of the group until the storage is back).
     */
    private Future<Void> notifySync() {
        SyncSource src = new SyncSource(owner.initFlag().syncSrcServer(), owner.initFlag().syncUntilTimestamp());
        return call(client, Cmd.STORAGE_SYNC_NOTIFY, src).<Void>mapEmpty().onSuccess(v -> {
            if (src.srcId().isEmpty() && heldInInitialSync()) {
                statusHere = StorageStatus.ONLINE;
            } else if (statusHere == StorageStatus.INIT) {
                statusHere = StorageStatus.WAIT_SYNC;
            }
        }).recover(e -> sourceGone(src, e));
    }

    /**
     * ENOENT to SYNC_NOTIFY: the tracker no longer knows the source of this storage's initial sync (it was
     * deleted after this storage copied from it: a retired member). As in C (tracker_client_thread.c:
     * 404-440 and tracker_sync_notify :1962-1985) the session goes on; the source is forgotten when the
     * leader says so, or when this tracker holds this storage past its initial sync, so that no tracker
     * is told of it again. Anything else still fails the session.
     */
    private Future<Void> sourceGone(SyncSource src, Throwable e) {
        if (src.srcId().isEmpty() || !(e instanceof ProtocolException pe) || pe.status() != Status.ENOENT) {
            return Future.failedFuture(e);
        }
        StorageBrief leader = owner.leader();
        boolean fromLeader = leader != null && tracker.host().equals(leader.ip()) && tracker.port() == leader.port();
        boolean forget = fromLeader || !heldInInitialSync();
        LOG.log(System.Logger.Level.WARNING, "tracker " + tracker + " no longer knows " + src.srcId()
                + ", the source of this storage's initial sync (deleted?)" + (forget ? "; forgetting it" : ""));
        return forget ? owner.forgetSyncSource(src.srcId()) : Future.succeededFuture();
    }

    /** BEAT: the full stat block first after JOIN (testdata/vectors/NOTES.md C3), then empty while no counter changed. */
    private Future<Void> beat() {
        long version = owner.counters.version();
        Body body = version == beatVersion ? Body.EMPTY : owner.counters.snapshot();
        return noticeCall(Cmd.STORAGE_BEAT, body).onSuccess(v -> beatVersion = version);
    }

    /** SYNC_REPORT: for every member of the group, the newest origin time received from it (§5.1). */
    private Future<Void> syncReport() {
        long version = owner.progress.version();
        List<SyncReport.Entry> entries = new ArrayList<>();
        for (StorageBrief b : owner.group()) {
            entries.add(new SyncReport.Entry(b.id(), (int) owner.progress.of(b.id())));
        }
        if (entries.isEmpty()) {
            return Future.succeededFuture();
        }
        return noticeCall(Cmd.STORAGE_SYNC_REPORT, new SyncReport(entries)).onSuccess(v -> syncVersion = version);
    }

    /** kfdfs's read-only report; a C tracker answers EINVAL, which changes nothing. */
    private Future<Void> reportReadOnly() {
        boolean readOnly = owner.readOnly();
        FrameClient c = client;
        if (c == null) {
            return Future.failedFuture("not connected");
        }
        return c.call(Frames.request(Cmd.KFDFS_STORAGE_READ_ONLY, new ReadOnlyReport(readOnly)), MAX_REPLY).map(r -> {
            readOnlySent = readOnly;
            if (!r.ok()) {
                LOG.log(System.Logger.Level.INFO, "tracker " + tracker + " does not take read-only reports: "
                        + Status.name(r.status()));
            }
            return (Void) null;
        });
    }

    private Future<Void> reportDiskUsage() {
        return owner.vertx.executeBlocking(owner::diskUsage, false)
                .compose(paths -> noticeCall(Cmd.STORAGE_REPORT_DISK_USAGE, new DiskUsage(paths)));
    }

    private Future<Void> noticeCall(int cmd, Body body) {
        FrameClient c = client;
        if (c == null) {
            return Future.failedFuture("not connected");
        }
        return call(c, cmd, body)
                .compose(r -> decode(r, ChangeNotice::decode))
                .map(notice -> {
                    owner.noticed(notice);
                    for (StorageBrief b : notice.group()) {
                        if (owner.isMe(b)) {
                            statusHere = b.status();
                        }
                    }
                    return (Void) null;
                })
                .onFailure(e -> {
                    if (!stopped) {
                        LOG.log(System.Logger.Level.WARNING, Cmd.name(cmd) + " to tracker " + tracker + " failed: "
                                + e.getMessage());
                    }
                    c.close();
                });
    }

    private interface Decoder<T> {
        T decode(ByteBuffer body) throws ProtocolException;
    }

    private static <T> Future<T> decode(Reply r, Decoder<T> decoder) {
        try {
            return Future.succeededFuture(decoder.decode(r.bodyBuffer()));
        } catch (ProtocolException e) {
            return Future.failedFuture(e);
        }
    }
}
