package io.kfdfs.tracker;

import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.pod.BodyPolicy;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.FrameHandler;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.FileQuery;
import io.kfdfs.protocol.tracker.DrainRequest;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupNameRequest;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.GroupStorageId;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.JoinLeaderRequest;
import io.kfdfs.protocol.tracker.PingLeaderRequest;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.MyIpRequest;
import io.kfdfs.protocol.tracker.ServerLookup;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StatusReport;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageClusterStatRequest;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.protocol.tracker.TextBody;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.protocol.tracker.VolumeStatRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The tracker's commands (docs/protocol.md §3, §5), one entry each in {@link #commands}: the largest body
 * the command may carry (a longer one is answered EINVAL and the connection closed) and what serves it;
 * requests are routed by that table alone. The handlers are grouped by who calls them: clients
 * ({@link ClientCommands}), storages ({@link StorageCommands}) and the other trackers
 * ({@link PeerTrackerCommands}). Each request is applied to the {@link Cluster}, what changed is persisted,
 * and only then is it answered. Runs on the tracker's event loop.
 */
final class TrackerService implements FrameHandler {

    private static final System.Logger LOG = System.getLogger(TrackerService.class.getName());
    private static final int MAX_GROUP_STORAGES = 32;
    private static final int FILE_QUERY = Fields.GROUP_NAME_SIZE + Fields.MAX_FILENAME_LENGTH;
    private static final int STORAGE_FILTER = Fields.GROUP_NAME_SIZE + GroupStorageFilter.MAX_ID_LENGTH;
    private static final int SERVER_LOOKUP = Fields.GROUP_NAME_SIZE + Fields.MAX_IP_PORT_SIZE;

    /** Serves a request: its reply, at once or once what it waits for is done (a fresh tracker's data copy, DNS). */
    @FunctionalInterface
    private interface Handler {
        Future<Buffer> serve(FrameConnection conn, Session session, ByteBuffer body) throws ProtocolException;
    }

    /** Serves a request at once. */
    @FunctionalInterface
    private interface Now {
        Buffer serve(FrameConnection conn, Session session, ByteBuffer body) throws ProtocolException;
    }

    private record Command(int maxBody, Handler handler) {
    }

    private final TrackerServer server;
    private final Cluster cluster;
    private final PeerTrackerCommands peers;
    private final Map<Integer, Command> commands = new HashMap<>();

