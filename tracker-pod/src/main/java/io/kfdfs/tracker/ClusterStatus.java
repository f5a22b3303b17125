package io.kfdfs.tracker;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the tracker's HTTP port tells about the cluster: the JSON behind the dashboard ({@code /api/cluster}:
 * everything {@code fdfs_monitor} shows, plus upload/download rates and sync delays) and the cluster
 * gauges. Runs on the tracker's event loop, the owner of the {@link Cluster}.
 */
final class ClusterStatus {

    private final TrackerServer server;
    private final Cluster cluster;
    private final Leadership leadership;
    private final BeatRates rates = new BeatRates();
    private final ClusterMeters meters;

    ClusterStatus(TrackerServer server, Cluster cluster, Leadership leadership, MeterRegistry registry) {
        this.server = server;
        this.cluster = cluster;
        this.leadership = leadership;
        this.meters = new ClusterMeters(registry);
    }

    /** Every second: rates from new beats, gauges from the current state. */
    void refresh() {
        rates.update(cluster.allGroups());
        meters.update(cluster.allGroups(), leadership.isLeader());
    }

    JsonObject json() {
        rates.update(cluster.allGroups());
        long now = cluster.now();
        JsonArray groups = new JsonArray();
        cluster.allGroups().forEach(g -> groups.add(group(g)));
        Leadership.Peer self = leadership.self();
        Leadership.Peer leader = leadership.leader();
        return new JsonObject()
                .put("time", now)
                .put("version", TrackerServer.VERSION)
                .put("startTime", server.startTime())
                .put("self", self == null ? server.address() : self.address())
                .put("leader", leader == null ? null : leader.address())
                .put("trackers", trackers(self, leader, now))
                .put("groups", groups);
    }

    /** The trackers the storages named (this one alone until a storage joined). */
    private JsonArray trackers(Leadership.Peer self, Leadership.Peer leader, long now) {
        JsonArray list = new JsonArray();
        if (self == null) {
            list.add(new JsonObject().put("address", server.address()).put("self", true).put("leader", false)
                    .put("active", true).put("connections", server.connections()));
            return list;
        }
        for (Leadership.Peer p : leadership.trackers) {
            JsonObject t = new JsonObject().put("address", p.address()).put("self", p.equals(self))
                    .put("leader", p.equals(leader))
                    // only the leader hears from every tracker
                    .put("active", p.equals(self) ? Boolean.TRUE : leadership.isLeader() ? leadership.isActive(p, now) : null);
            if (p.equals(self)) {
                t.put("connections", server.connections());
            }
            list.add(t);
        }
        return list;
    }

    private JsonObject group(Group g) {
        Group.Space space = g.space();
        long lastSourceUpdate = 0;
        JsonArray storages = new JsonArray();
        for (StorageNode s : g.byId()) {
            lastSourceUpdate = Math.max(lastSourceUpdate, s.stat.get(Counter.LAST_SOURCE_UPDATE));
            storages.add(storage(s, g));
        }
        return new JsonObject()
                .put("name", g.name)
                .put("port", g.port)
                .put("totalMb", space.totalMb())
                .put("freeMb", space.freeMb())
                .put("reservedMb", cluster.config.reservedStorageSpace().reservedMb(space.totalMb()))
                .put("storePathCount", g.storePathCount)
                .put("subdirCountPerPath", g.subdirCountPerPath)
                .put("storageCount", g.storages.size())
                .put("activeCount", g.storages.stream().filter(StorageNode::isActive).count())
                .put("readableCount", g.readable().size())
                .put("writableCount", g.writable().size())
                .put("lastSourceUpdate", lastSourceUpdate)
                .put("storages", storages);
    }

    private JsonObject storage(StorageNode s, Group g) {
        JsonArray paths = new JsonArray();
        for (int i = 0; i < s.pathTotalMb.length; i++) {
            paths.add(new JsonObject().put("totalMb", s.pathTotalMb[i]).put("freeMb", s.pathFreeMb[i]));
        }
        JsonObject counters = new JsonObject();
        for (Counter c : Counter.values()) {
            if (c != Counter.LAST_SYNCED_TIMESTAMP && c != Counter.LAST_HEART_BEAT_TIME) {
                counters.put(c.key(), s.stat.get(c));
            }
        }
        JsonObject json = new JsonObject()
                .put("id", s.id)
                .put("ip", s.ip)
                .put("port", s.port)
                .put("status", StorageStatus.name(s.status))
                .put("rwMode", s.rwMode)
                .put("version", s.version)
                .put("joinTime", s.joinTime)
                .put("upTime", s.upTime)
                .put("totalMb", s.totalMb)
                .put("freeMb", s.freeMb)
                .put("paths", paths)
                .put("currentWritePath", s.currentWritePath)
                .put("uploadPriority", s.uploadPriority)
                .put("syncSource", s.syncSrcId)
                .put("lastHeartBeatTime", s.lastHeartBeatTime)
                .put("lastSyncedTimestamp", s.lastSyncedTimestamp)
                .put("syncDelaySeconds", syncDelay(s, g))
                .put("connections", new JsonObject().put("current", s.stat.connCurrent()).put("max", s.stat.connMax()))
                .put("counters", counters);
        rates.of(s).filter(r -> s.isActive()).ifPresent(r -> json.put("rates", new JsonObject()
                .put("uploadsPerSecond", r.uploads())
                .put("downloadsPerSecond", r.downloads())
                .put("uploadBytesPerSecond", r.uploadBytes())
                .put("downloadBytesPerSecond", r.downloadBytes())));
        return json;
    }

    /**
     * How far this storage's copies trail its peers' newest change, as fdfs_monitor computes it; null when
     * it has no peer with changes, or never synced.
     */
    private static Long syncDelay(StorageNode s, Group g) {
        long newest = 0;
        for (StorageNode peer : g.storages) {
            if (peer != s && !peer.retired()) {
                newest = Math.max(newest, peer.stat.get(Counter.LAST_SOURCE_UPDATE));
            }
        }
        if (newest == 0 || s.lastSyncedTimestamp == 0) {
            return null;
        }
        return Math.max(0, newest - s.lastSyncedTimestamp);
    }
}
