package io.kfdfs.tracker;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.ChangeStatus;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupNameRequest;
import io.kfdfs.protocol.tracker.GroupStorageId;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.MyIpRequest;
import io.kfdfs.protocol.tracker.ReadOnlyReport;
import io.kfdfs.protocol.tracker.ReplicaChange;
import io.kfdfs.protocol.tracker.ServerLookup;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.protocol.tracker.TextBody;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What storages send the tracker (docs/protocol.md §5): joining, beats and reports, full-sync sources and
 * status changes, and the lookups a storage makes about itself and its peers. A command only a joined
 * storage may send checks that before it reads its body: a stranger gets EACCES, whatever it sent.
 */
final class StorageCommands {

    /** The C tracker's changelog chunk bound (TRACKER_MAX_PACKAGE_SIZE). */
    private static final int CHANGELOG_CHUNK = 8192;
    private static final System.Logger LOG = System.getLogger(StorageCommands.class.getName());

    private final Cluster cluster;
    private final Leadership leadership;
    private final SysFileCopy sysFileCopy;
    /** storage_ids.conf lookups when use_storage_id is on, else null. */
    private final StorageIdLookup ids;
    private final Reports reports;
    private final TrackerConfig config;
    private final Body parameters;

    StorageCommands(Cluster cluster, Leadership leadership, SysFileCopy sysFileCopy, StorageIdLookup ids,
                    Reports reports, Body parameters) {
        this.cluster = cluster;
        this.leadership = leadership;
        this.sysFileCopy = sysFileCopy;
        this.ids = ids;
        this.reports = reports;
        this.config = cluster.config;
        this.parameters = parameters;
    }