    TrackerService(TrackerServer server, Cluster cluster, Leadership leadership, SysFileCopy sysFileCopy,
                   StorageIdLookup ids) {
        this.server = server;
        this.cluster = cluster;
        TrackerConfig config = cluster.config;
        int ipSize = config.responseIpAddrSize() == TrackerConfig.AUTO_IP_SIZE
                ? (cluster.ids != null && cluster.ids.hasIpv6() ? Fields.IPV6_SIZE : Fields.IPV4_SIZE)
                : Fields.IPV6_SIZE;
        Selector selector = new Selector(cluster);
        Reports reports = new Reports(cluster, selector);
        ClientCommands clients = new ClientCommands(server, cluster, leadership, selector, reports, ipSize);
        StorageCommands storages = new StorageCommands(cluster, leadership, sysFileCopy, ids, reports,
                Reports.parameters(config, ipSize));
        this.peers = new PeerTrackerCommands(cluster, leadership);

        // clients (§3)
        now(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE, 0, (c, s, in) -> clients.store(null, false, ip(c)));
        now(Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL, 0, (c, s, in) -> clients.store(null, true, ip(c)));
        now(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, GroupName.SIZE,
                (c, s, in) -> clients.store(GroupName.decode(in).group(), false, ip(c)));
        now(Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL, GroupName.SIZE,
                (c, s, in) -> clients.store(GroupName.decode(in).group(), true, ip(c)));
        for (int fetch : new int[] {Cmd.SERVICE_QUERY_FETCH_ONE, Cmd.SERVICE_QUERY_UPDATE, Cmd.SERVICE_QUERY_FETCH_ALL}) {
            now(fetch, FILE_QUERY, (c, s, in) -> clients.fetch(fetch, FileQuery.decode(in), ip(c)));
        }
        now(Cmd.SERVER_LIST_ONE_GROUP, GroupName.SIZE, (c, s, in) -> clients.listGroup(GroupName.decode(in).group()));
        now(Cmd.SERVER_LIST_ALL_GROUPS, 0, (c, s, in) -> clients.listGroups());
        now(Cmd.SERVER_LIST_STORAGE, STORAGE_FILTER,
                (c, s, in) -> clients.listStorages(GroupStorageFilter.decode(in), ip(c)));
        now(Cmd.SERVER_DELETE_STORAGE, STORAGE_FILTER, (c, s, in) -> clients.deleteStorage(GroupStorageFilter.decode(in)));
        now(Cmd.SERVER_DELETE_GROUP, GroupName.SIZE, (c, s, in) -> clients.deleteGroup(GroupName.decode(in).group()));
        now(Cmd.KFDFS_DRAIN, DrainRequest.MAX_SIZE, (c, s, in) -> clients.drain(DrainRequest.decode(in)));
        now(Cmd.SERVER_GET_LEADER, 0, (c, s, in) -> clients.leader());
        now(Cmd.SERVER_TRACKER_CLUSTER_STAT, 3,
                (c, s, in) -> clients.trackerClusterStat(TrackerClusterStatRequest.decode(in)));
        now(Cmd.SERVER_STORAGE_CLUSTER_STAT, 4,
                (c, s, in) -> clients.storageClusterStat(StorageClusterStatRequest.decode(in)));
        now(Cmd.SERVER_STORAGE_VOLUMN_STAT, 4, (c, s, in) -> clients.volumeStat(VolumeStatRequest.decode(in)));

        // storages (§5)
        later(Cmd.STORAGE_JOIN, JoinRequest.FIXED_SIZE + JoinRequest.MAX_TRACKERS * JoinRequest.MAX_LINE,
                (c, s, in) -> storages.join(c, s, JoinRequest.decode(in)));
        now(Cmd.STORAGE_BEAT, StatBlock.SIZE, (c, s, in) -> storages.beat(c, s, in));
        now(Cmd.STORAGE_REPORT_DISK_USAGE, 256 * DiskUsage.ENTRY_SIZE,
                (c, s, in) -> storages.diskUsage(c, s, in));
        now(Cmd.STORAGE_SYNC_REPORT, MAX_GROUP_STORAGES * SyncReport.ENTRY_SIZE,
                (c, s, in) -> storages.syncReport(c, s, in));
        now(Cmd.KFDFS_STORAGE_READ_ONLY, 1, (c, s, in) -> storages.readOnly(s, in));
        now(Cmd.STORAGE_REPLICA_CHG, MAX_GROUP_STORAGES * StorageBrief.SIZE,
                (c, s, in) -> storages.replicaChange(s, in));
        now(Cmd.STORAGE_SYNC_SRC_REQ, GroupStorageId.SIZE, (c, s, in) -> storages.syncSource(GroupStorageId.decode(in)));
        now(Cmd.STORAGE_SYNC_DEST_REQ, 0, (c, s, in) -> storages.syncDestination(s));
        now(Cmd.STORAGE_SYNC_DEST_QUERY, 0, (c, s, in) -> storages.syncDestinationQuery(s));
        now(Cmd.STORAGE_SYNC_NOTIFY, SyncSource.SIZE, (c, s, in) -> storages.syncNotify(s, in));
        now(Cmd.STORAGE_REPORT_STATUS, StatusReport.SIZE, (c, s, in) -> {
            StatusReport r = StatusReport.decode(in);
            return storages.reportStatus(r.group(), r.storage());
        });
        now(Cmd.STORAGE_CHANGE_STATUS, 1, (c, s, in) -> storages.changeStatus(s, in));
        now(Cmd.STORAGE_GET_STATUS, SERVER_LOOKUP, (c, s, in) -> storages.getStatus(ServerLookup.decode(in), ip(c)));
        later(Cmd.STORAGE_GET_SERVER_ID, SERVER_LOOKUP, (c, s, in) -> storages.getServerId(ServerLookup.decode(in)));
        later(Cmd.STORAGE_GET_MY_IP, MyIpRequest.SIZE, (c, s, in) -> storages.getMyIp(MyIpRequest.decode(in), ip(c)));
        later(Cmd.STORAGE_GET_GROUP_NAME, 4 + Fields.MAX_IP_PORT_SIZE,
                (c, s, in) -> storages.getGroupName(GroupNameRequest.decode(in), ip(c)));
        now(Cmd.STORAGE_FETCH_STORAGE_IDS, StorageIdsRequest.SIZE,
                (c, s, in) -> storages.storageIds(StorageIdsRequest.decode(in)));
        now(Cmd.STORAGE_PARAMETER_REQ, 0, (c, s, in) -> storages.parameters());
        now(Cmd.STORAGE_CHANGELOG_REQ, GroupStorageId.SIZE,
                (c, s, in) -> storages.changelog(s, in.hasRemaining() ? GroupStorageId.decode(in) : null));
        now(Cmd.STORAGE_REPORT_IP_CHANGED, IpChangedReport.SIZE,
                (c, s, in) -> storages.ipChanged(IpChangedReport.decode(in), ip(c)));
        Now noTrunks = (c, s, in) -> {
            throw new ProtocolException(Status.EOPNOTSUPP, "trunk files are not supported");
        };
        now(Cmd.SERVER_SET_TRUNK_SERVER, STORAGE_FILTER, noTrunks);
        now(Cmd.STORAGE_FETCH_TRUNK_FID, 0, noTrunks);
        now(Cmd.STORAGE_REPORT_TRUNK_FID, 4, noTrunks);
        now(Cmd.STORAGE_REPORT_TRUNK_FREE, 8, noTrunks);

        // the other trackers (§5.2, §5.3)
        now(Cmd.TRACKER_GET_STATUS, 0, (c, s, in) -> peers.status());
        now(Cmd.TRACKER_JOIN_LEADER, JoinLeaderRequest.SIZE,
                (c, s, in) -> peers.joinLeader(s, JoinLeaderRequest.decode(in), ip(c)));
        now(Cmd.TRACKER_PING_LEADER, PingLeaderRequest.SIZE,
                (c, s, in) -> peers.pingLeader(s, in.hasRemaining() ? PingLeaderRequest.decode(in) : null));
        now(Cmd.TRACKER_NOTIFY_NEXT_LEADER, Fields.MAX_IP_PORT_SIZE,
                (c, s, in) -> peers.notifyNextLeader(TextBody.decode(in, 1, Fields.MAX_IP_PORT_SIZE).text()));
        now(Cmd.TRACKER_COMMIT_NEXT_LEADER, Fields.MAX_IP_PORT_SIZE,
                (c, s, in) -> peers.commitNextLeader(TextBody.decode(in, 1, Fields.MAX_IP_PORT_SIZE).text()));
        now(Cmd.TRACKER_NOTIFY_RESELECT_LEADER, 0, (c, s, in) -> peers.reselectLeader());
        now(Cmd.TRACKER_GET_SYS_FILES_START, 0, (c, s, in) -> peers.sysFilesStart(s));
        now(Cmd.TRACKER_GET_ONE_SYS_FILE, SysFileRequest.SIZE, (c, s, in) -> peers.sysFileChunk(s, SysFileRequest.decode(in)));
        now(Cmd.TRACKER_GET_SYS_FILES_END, 0, (c, s, in) -> peers.sysFilesEnd(s));
    }

