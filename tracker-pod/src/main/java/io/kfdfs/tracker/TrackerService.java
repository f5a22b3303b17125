package io.kfdfs.tracker;

import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.pod.BodyPolicy;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.FrameHandler;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.ChangeStatus;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.FetchAllReply;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.FileQuery;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupNameRequest;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.GroupStorageId;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.JoinLeaderRequest;
import io.kfdfs.protocol.tracker.PingLeaderRequest;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.MyIpRequest;
import io.kfdfs.protocol.tracker.ReadOnlyReport;
import io.kfdfs.protocol.tracker.ReplicaChange;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.ServerLookup;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StatusReport;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageClusterStat;
import io.kfdfs.protocol.tracker.StorageClusterStatRequest;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.StoreAllReply;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.protocol.tracker.TextBody;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.protocol.tracker.VolumeStat;
import io.kfdfs.protocol.tracker.VolumeStatRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tracker's commands (docs/protocol.md §3, §5): decodes each request, applies it to the {@link Cluster},
 * persists what changed and only then replies. Runs on the tracker's event loop.
 */
final class TrackerService implements FrameHandler {

    private static final System.Logger LOG = System.getLogger(TrackerService.class.getName());
    /** The C tracker's changelog chunk bound (TRACKER_MAX_PACKAGE_SIZE). */
    private static final int CHANGELOG_CHUNK = 8192;
    private static final int MAX_GROUP_STORAGES = 32;

    /** The largest body each command may carry; a longer one is answered EINVAL and the connection closed. */
    private static final Map<Integer, Integer> MAX_BODY = Map.ofEntries(
            Map.entry(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE, 0),
            Map.entry(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL, 0),
            Map.entry(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, GroupName.SIZE),
            Map.entry(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL, GroupName.SIZE),
            Map.entry(Cmd.SERVICE_QUERY_FETCH_ONE, Fields.GROUP_NAME_SIZE + Fields.MAX_FILENAME_LENGTH),
            Map.entry(Cmd.SERVICE_QUERY_UPDATE, Fields.GROUP_NAME_SIZE + Fields.MAX_FILENAME_LENGTH),
            Map.entry(Cmd.SERVICE_QUERY_FETCH_ALL, Fields.GROUP_NAME_SIZE + Fields.MAX_FILENAME_LENGTH),
            Map.entry(Cmd.SERVER_DELETE_GROUP, GroupName.SIZE),
            Map.entry(Cmd.SERVER_LIST_ONE_GROUP, GroupName.SIZE),
            Map.entry(Cmd.SERVER_LIST_ALL_GROUPS, 0),
            Map.entry(Cmd.SERVER_LIST_STORAGE, Fields.GROUP_NAME_SIZE + GroupStorageFilter.MAX_ID_LENGTH),
            Map.entry(Cmd.SERVER_DELETE_STORAGE, Fields.GROUP_NAME_SIZE + GroupStorageFilter.MAX_ID_LENGTH),
            Map.entry(Cmd.SERVER_SET_TRUNK_SERVER, Fields.GROUP_NAME_SIZE + GroupStorageFilter.MAX_ID_LENGTH),
            Map.entry(Cmd.SERVER_GET_LEADER, 0),
            Map.entry(Cmd.SERVER_TRACKER_CLUSTER_STAT, 3),
            Map.entry(Cmd.SERVER_STORAGE_CLUSTER_STAT, 4),
            Map.entry(Cmd.SERVER_STORAGE_VOLUMN_STAT, 4),
            Map.entry(Cmd.STORAGE_JOIN, JoinRequest.FIXED_SIZE + JoinRequest.MAX_TRACKERS * JoinRequest.MAX_LINE),
            Map.entry(Cmd.STORAGE_BEAT, StatBlock.SIZE),
            Map.entry(Cmd.STORAGE_REPORT_DISK_USAGE, 256 * DiskUsage.ENTRY_SIZE),
            Map.entry(Cmd.STORAGE_SYNC_REPORT, MAX_GROUP_STORAGES * SyncReport.ENTRY_SIZE),
            Map.entry(Cmd.KFDFS_STORAGE_READ_ONLY, 1),
            Map.entry(Cmd.STORAGE_REPLICA_CHG, MAX_GROUP_STORAGES * StorageBrief.SIZE),
            Map.entry(Cmd.STORAGE_SYNC_SRC_REQ, GroupStorageId.SIZE),
            Map.entry(Cmd.STORAGE_SYNC_DEST_REQ, 0),
            Map.entry(Cmd.STORAGE_SYNC_DEST_QUERY, 0),
            Map.entry(Cmd.STORAGE_SYNC_NOTIFY, SyncSource.SIZE),
            Map.entry(Cmd.STORAGE_REPORT_STATUS, StatusReport.SIZE),
            Map.entry(Cmd.STORAGE_CHANGE_STATUS, 1),
            Map.entry(Cmd.STORAGE_GET_STATUS, Fields.GROUP_NAME_SIZE + Fields.MAX_IP_PORT_SIZE),
            Map.entry(Cmd.STORAGE_GET_SERVER_ID, Fields.GROUP_NAME_SIZE + Fields.MAX_IP_PORT_SIZE),
            Map.entry(Cmd.STORAGE_GET_MY_IP, MyIpRequest.SIZE),
            Map.entry(Cmd.STORAGE_GET_GROUP_NAME, 4 + Fields.MAX_IP_PORT_SIZE),
            Map.entry(Cmd.STORAGE_FETCH_STORAGE_IDS, StorageIdsRequest.SIZE),
            Map.entry(Cmd.STORAGE_PARAMETER_REQ, 0),
            Map.entry(Cmd.STORAGE_CHANGELOG_REQ, GroupStorageId.SIZE),
            Map.entry(Cmd.STORAGE_REPORT_IP_CHANGED, IpChangedReport.SIZE),
            Map.entry(Cmd.STORAGE_FETCH_TRUNK_FID, 0),
            Map.entry(Cmd.STORAGE_REPORT_TRUNK_FID, 4),
            Map.entry(Cmd.STORAGE_REPORT_TRUNK_FREE, 8),
            Map.entry(Cmd.TRACKER_GET_STATUS, 0),
            Map.entry(Cmd.TRACKER_JOIN_LEADER, JoinLeaderRequest.SIZE),
            Map.entry(Cmd.TRACKER_PING_LEADER, PingLeaderRequest.SIZE),
            Map.entry(Cmd.TRACKER_NOTIFY_NEXT_LEADER, Fields.MAX_IP_PORT_SIZE),
            Map.entry(Cmd.TRACKER_COMMIT_NEXT_LEADER, Fields.MAX_IP_PORT_SIZE),
            Map.entry(Cmd.TRACKER_NOTIFY_RESELECT_LEADER, 0),
            Map.entry(Cmd.TRACKER_GET_SYS_FILES_START, 0),
            Map.entry(Cmd.TRACKER_GET_SYS_FILES_END, 0),
            Map.entry(Cmd.TRACKER_GET_ONE_SYS_FILE, SysFileRequest.SIZE));