    /** 81: once the data copy of a fresh tracker is done and the storage is identified (§5.1). */
    Future<Buffer> join(FrameConnection conn, Session session, JoinRequest r) throws ProtocolException {
        String peer = conn.remoteAddress().hostAddress();
        Cluster.checkJoin(r, peer);
        String local = conn.localAddress().hostAddress();
        Future<Buffer> joined = sysFileCopy.beforeJoin(leadership.others(r.trackers(), r.currentTrackerIp(), local))
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
        return logged("JOIN of " + r.group() + (r.storageId().isEmpty() ? "" : " " + r.storageId()), peer, joined);
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

    /** A refused storage is told only a status: the reason goes to this log (C logs it too, tracker_mem.c:5023-5045). */
    private static <T> Future<T> logged(String what, String peer, Future<T> f) {
        return f.onFailure(e -> LOG.log(System.Logger.Level.WARNING, what + " from " + peer + " refused: " + e.getMessage()));
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

    /** 83: the storage's stat block (or none: a plain beat); answered with the changes it has not been told of. */
    Buffer beat(FrameConnection conn, Session session, ByteBuffer in) throws ProtocolException {
        cluster.beat(joined(session), StatBlock.decodeBeat(in));
        return Frames.response(notice(conn, session));
    }

    /** 84. */
    Buffer diskUsage(FrameConnection conn, Session session, ByteBuffer in) throws ProtocolException {
        cluster.diskUsage(joined(session), DiskUsage.decode(in));
        return Frames.response(notice(conn, session));
    }

    /** 89. */
    Buffer syncReport(FrameConnection conn, Session session, ByteBuffer in) throws ProtocolException {
        cluster.syncReport(joined(session), SyncReport.decode(in));
        return Frames.response(notice(conn, session));
    }

    /** 241 (kfdfs): the storage is being retired and takes no changes (§14). */
    Buffer readOnly(Session session, ByteBuffer in) throws ProtocolException {
        cluster.readOnly(joined(session), ReadOnlyReport.decode(in).readOnly());
        return Frames.ok();
    }

    /** 85: a storage passes on the leader's view of its group; the leader's own view wins (§5.2). */
    Buffer replicaChange(Session session, ByteBuffer in) throws ProtocolException {
        StorageNode s = joined(session);
        ReplicaChange change = ReplicaChange.decode(in);
        if (!leadership.isLeader()) {
            for (StorageBrief b : change.storages()) {
                cluster.mergeStatus(s.group.name, b);
            }
        }
        return Frames.ok();
    }

    /** 86: who is the full-sync source of a storage. */
    Buffer syncSource(GroupStorageId r) throws ProtocolException {
        return optional(cluster.syncSourceFor(r.group(), r.storageId()));
    }

    /** 87: a joining storage asks for its full-sync source, assigned now if it has none. */
    Buffer syncDestination(Session session) throws ProtocolException {
        return optional(cluster.assignSyncSource(joined(session)));
    }

    /** 79. */
    Buffer syncDestinationQuery(Session session) throws ProtocolException {
        StorageNode s = joined(session);
        return optional(s.syncSrcId.isEmpty() ? Optional.empty()
                : Optional.of(new SyncSource(s.syncSrcId, s.syncUntilTimestamp)));
    }

    /** 88. */
    Buffer syncNotify(Session session, ByteBuffer in) throws ProtocolException {
        cluster.syncNotify(joined(session), SyncSource.decode(in));
        return Frames.ok();
    }

    /** 76: a source reports its peer's status in a full sync (WAIT_SYNC → SYNCING → OFFLINE). */
    Buffer reportStatus(String group, StorageBrief storage) throws ProtocolException {
        cluster.mergeStatus(group, storage);
        return Frames.ok();
    }

    /** 59. */
    Buffer changeStatus(Session session, ByteBuffer in) throws ProtocolException {
        cluster.changeStatus(joined(session), ChangeStatus.decode(in).status());
        return Frames.ok();
    }

    /** 71: a storage's status as this tracker sees it. */
    Buffer getStatus(ServerLookup r, String peer) throws ProtocolException {
        HostPort hp = hostPort(r.host());
        Group g = cluster.group(r.group());
        StorageNode s = cluster.findByAddress(g, hp.host(), hp.port()).orElseThrow(() -> new ProtocolException(
                Status.ENOENT, "no storage " + r.host() + " in " + g.name));
        return Frames.response(reports.brief(s, peer));
    }

    /** 70. */
    Future<Buffer> getServerId(ServerLookup r) throws ProtocolException {
        HostPort hp = hostPort(r.host());
        if (ids == null) {
            return Future.succeededFuture(Frames.response(new TextBody(Addresses.storageIdOfIp(hp.host()))));
        }
        return logged("GET_SERVER_ID", r.host(), ids.byAddress(r.group(), hp.host(), hp.port()).compose(e -> e.isPresent()
                ? Future.succeededFuture(Frames.response(new TextBody(e.get().id())))
                : Future.failedFuture(new ProtocolException(Status.ENOENT, "no storage ID for " + r.group() + " "
                + r.host() + " in storage_ids.conf"))));
    }

    /** 60: the caller's IP; with storage IDs, the addresses configured for it (resolved), comma-separated. */
    Future<Buffer> getMyIp(MyIpRequest r, String peer) {
        if (ids == null) {
            return Future.succeededFuture(Frames.response(new TextBody(peer)));
        }
        return ids.byAddress(r.group(), peer, r.port())
                .map(e -> Frames.response(new TextBody(e.map(x -> String.join(",", x.hosts())).orElse(peer))));
    }

    /** 109. */
    Future<Buffer> getGroupName(GroupNameRequest r, String peer) throws ProtocolException {
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

    /** 69: storage_ids.conf from an index on, as much as fits a package. */
    Buffer storageIds(StorageIdsRequest r) throws ProtocolException {
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

    /** 75: the tracker's parameters a storage follows. */
    Buffer parameters() {
        return Frames.response(parameters);
    }

    /** 77: the changelog after the storage's position (its own, or the one it names). */
    Buffer changelog(Session session, GroupStorageId of) throws ProtocolException {
        StorageNode s = of != null ? cluster.storage(of.group(), of.storageId()) : joined(session);
        return Frames.response(new TextBody(cluster.changelogFor(s, CHANGELOG_CHUNK)));
    }

    /** 78: the IP a storage had before. */
    Buffer ipChanged(IpChangedReport r, String peer) throws ProtocolException {
        cluster.ipChanged(r, peer);
        return Frames.ok();
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
        cluster.seen(s);
        return s;
    }

    /**
     * §5.1: only the leader announces changes, and a new connection is sent the leader and the whole group
     * (NOTES D6).
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

    private static HostPort hostPort(String text) throws ProtocolException {
        try {
            return HostPort.parse(text, 0);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.invalid("bad address \"" + text + "\": " + e.getMessage());
        }
    }

    private static Buffer optional(Optional<? extends Body> body) {
        return body.map(Frames::response).orElseGet(Frames::ok);
    }
}
