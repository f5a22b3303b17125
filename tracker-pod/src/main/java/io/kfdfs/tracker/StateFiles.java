package io.kfdfs.tracker;

import io.kfdfs.conf.ConfFile;
import io.kfdfs.protocol.tracker.StatBlock;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tracker's data files in the FastDFS formats of docs/protocol.md §10.2–10.5, so a C tracker's data
 * directory loads here and the other way round. Formatting reads the cluster (on its event loop);
 * {@link #load} fills a fresh cluster before the tracker serves.
 */
final class StateFiles {

    static final String GROUPS = "storage_groups_new.dat";
    static final String SERVERS = "storage_servers_new.dat";
    static final String SYNC_TIMESTAMPS = "storage_sync_timestamp.dat";
    static final String CHANGELOG = "storage_changelog.dat";
    static final String STATUS = ".tracker_status";

    private static final System.Logger LOG = System.getLogger(StateFiles.class.getName());

    /** The stat-block values the tracker persists: all but the modify and truncate counters (§10.3). */
    private static final List<StatBlock.Counter> PERSISTED = java.util.Arrays.stream(StatBlock.Counter.values())
            .filter(c -> !c.name().contains("MODIFY") && !c.name().contains("TRUNCATE")).toList();

    private StateFiles() {
    }

    static String groups(Cluster c) {
        StringBuilder sb = new StringBuilder("[Global]\n\tgroup_count=").append(c.groups.size()).append("\n\n");
        int n = 0;
        for (Group g : c.groups.values()) {
            sb.append("# group: ").append(g.name).append('\n')
                    .append(String.format("[Group%03d]", ++n)).append('\n')
                    .append("\tgroup_name=").append(g.name).append('\n')
                    .append("\tstorage_port=").append(g.port).append('\n')
                    .append("\tstore_path_count=").append(g.storePathCount).append('\n')
                    .append("\tsubdir_count_per_path=").append(g.subdirCountPerPath).append('\n')
                    .append("\tcurrent_trunk_file_id=").append(g.currentTrunkFileId).append('\n')
                    .append("\ttrunk_server=").append(g.trunkServer).append('\n')
                    .append("\tlast_trunk_server=").append(g.lastTrunkServer).append("\n\n");
        }
        return sb.toString();
    }

    static String servers(Cluster c) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Group g : c.groups.values()) {
            for (StorageNode s : g.storages) {
                if (s.retired()) {
                    continue;
                }
                sb.append("# storage: ").append(s.address()).append('\n')
                        .append(String.format("[Storage%03d]", ++n)).append('\n');
                if (c.ids != null) {
                    kv(sb, "id", s.id);
                }
                kv(sb, "group_name", g.name);
                kv(sb, "ip_addr", s.ip);
                kv(sb, "status", s.status);
                kv(sb, "version", s.version);
                kv(sb, "join_time", s.joinTime);
                kv(sb, "storage_port", s.port);
                kv(sb, "sync_src_server", s.syncSrcId);
                kv(sb, "sync_until_timestamp", s.syncUntilTimestamp);
                kv(sb, "total_mb", s.totalMb);
                kv(sb, "free_mb", s.freeMb);
                kv(sb, "changelog_offset", s.changelogOffset);
                kv(sb, "store_path_count", s.storePathCount);
                kv(sb, "subdir_count_per_path", s.subdirCountPerPath);
                kv(sb, "upload_priority", s.uploadPriority);
                StatBlock stat = s.stat.with(StatBlock.Counter.LAST_SYNCED_TIMESTAMP, s.lastSyncedTimestamp)
                        .with(StatBlock.Counter.LAST_HEART_BEAT_TIME, s.lastHeartBeatTime);
                for (StatBlock.Counter counter : PERSISTED) {
                    kv(sb, counter.key(), stat.get(counter));
                }
                sb.append('\n');
            }
        }
        return sb.append("\n[Global]\n\tstorage_count=").append(n).append('\n').toString();
    }

    private static void kv(StringBuilder sb, String key, Object value) {
        sb.append('\t').append(key).append('=').append(value).append('\n');
    }

    /** One row per storage in join order: {@code group,source,t_0..t_n-1}, t_k = what storage k got from it. */
    static String syncTimestamps(Cluster c) {
        StringBuilder sb = new StringBuilder();
        for (Group g : c.groups.values()) {
            List<StorageNode> live = g.storages.stream().filter(s -> !s.retired()).toList();
            for (StorageNode src : live) {
                sb.append(g.name).append(',').append(src.id);
                for (StorageNode dest : live) {
                    sb.append(',').append(g.syncTimestamp(src.id, dest.id));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String trackerStatus(long upTime, long lastCheckTime) {
        return "up_time=" + upTime + "\nlast_check_time=" + lastCheckTime + "\n";
    }

    /**
     * Fills {@code c} from the files' texts (null = file absent), through its restore methods.
     */
    static void load(Cluster c, Path dir, String groups, String servers, String syncTimestamps, String changelog) {
        if (groups != null) {
            ConfFile f = ConfFile.parse(dir.resolve(GROUPS), groups);
            int count = f.getInt("Global.group_count", 0, 0, Integer.MAX_VALUE);
            for (int i = 1; i <= count; i++) {
                String sec = String.format("Group%03d.", i);
                c.restoreGroup(f.requireString(sec + "group_name"), f.getInt(sec + "storage_port", 0, -1, 65535),
                        f.getInt(sec + "store_path_count", 1, 0, 256), f.getInt(sec + "subdir_count_per_path", 256, 0, 256),
                        f.getLong(sec + "current_trunk_file_id", 0, Long.MIN_VALUE, Long.MAX_VALUE),
                        f.getString(sec + "trunk_server", ""), f.getString(sec + "last_trunk_server", ""));
            }
        }
        if (servers != null) {
            ConfFile f = ConfFile.parse(dir.resolve(SERVERS), servers);
            int count = f.getInt("Global.storage_count", 0, 0, Integer.MAX_VALUE);
            for (int i = 1; i <= count; i++) {
                loadStorage(c, f, String.format("Storage%03d.", i));
            }
        }
        if (syncTimestamps != null) {
            loadSyncTimestamps(c, syncTimestamps);
        }
        if (changelog != null) {
            c.restoreChangelog(changelog);
        }
    }

    private static void loadStorage(Cluster c, ConfFile f, String sec) {
        String ip = f.requireString(sec + "ip_addr");
        StatBlock stat = StatBlock.ZERO;
        for (StatBlock.Counter counter : PERSISTED) {
            stat = stat.with(counter, f.getLong(sec + counter.key(), 0, Long.MIN_VALUE, Long.MAX_VALUE));
        }
        c.restoreStorage(new Cluster.SavedStorage(f.requireString(sec + "group_name"),
                c.ids != null ? f.requireString(sec + "id") : Addresses.storageIdOfIp(ip), ip,
                f.getInt(sec + "storage_port", 0, 0, 65535), f.getInt(sec + "store_path_count", 1, 0, 256),
                f.getInt(sec + "subdir_count_per_path", 256, 0, 256), f.getInt(sec + "status", 0, 0, 255),
                f.getString(sec + "version", ""), f.getLong(sec + "join_time", 0, 0, Long.MAX_VALUE),
                f.getString(sec + "sync_src_server", ""),
                f.getLong(sec + "sync_until_timestamp", 0, 0, Long.MAX_VALUE),
                f.getLong(sec + "total_mb", 0, 0, Long.MAX_VALUE), f.getLong(sec + "free_mb", 0, 0, Long.MAX_VALUE),
                f.getLong(sec + "changelog_offset", 0, 0, Long.MAX_VALUE),
                f.getLong(sec + "upload_priority", 0, Long.MIN_VALUE, Long.MAX_VALUE), stat));
    }

    /** Rows must follow the group's join order, as the C loader insists; a row that does not is skipped. */
    private static void loadSyncTimestamps(Cluster c, String text) {
        Map<String, Integer> rowInGroup = new HashMap<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            Group g = f.length < 2 ? null : c.groups.get(f[0]);
            int row = g == null ? -1 : rowInGroup.merge(g.name, 1, Integer::sum) - 1;
            List<StorageNode> live = g == null ? List.of() : g.storages.stream().filter(s -> !s.retired()).toList();
            if (g == null || row >= live.size() || !live.get(row).id.equals(f[1]) || f.length != 2 + live.size()) {
                LOG.log(Level.WARNING, SYNC_TIMESTAMPS + ": ignoring a row that does not match the storages: " + line);
                continue;
            }
            for (int k = 0; k < live.size(); k++) {
                long ts;
                try {
                    ts = Long.parseLong(f[2 + k].trim());
                } catch (NumberFormatException e) {
                    LOG.log(Level.WARNING, SYNC_TIMESTAMPS + ": bad timestamp in " + line);
                    continue;
                }
                if (ts > 0) {
                    c.restoreSyncTimestamp(g, f[1], live.get(k).id, ts);
                }
            }
        }
    }
}