    /** Per connection: the storage or follower tracker it is, and what notifications it has been sent. */
    static final class Session {
        StorageNode storage;
        long groupVersionSent = -1;
        long leaderVersionSent = -1;
        Leadership.Follower follower;
        /** The data files as they were at GET_SYS_FILES_START (61), for a peer tracker copying them. */
        byte[][] sysFiles;
    }

    private final TrackerServer server;
    private final Cluster cluster;
    private final Leadership leadership;
    private final Selector selector;
    private final Reports reports;
    private final TrackerConfig config;
    private final int ipSize;
    private final Body parameters;
    private final SysFileCopy sysFileCopy;
    /** storage_ids.conf lookups when use_storage_id is on, else null. */
    private final StorageIdLookup ids;
    /** The connection holding the sys-file lock (61 until 62 or close), or null. */
    private Session sysFilesHolder;

    TrackerService(TrackerServer server, Cluster cluster, Leadership leadership, SysFileCopy sysFileCopy,
                   StorageIdLookup ids) {
        this.server = server;
        this.cluster = cluster;
        this.leadership = leadership;
        this.sysFileCopy = sysFileCopy;
        this.ids = ids;
        this.config = cluster.config;
        this.selector = new Selector(cluster);
        this.reports = new Reports(cluster, selector);
        this.ipSize = config.responseIpAddrSize() == TrackerConfig.AUTO_IP_SIZE
                ? (cluster.ids != null && cluster.ids.hasIpv6() ? Fields.IPV6_SIZE : Fields.IPV4_SIZE)
                : Fields.IPV6_SIZE;
        this.parameters = Reports.parameters(config, ipSize);
    }