    private void now(int cmd, int maxBody, Now handler) {
        later(cmd, maxBody, (c, s, in) -> Future.succeededFuture(handler.serve(c, s, in)));
    }

    private void later(int cmd, int maxBody, Handler handler) {
        if (commands.put(cmd, new Command(maxBody, handler)) != null) {
            throw new IllegalStateException(Cmd.name(cmd) + " is in the table twice");
        }
    }

    private static String ip(FrameConnection conn) {
        return conn.remoteAddress().hostAddress();
    }

    @Override
    public BodyPolicy policy(Header header) {
        Command c = commands.get(header.cmd());
        if (c == null) {
            LOG.log(Level.DEBUG, "unknown command " + header.cmd());
            return BodyPolicy.reject(Status.EINVAL);
        }
        return BodyPolicy.buffered(c.maxBody());
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
        if (session == null) {
            return;
        }
        peers.closed(session);
        if (session.storage != null) {
            cluster.disconnected(session.storage, session);
            persistThen(conn, null);
        }
    }

    @Override
    public void onRequest(FrameConnection conn, Header header, Buffer body) {
        int cmd = header.cmd();
        Future<Buffer> reply;
        try {
            reply = commands.get(cmd).handler().serve(conn, conn.attachment(), Frames.byteBuffer(body));
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
}
