package io.kfdfs.tracker;

import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.tracker.FetchAllReply;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.DrainRequest;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StorageClusterStat;
import io.kfdfs.protocol.tracker.StorageClusterStatRequest;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.StoreAllReply;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.TextBody;
import io.kfdfs.protocol.tracker.TrackerClusterStat;
import io.kfdfs.protocol.tracker.TrackerClusterStatRequest;
import io.kfdfs.protocol.tracker.VolumeStat;
import io.kfdfs.protocol.tracker.VolumeStatRequest;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * What clients and the monitor ask the tracker (docs/protocol.md §3, §3.10): where to upload, download or
 * change a file, the group and storage lists, deletions, and the cluster's state.
 */
final class ClientCommands {

    private final TrackerServer server;
    private final Cluster cluster;
    private final Leadership leadership;
    private final Selector selector;
    private final Reports reports;
    private final TrackerConfig config;
    private final int ipSize;

    ClientCommands(TrackerServer server, Cluster cluster, Leadership leadership, Selector selector, Reports reports,
                   int ipSize) {
        this.server = server;
        this.cluster = cluster;
        this.leadership = leadership;
        this.selector = selector;
        this.reports = reports;
        this.config = cluster.config;
        this.ipSize = ipSize;
    }

    /** 101, 104, 106, 107: where to upload, in any group ({@code group} null) or in the one named. */
    Buffer store(String group, boolean all, String clientIp) throws ProtocolException {
        Selector.Store s = group == null ? selector.store(all) : selector.storeIn(cluster.group(group), all);
        List<ServerAddress> servers = s.storages().stream()
                .map(x -> new ServerAddress(selector.addressFor(x, clientIp), x.port)).toList();
        return Frames.response(all ? new StoreAllReply(s.group().name, servers, s.storePathIndex(), ipSize)
                : new StoreReply(s.group().name, servers.get(0), s.storePathIndex(), ipSize));
    }

    /** 102, 103, 105: where to download a file, or change it. */
    Buffer fetch(int cmd, GroupFile q, String clientIp) throws ProtocolException {
        Group g = cluster.group(q.group());
        if (cmd == Cmd.SERVICE_QUERY_FETCH_ALL) {
            List<ServerAddress> all = selector.fetchAll(g, q.filename()).stream()
                    .map(x -> new ServerAddress(selector.addressFor(x, clientIp), x.port)).toList();
            return Frames.response(new FetchAllReply(g.name, all, ipSize, config.fetchAllLegacyFormat()));
        }
        StorageNode s = cmd == Cmd.SERVICE_QUERY_UPDATE ? selector.update(g, q.filename()) : selector.fetch(g, q.filename());
        return Frames.response(new FetchReply(g.name, new ServerAddress(selector.addressFor(s, clientIp), s.port), ipSize));
    }

    Buffer listGroup(String group) throws ProtocolException {
        return Frames.response(new GroupStats(List.of(reports.groupStat(cluster.group(group))),
                config.listLegacyLayout()));
    }

    Buffer listGroups() throws ProtocolException {
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
    Buffer listStorages(GroupStorageFilter f, String clientIp) throws ProtocolException {
        Group g = cluster.group(f.group());
        List<StorageNode> list = f.hasId() ? List.of(cluster.storage(g.name, f.storageId()))
                : g.byId().stream().filter(s -> s.status != StorageStatus.DELETED).toList();
        return Frames.response(new StorageStats(list.stream().map(s -> reports.storageStat(s, clientIp)).toList(),
                ipSize, config.listLegacyLayout()));
    }

    Buffer deleteStorage(GroupStorageFilter f) throws ProtocolException {
        if (!f.hasId()) {
            throw ProtocolException.invalid("delete storage needs a storage ID");
        }
        cluster.deleteStorage(f.group(), f.storageId());
        return Frames.ok();
    }

    Buffer drain(DrainRequest r) throws ProtocolException {
        cluster.drain(r.group(), r.storageId(), r.drained());
        return Frames.ok();
    }

    Buffer deleteGroup(String group) throws ProtocolException {
        cluster.deleteGroup(group);
        return Frames.ok();
    }

    Buffer leader() throws ProtocolException {
        Leadership.Peer leader = leadership.leader();
        if (leader == null) {
            throw new ProtocolException(Status.ENOENT, "no leader tracker yet");
        }
        return Frames.response(new TextBody(leader.address()));
    }

    /** 96, leader only: this tracker and every other one the storages named, active if it pinged lately. */
    Buffer trackerClusterStat(TrackerClusterStatRequest r) throws ProtocolException {
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

    Buffer storageClusterStat(StorageClusterStatRequest r) {
        List<StorageClusterStat.Storage> list = cluster.allStorages().stream().filter(s -> r.accepts(s.status, false))
                .map(reports::clusterStorage).toList();
        return Frames.response(new StorageClusterStat(cluster.ids != null, false, list));
    }

    Buffer volumeStat(VolumeStatRequest r) {
        List<VolumeStat.Volume> list = cluster.allGroups().stream().map(reports::volume)
                .filter(v -> r.accepts(v.diskAvailable(), v.trunkAvailable(), v.diskAvailable() || v.trunkAvailable()))
                .toList();
        return Frames.response(new VolumeStat(false, list));
    }
}