    @Override
    public BodyPolicy policy(Header header) {
        Integer max = MAX_BODY.get(header.cmd());
        if (max == null) {
            LOG.log(Level.DEBUG, "unknown command " + header.cmd());
            return BodyPolicy.reject(Status.EINVAL);
        }
        return BodyPolicy.buffered(max);
    }

    @Override
    public void onOpen(FrameConnection conn) {
        conn.attach(new Session());
        server.connectionOpened();
    }

    @Override
    public void onClose(FrameConnection conn) {
        server.connectionClosed();
        Session session = conn.attachment();
        if (session == sysFilesHolder) {
            sysFilesHolder = null;
        }
        if (session != null && session.storage != null) {
            cluster.disconnected(session.storage, session);
            persistThen(conn, null);
        }
    }

    @Override
    public void onRequest(FrameConnection conn, Header header, Buffer body) {
        Session session = conn.attachment();
        int cmd = header.cmd();
        Future<Buffer> reply;
        try {
            reply = ASYNC.contains(cmd) ? handleAsync(conn, session, cmd, Frames.byteBuffer(body))
                    : Future.succeededFuture(handle(conn, session, cmd, Frames.byteBuffer(body)));
        } catch (ProtocolException e) {
            reply = Future.failedFuture(e);
        }
        reply.onComplete(ar -> {
            if (ar.succeeded()) {
                persistThen(conn, ar.result());
            } else if (ar.cause() instanceof ProtocolException e) {
                LOG.log(e.status() == Status.EINVAL || e.status() == Status.EACCES || e.status() == Status.EAGAIN
                        ? Level.INFO : Level.DEBUG, Cmd.name(cmd) + " from " + conn.remoteAddress() + ": " + e.getMessage());
                persistThen(conn, Frames.error(e.status()));
            } else {
                LOG.log(Level.ERROR, Cmd.name(cmd) + " from " + conn.remoteAddress() + " failed", ar.cause());
                persistThen(conn, Frames.error(Status.EIO));
            }
        });
    }

    /** Saves what the request changed, then replies; a failed save is an I/O error for the caller. */
    private void persistThen(FrameConnection conn, Buffer reply) {
        Cluster.Changes changes = cluster.takeChanges();
        if (!changes.any()) {
            if (reply != null) {
                conn.reply(reply);
            }
            return;
        }
        server.store().save(cluster, changes, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.ERROR, "cannot save the tracker state", ar.cause());
            }
            if (reply != null) {
                conn.reply(ar.succeeded() ? reply : Frames.error(Status.EIO));
            }
        });
    }

    /** The commands that may have to wait: for the data copy of a fresh tracker, or for host names to resolve. */
    private static final Set<Integer> ASYNC = Set.of(Cmd.STORAGE_JOIN, Cmd.STORAGE_GET_MY_IP,
            Cmd.STORAGE_GET_SERVER_ID, Cmd.STORAGE_GET_GROUP_NAME);

    private Future<Buffer> handleAsync(FrameConnection conn, Session session, int cmd, ByteBuffer in)
            throws ProtocolException {
        String peer = conn.remoteAddress().hostAddress();
        return switch (cmd) {
            case Cmd.STORAGE_JOIN -> join(conn, session, JoinRequest.decode(in), peer);
            case Cmd.STORAGE_GET_MY_IP -> getMyIp(MyIpRequest.decode(in), peer);
            case Cmd.STORAGE_GET_SERVER_ID -> getServerId(ServerLookup.decode(in));
            case Cmd.STORAGE_GET_GROUP_NAME -> getGroupName(GroupNameRequest.decode(in), peer);
            default -> throw new IllegalArgumentException("command " + cmd + " is not asynchronous");
        };
    }

    private Buffer handle(FrameConnection conn, Session session, int cmd, ByteBuffer in) throws ProtocolException {
        String peer = conn.remoteAddress().hostAddress();
        return switch (cmd) {
            case Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE -> store(selector.store(false), false, peer);
            case Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL -> store(selector.store(true), true, peer);
            case Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE ->
                    store(selector.storeIn(cluster.group(GroupName.decode(in).group()), false), false, peer);
            case Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL ->
                    store(selector.storeIn(cluster.group(GroupName.decode(in).group()), true), true, peer);
            case Cmd.SERVICE_QUERY_FETCH_ONE, Cmd.SERVICE_QUERY_UPDATE, Cmd.SERVICE_QUERY_FETCH_ALL ->
                    fetch(cmd, FileQuery.decode(in), peer);
            case Cmd.SERVER_LIST_ONE_GROUP -> Frames.response(
                    new GroupStats(List.of(reports.groupStat(cluster.group(GroupName.decode(in).group()))),
                            config.listLegacyLayout()));
            case Cmd.SERVER_LIST_ALL_GROUPS -> listGroups();
            case Cmd.SERVER_LIST_STORAGE -> listStorages(GroupStorageFilter.decode(in), peer);
            case Cmd.SERVER_DELETE_STORAGE -> deleteStorage(GroupStorageFilter.decode(in));
            case Cmd.SERVER_DELETE_GROUP -> {
                cluster.deleteGroup(GroupName.decode(in).group());
                yield Frames.ok();
            }
            case Cmd.SERVER_SET_TRUNK_SERVER, Cmd.STORAGE_FETCH_TRUNK_FID, Cmd.STORAGE_REPORT_TRUNK_FID,
                    Cmd.STORAGE_REPORT_TRUNK_FREE ->
                    throw new ProtocolException(Status.EOPNOTSUPP, "trunk files are not supported");
            case Cmd.SERVER_GET_LEADER -> {
                Leadership.Peer leader = leadership.leader();
                if (leader == null) {
                    throw new ProtocolException(Status.ENOENT, "no leader tracker yet");
                }
                yield Frames.response(new TextBody(leader.address()));
            }
            case Cmd.SERVER_TRACKER_CLUSTER_STAT -> trackerClusterStat(TrackerClusterStatRequest.decode(in));
            case Cmd.SERVER_STORAGE_CLUSTER_STAT -> storageClusterStat(StorageClusterStatRequest.decode(in));
            case Cmd.SERVER_STORAGE_VOLUMN_STAT -> volumeStat(VolumeStatRequest.decode(in));
            case Cmd.TRACKER_GET_STATUS -> trackerStatus();
            case Cmd.STORAGE_BEAT -> {
                StorageNode s = joined(session);
                cluster.beat(s, StatBlock.decodeBeat(in));
                yield Frames.response(notice(conn, session));
            }
            case Cmd.STORAGE_REPORT_DISK_USAGE -> {
                StorageNode s = joined(session);
                cluster.diskUsage(s, DiskUsage.decode(in));
                yield Frames.response(notice(conn, session));
            }
            case Cmd.STORAGE_SYNC_REPORT -> {
                StorageNode s = joined(session);
                cluster.syncReport(s, SyncReport.decode(in));
                yield Frames.response(notice(conn, session));
            }
            case Cmd.KFDFS_STORAGE_READ_ONLY -> {
                cluster.readOnly(joined(session), ReadOnlyReport.decode(in).readOnly());
                yield Frames.ok();
            }
            case Cmd.STORAGE_REPLICA_CHG -> {
                StorageNode s = joined(session);
                ReplicaChange change = ReplicaChange.decode(in);
                if (!leadership.isLeader()) { // the leader's own view wins (§5.2)
                    for (StorageBrief b : change.storages()) {
                        cluster.mergeStatus(s.group.name, b);
                    }
                }
                yield Frames.ok();
            }
            case Cmd.STORAGE_SYNC_SRC_REQ -> {
                GroupStorageId r = GroupStorageId.decode(in);
                yield optional(cluster.syncSourceFor(r.group(), r.storageId()));
            }
            case Cmd.STORAGE_SYNC_DEST_REQ -> {
                Fields.expectLength(in, 0, "sync dest request");
                yield optional(cluster.assignSyncSource(joined(session)));
            }
            case Cmd.STORAGE_SYNC_DEST_QUERY -> {
                StorageNode s = joined(session);
                yield optional(s.syncSrcId.isEmpty() ? Optional.empty()
                        : Optional.of(new SyncSource(s.syncSrcId, s.syncUntilTimestamp)));
            }
            case Cmd.STORAGE_SYNC_NOTIFY -> {
                StorageNode s = joined(session);
                cluster.syncNotify(s, SyncSource.decode(in));
                yield Frames.ok();
            }
            case Cmd.STORAGE_REPORT_STATUS -> {
                StatusReport r = StatusReport.decode(in);
                cluster.mergeStatus(r.group(), r.storage());
                yield Frames.ok();
            }
            case Cmd.STORAGE_CHANGE_STATUS -> {
                StorageNode s = joined(session);
                cluster.changeStatus(s, ChangeStatus.decode(in).status());
                yield Frames.ok();
            }
            case Cmd.STORAGE_GET_STATUS -> getStatus(ServerLookup.decode(in), peer);
            case Cmd.STORAGE_FETCH_STORAGE_IDS -> storageIds(StorageIdsRequest.decode(in));
            case Cmd.STORAGE_PARAMETER_REQ -> Frames.response(parameters);
            case Cmd.STORAGE_CHANGELOG_REQ -> {
                StorageNode s = in.hasRemaining() ? storageOf(GroupStorageId.decode(in)) : joined(session);
                yield Frames.response(new TextBody(cluster.changelogFor(s, CHANGELOG_CHUNK)));
            }
            case Cmd.STORAGE_REPORT_IP_CHANGED -> {
                cluster.ipChanged(IpChangedReport.decode(in), peer);
                yield Frames.ok();
            }
            case Cmd.TRACKER_JOIN_LEADER -> {
                if (session.follower != null) {
                    throw new ProtocolException(Status.EEXIST, "already joined as " + session.follower.peer.address());
                }
                session.follower = leadership.joinLeader(JoinLeaderRequest.decode(in), peer);
                yield Frames.ok();
            }
            case Cmd.TRACKER_PING_LEADER -> {
                PingLeaderRequest r = in.hasRemaining() ? PingLeaderRequest.decode(in) : null;
                if (session.follower != null) {
                    leadership.ping(session.follower, r);
                } else {
                    leadership.requireLeader();
                }
                yield Frames.ok(); // no trunk servers to hand out
            }
            case Cmd.TRACKER_NOTIFY_NEXT_LEADER -> {
                leadership.notifyNext(TextBody.decode(in, 1, Fields.MAX_IP_PORT_SIZE).text());
                yield Frames.ok();
            }
            case Cmd.TRACKER_COMMIT_NEXT_LEADER -> {
                leadership.commitNext(TextBody.decode(in, 1, Fields.MAX_IP_PORT_SIZE).text());
                yield Frames.ok();
            }
            case Cmd.TRACKER_NOTIFY_RESELECT_LEADER -> {
                leadership.reselect();
                yield Frames.ok();
            }
            case Cmd.TRACKER_GET_SYS_FILES_START -> {
                if (cluster.groups.isEmpty()) {
                    throw new ProtocolException(Status.ENOENT, "no data to copy");
                }
                if (sysFilesHolder != null && sysFilesHolder != session) {
                    throw new ProtocolException(Status.EBUSY, "another tracker is copying the data files");
                }
                sysFilesHolder = session;
                session.sysFiles = sysFiles();
                yield Frames.ok();
            }
            case Cmd.TRACKER_GET_ONE_SYS_FILE -> sysFileChunk(session, SysFileRequest.decode(in));
            case Cmd.TRACKER_GET_SYS_FILES_END -> {
                if (sysFilesHolder == session) {
                    sysFilesHolder = null;
                }
                session.sysFiles = null;
                yield Frames.ok();
            }
            default -> throw ProtocolException.invalid("unknown command " + cmd);
        };
    }

    /** The storage this connection joined as, seen now; EACCES when it has not, or a newer connection took over. */
    private StorageNode joined(Session session) throws ProtocolException {
        StorageNode s = session.storage;
        if (s == null) {
            throw new ProtocolException(Status.EACCES, "storage command on a connection that has not joined");
        }
        if (s.connection != session) {
            throw new ProtocolException(Status.EACCES, "storage " + s + " joined again on a newer connection");
        }
        s.lastSeen = cluster.now();
        return s;
    }

    private StorageNode storageOf(GroupStorageId r) throws ProtocolException {
        return cluster.storage(r.group(), r.storageId());
    }

    private static Buffer optional(Optional<? extends Body> body) {
        return body.map(Frames::response).orElseGet(Frames::ok);
    }

    // ---------------------------------------------------------------- clients (§3)

    private Buffer store(Selector.Store s, boolean all, String clientIp) {
        List<ServerAddress> servers = s.storages().stream()
                .map(x -> new ServerAddress(selector.addressFor(x, clientIp), x.port)).toList();
        return Frames.response(all ? new StoreAllReply(s.group().name, servers, s.storePathIndex(), ipSize)
                : new StoreReply(s.group().name, servers.get(0), s.storePathIndex(), ipSize));
    }

    private Buffer fetch(int cmd, GroupFile q, String clientIp) throws ProtocolException {
        Group g = cluster.group(q.group());
        if (cmd == Cmd.SERVICE_QUERY_FETCH_ALL) {
            List<ServerAddress> all = selector.fetchAll(g, q.filename()).stream()
                    .map(x -> new ServerAddress(selector.addressFor(x, clientIp), x.port)).toList();
            return Frames.response(new FetchAllReply(g.name, all, ipSize, config.fetchAllLegacyFormat()));
        }
        StorageNode s = cmd == Cmd.SERVICE_QUERY_UPDATE ? selector.update(g, q.filename()) : selector.fetch(g, q.filename());
        return Frames.response(new FetchReply(g.name, new ServerAddress(selector.addressFor(s, clientIp), s.port), ipSize));
    }

    private Buffer listGroups() throws ProtocolException {
        GroupStats stats = new GroupStats(cluster.allGroups().stream().map(reports::groupStat).toList(),
                config.listLegacyLayout());
        if (stats.size() + Header.SIZE > config.maxPackageSize()) {
            throw new ProtocolException(Status.ENOSPC, "the group list does not fit " + config.maxPackageSize() + " bytes");
        }
        return Frames.response(stats);
    }

    /**
     * 92. A deleted storage (retired) is no longer listed with its group, unlike in C; asked for by its ID it
     * still shows as DELETED until this tracker restarts.
     */
    private Buffer listStorages(GroupStorageFilter f, String clientIp) throws ProtocolException {
        Group g = cluster.group(f.group());
        List<StorageNode> list = f.hasId() ? List.of(cluster.storage(g.name, f.storageId()))
                : g.byId().stream().filter(s -> s.status != StorageStatus.DELETED).toList();
        return Frames.response(new StorageStats(list.stream().map(s -> reports.storageStat(s, clientIp)).toList(),
                ipSize, config.listLegacyLayout()));
    }

    private Buffer deleteStorage(GroupStorageFilter f) throws ProtocolException {
        if (!f.hasId()) {
            throw ProtocolException.invalid("delete storage needs a storage ID");
        }
        cluster.deleteStorage(f.group(), f.storageId());
        return Frames.ok();
    }

    // ---------------------------------------------------------------- monitoring (§3.10, §5.3)

    /** 96, leader only: this tracker and every other one the storages named, active if it pinged lately. */
    private Buffer trackerClusterStat(TrackerClusterStatRequest r) throws ProtocolException {
        leadership.requireLeader();
        List<TrackerClusterStat.Tracker> list = new ArrayList<>();
        long now = cluster.now();
        for (Leadership.Peer p : leadership.trackers) {
            boolean self = p.equals(leadership.leader());
            Leadership.Follower f = leadership.followers.get(p);
            boolean active = leadership.isActive(p, now);
            if (!r.accepts(active, self)) {
                continue;
            }
            list.add(self ? new TrackerClusterStat.Tracker(p.address(), true, true, server.maxConnections(),
                    server.connections(), server.maxConnections(), TrackerServer.VERSION, server.startTime(), 0)
                    : new TrackerClusterStat.Tracker(p.address(), false, active, f == null ? 0 : f.connAlloc,
                    f == null ? 0 : f.connCurrent, f == null ? 0 : f.connMax, f == null ? "" : f.version,
                    f == null ? 0 : f.upTime, f == null ? 0 : f.lastPing));
        }
        return Frames.response(new TrackerClusterStat(list));
    }

    private Buffer storageClusterStat(StorageClusterStatRequest r) {
        List<StorageClusterStat.Storage> list = cluster.allStorages().stream().filter(s -> r.accepts(s.status, false))
                .map(reports::clusterStorage).toList();
        return Frames.response(new StorageClusterStat(cluster.ids != null, false, list));
    }

    private Buffer volumeStat(VolumeStatRequest r) {
        List<VolumeStat.Volume> list = cluster.allGroups().stream().map(reports::volume)
                .filter(v -> r.accepts(v.diskAvailable(), v.trunkAvailable(), v.diskAvailable() || v.trunkAvailable()))
                .toList();
        return Frames.response(new VolumeStat(false, list));
    }

    /** 64: an empty tracker does not answer (it would not take part in an election, Appendix C.12). */
    private Buffer trackerStatus() throws ProtocolException {
        if (cluster.groups.isEmpty()) {
            throw new ProtocolException(Status.ENOENT, "no groups yet");
        }
        return Frames.response(leadership.status());
    }

    /** The data files as a peer tracker copies them (61–63): 0 groups, 1 servers, 2 sync timestamps, 3 changelog. */
    private byte[][] sysFiles() {
        return new byte[][] {Fields.bytes(StateFiles.groups(cluster)), Fields.bytes(StateFiles.servers(cluster)),
                Fields.bytes(StateFiles.syncTimestamps(cluster)), Fields.bytes(cluster.changelog.toString())};
    }

    private Buffer sysFileChunk(Session session, SysFileRequest r) throws ProtocolException {
        byte[] file = (session.sysFiles != null ? session.sysFiles : sysFiles())[r.index()];
        if (r.offset() > file.length) {
            throw ProtocolException.invalid("offset " + r.offset() + " beyond the " + file.length + "-byte file");
        }
        int from = (int) r.offset();
        return Frames.response(new SysFileChunk(file.length,
                java.util.Arrays.copyOfRange(file, from, Math.min(file.length, from + SysFileChunk.MAX_DATA))));
    }

    // ---------------------------------------------------------------- storages (§5)

    /** 81: once the data copy of a fresh tracker is done and the storage is identified (§5.1). */
    private Future<Buffer> join(FrameConnection conn, Session session, JoinRequest r, String peer)
            throws ProtocolException {
        Cluster.checkJoin(r, peer);
        String local = conn.localAddress().hostAddress();
        return sysFileCopy.beforeJoin(leadership.others(r.trackers(), r.currentTrackerIp(), local))
                .recover(e -> Future.failedFuture(new ProtocolException(Status.EAGAIN,
                        "cannot copy the data files from the other trackers: " + e.getMessage())))
                .compose(v -> identify(r, peer))
                .compose(entry -> {
                    if (conn.isClosed()) {
                        return Future.failedFuture(new ProtocolException(Status.EIO, "closed while joining"));
                    }
                    try {
                        return Future.succeededFuture(joinAs(conn, session, r, peer, entry));
                    } catch (ProtocolException e) {
                        return Future.failedFuture(e);
                    }
                });
    }

    /** The storage_ids.conf entry of a joining storage, resolved; null without storage IDs. */
    private Future<StorageIds.Entry> identify(JoinRequest r, String peer) {
        if (ids == null) {
            return Future.succeededFuture();
        }
        if (config.trustStorageServerId() && !r.storageId().isEmpty()) {
            return ids.byId(r.storageId());
        }
        return ids.byAddress(r.group(), peer, r.storagePort()).compose(e -> e.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new ProtocolException(Status.ENOENT, "no storage ID for "
                        + r.group() + " " + peer + ":" + r.storagePort()))));
    }

    private Buffer joinAs(FrameConnection conn, Session session, JoinRequest r, String peer, StorageIds.Entry entry)
            throws ProtocolException {
        if (session.storage != null) {
            cluster.disconnected(session.storage, session);
        }
        session.storage = null;
        StorageNode s = cluster.join(r, peer, session, entry);
        session.storage = s;
        session.groupVersionSent = -1;
        session.leaderVersionSent = -1;
        leadership.learn(r.trackers(), r.currentTrackerIp(), conn.localAddress().hostAddress());
        return Frames.response(new JoinReply(s.status, s.syncSrcId));
    }

    /**
     * §5.1: only the leader announces changes, and a new connection is sent the leader and the whole group
     * (testdata/vectors/NOTES.md D6).
     */
    private ChangeNotice notice(FrameConnection conn, Session session) {
        if (!leadership.isLeader()) {
            return ChangeNotice.NONE;
        }
        Leadership.Peer me = leadership.leader();
        StorageBrief leader = session.leaderVersionSent == leadership.version ? null
                : new StorageBrief(0, me.port(), me.ip().length() < Fields.STORAGE_ID_SIZE ? me.ip()
                : me.ip().substring(0, Fields.STORAGE_ID_SIZE - 1), me.ip());
        session.leaderVersionSent = leadership.version;
        Group g = session.storage.group;
        boolean groupChanged = session.groupVersionSent != g.version;
        session.groupVersionSent = g.version;
        String receiver = conn.remoteAddress().hostAddress();
        List<StorageBrief> members = groupChanged ? g.byId().stream().map(s -> reports.brief(s, receiver)).toList()
                : List.of();
        return new ChangeNotice(leader, null, members, groupChanged);
    }

    private Buffer getStatus(ServerLookup r, String peer) throws ProtocolException {
        HostPort hp = hostPort(r.host());
        Group g = cluster.group(r.group());
        StorageNode s = cluster.findByAddress(g, hp.host(), hp.port()).orElseThrow(() -> new ProtocolException(
                Status.ENOENT, "no storage " + r.host() + " in " + g.name));
        return Frames.response(reports.brief(s, peer));
    }

    private Future<Buffer> getServerId(ServerLookup r) throws ProtocolException {
        HostPort hp = hostPort(r.host());
        if (ids == null) {
            return Future.succeededFuture(Frames.response(new TextBody(Addresses.storageIdOfIp(hp.host()))));
        }
        return ids.byAddress(r.group(), hp.host(), hp.port()).compose(e -> e.isPresent()
                ? Future.succeededFuture(Frames.response(new TextBody(e.get().id())))
                : Future.failedFuture(new ProtocolException(Status.ENOENT, "no storage ID for " + r.group() + " "
                + r.host())));
    }

    private static HostPort hostPort(String text) throws ProtocolException {
        try {
            return HostPort.parse(text, 0);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.invalid("bad address \"" + text + "\": " + e.getMessage());
        }
    }

    /** 60: the caller's IP; with storage IDs, the addresses configured for it (resolved), comma-separated. */
    private Future<Buffer> getMyIp(MyIpRequest r, String peer) {
        if (ids == null) {
            return Future.succeededFuture(Frames.response(new TextBody(peer)));
        }
        return ids.byAddress(r.group(), peer, r.port())
                .map(e -> Frames.response(new TextBody(e.map(x -> String.join(",", x.hosts())).orElse(peer))));
    }

    private Future<Buffer> getGroupName(GroupNameRequest r, String peer) throws ProtocolException {
        if (ids == null) {
            throw new ProtocolException(Status.EOPNOTSUPP, "group lookup needs use_storage_id");
        }
        String ip = r.ip().isEmpty() ? peer : r.ip();
        if (ip.length() > GroupNameRequest.MAX_IP_LENGTH) {
            throw new ProtocolException(Status.ENAMETOOLONG, "IP text of " + ip.length() + " characters");
        }
        return ids.byAddress(null, ip, r.port()).compose(e -> e.isPresent()
                ? Future.succeededFuture(Frames.response(new GroupName(e.get().group())))
                : Future.failedFuture(new ProtocolException(Status.ENOENT, "no storage " + ip + ":" + r.port())));
    }

    private Buffer storageIds(StorageIdsRequest r) throws ProtocolException {
        if (cluster.ids == null) {
            if (r.allowEmpty()) {
                return Frames.response(new StorageIdsReply(0, List.of()));
            }
            throw new ProtocolException(Status.EOPNOTSUPP, "use_storage_id is off");
        }
        List<StorageIds.Entry> all = cluster.ids.entries();
        if (r.startIndex() < 0 || r.startIndex() > all.size()) {
            throw ProtocolException.invalid("storage IDs start index " + r.startIndex() + " of " + all.size());
        }
        List<String> lines = new ArrayList<>();
        long size = Header.SIZE + 8;
        for (StorageIds.Entry e : all.subList(r.startIndex(), all.size())) {
            String line = e.toWireLine();
            size += line.length();
            if (size > config.maxPackageSize()) {
                break;
            }
            lines.add(line.substring(0, line.length() - 1));
        }
        return Frames.response(new StorageIdsReply(all.size(), lines));
    }
}
