package io.kfdfs.operator.model;

import io.kfdfs.conf.ConfException;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.JoinSpec;
import io.kfdfs.operator.api.StorageGroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The FastDFS configs the pods read: {@code tracker.conf}, {@code storage.conf} and {@code storage_ids.conf},
 * rendered from the resources and checked with the same parser the pods use, so that a bad value in a
 * {@code config} map is reported on the resource instead of crash-looping a pod.
 */
public final class ConfFiles {

    /** tracker.conf keys that the operator sets (the pod's shape depends on them). */
    static final Set<String> TRACKER_OWNED = Set.of("port", "http_port", "bind_addr", "base_path", "use_storage_id",
            "storage_ids_filename", "id_type_in_filename");
    /** storage.conf keys that the operator sets. */
    static final Set<String> STORAGE_OWNED = Set.of("group_name", "server_id", "port", "http_port", "bind_addr",
            "base_path", "store_path_count", "tracker_server", "http.anti_steal.check_token",
            "http.anti_steal.secret_key", "http.anti_steal.token_ttl");

    /** Keys that may appear several times; their values are written ';'-separated, as in the env overrides. */
    private static final Set<String> REPEATABLE = Set.of("allow_hosts", "tracker_server");

    private ConfFiles() {
    }

    public static String trackerConf(FdfsCluster c) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("port", String.valueOf(c.getSpec().trackers.port));
        keys.put("http_port", String.valueOf(c.getSpec().trackers.httpPort));
        keys.put("base_path", Names.DATA_DIR);
        keys.put("use_storage_id", String.valueOf(!Specs.ipMode(c)));
        keys.put("storage_ids_filename", Names.IDS_DIR + "/" + Names.STORAGE_IDS_CONF);
        keys.put("id_type_in_filename", c.getSpec().join == null ? "id" : Specs.ipMode(c) ? "ip" : c.getSpec().join.idTypeInFilename);
        return render("tracker.conf of FdfsCluster " + c.getMetadata().getName()
                + " (bind_addr comes from the pod's IP: KFDFS_BIND_ADDR)", keys, c.getSpec().trackers.config);
    }

    /** storage.conf of a group: its members differ only by IP (env) and storage ID (asked of the trackers). */
    public static String storageConf(FdfsCluster c, StorageGroup g, String clusterDomain) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("group_name", g.getSpec().groupName);
        keys.put("port", String.valueOf(Names.STORAGE_PORT));
        keys.put("http_port", String.valueOf(Names.STORAGE_HTTP_PORT));
        int paths = Specs.storePaths(c, g).size();
        keys.put("base_path", Names.storePathDir(0));
        keys.put("store_path_count", String.valueOf(paths));
        for (int i = 0; i < paths; i++) {
            keys.put("store_path" + i, Names.storePathDir(i));
        }
        List<String> trackers = new ArrayList<>();
        trackers.add(Names.trackerHeadlessHost(c, clusterDomain) + ":" + c.getSpec().trackers.port);
        trackers.addAll(Specs.joinedTrackers(c));
        keys.put("tracker_server", String.join(";", trackers));
        if (c.getSpec().join != null && !Specs.storageConfig(c, g).containsKey("sync_binlog_buff_interval")) {
            // what a joined C member may hold back from its binlog file (docs/migration.md asks 1 s of every
            // member): a pod counts a quiet C member's older records as received only after that long
            keys.put("sync_binlog_buff_interval", "1");
        }
        if (c.getSpec().http.antiStealSecret != null) {
            keys.put("http.anti_steal.check_token", "true");
            keys.put("http.anti_steal.token_ttl", String.valueOf(c.getSpec().http.tokenTtlSeconds));
        }
        return render("storage.conf of StorageGroup " + g.getMetadata().getName()
                + " (server_id is asked of the trackers, bind_addr comes from the pod's IP)", keys, Specs.storageConfig(c, g));
    }

    /**
     * The joined cluster's storage_ids.conf as it is, then one line per member, {@code <id> <group> <pod DNS
     * name>:<port>}, ordered by ID; without the port if the joined cluster's lines have none (a file gives every
     * storage a port or none).
     */
    public static String storageIds(FdfsCluster c, List<StorageIdPlan.Member> members) {
        StringBuilder b = new StringBuilder();
        String joined = c.getSpec().join == null || Specs.ipMode(c) ? null : c.getSpec().join.storageIds;
        boolean ports = true;
        if (joined != null) {
            b.append("# the joined cluster's storage_ids.conf (FdfsCluster spec.join.storageIds)\n").append(joined.strip()).append('\n');
            ports = joinedIds(c).stream().allMatch(e -> e.port() > 0);
        }
        b.append("# written by kfdfs-operator: <storage id> <group> <pod DNS name>").append(ports ? ":<port>\n" : "\n");
        String port = ports ? ":" + Names.STORAGE_PORT : "";
        members.stream().sorted((x, y) -> Integer.compare(x.id(), y.id())).forEach(m -> b.append(m.id()).append(' ')
                .append(m.group()).append(' ').append(m.host()).append(port).append('\n'));
        return b.toString();
    }

    /** The storages of the joined cluster's storage_ids.conf; none in IP mode, without a join, or if it does not parse. */
    public static List<StorageIds.Entry> joinedIds(FdfsCluster c) {
        if (c.getSpec().join == null || Specs.ipMode(c)) {
            return List.of();
        }
        try {
            return StorageIds.parse("join.storageIds", c.getSpec().join.storageIds).entries();
        } catch (ConfException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Why the tracker config (or what the cluster joins) is unusable, or null. */
    public static String trackerConfigProblem(FdfsCluster c) {
        String owned = ownedKeys(c.getSpec().trackers.config, TRACKER_OWNED);
        if (owned != null) {
            return "trackers.config sets " + owned + ", which the operator owns";
        }
        String join = joinProblem(c.getSpec().join);
        if (join != null) {
            return join;
        }
        return parseProblem(trackerConf(c), text -> TrackerConfig.from(ConfFile.parse(Path.of("tracker.conf"), text)),
                TrackerConfig.KEYS);
    }

    /** Why the storage config of {@code g} is unusable, or null. */
    public static String storageConfigProblem(FdfsCluster c, StorageGroup g) {
        String owned = ownedKeys(Specs.storageConfig(c, g), STORAGE_OWNED);
        if (owned != null) {
            return "config sets " + owned + ", which the operator owns";
        }
        for (String key : Specs.storageConfig(c, g).keySet()) {
            if (key.startsWith("store_path")) {
                return "config sets " + key + ": store paths come from storePaths";
            }
        }
        return parseProblem(storageConf(c, g, "cluster.local"),
                text -> StorageConfig.from(ConfFile.parse(Path.of("storage.conf"), text)), StorageConfig.KEYS);
    }

    /** Whether {@code text} parses as a storage_ids.conf (a duplicate ID or address is an error there). */
    public static String storageIdsProblem(String text) {
        try {
            StorageIds.parse(Names.STORAGE_IDS_CONF, text);
            return null;
        } catch (ConfException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String joinProblem(JoinSpec join) {
        if (join == null) {
            return null;
        }
        for (String t : join.trackers == null ? List.<String>of() : join.trackers) {
            try {
                HostPort.parse(t, TrackerConfig.DEFAULT_PORT);
            } catch (ConfException | IllegalArgumentException e) {
                return "join.trackers: \"" + t + "\": " + e.getMessage();
            }
        }
        if (join.storageIds == null) {
            return null;
        }
        if (!"id".equals(join.idTypeInFilename) && !"ip".equals(join.idTypeInFilename)) {
            return "join.idTypeInFilename is \"" + join.idTypeInFilename + "\", not id or ip";
        }
        try {
            if (StorageIds.parse("join.storageIds", join.storageIds).entries().isEmpty()) {
                return "join.storageIds lists no storage; leave it unset for a cluster in IP mode";
            }
        } catch (ConfException | IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }

    private interface Parser {
        void parse(String text);
    }

    private static String parseProblem(String text, Parser parser, Set<String> known) {
        try {
            parser.parse(text);
        } catch (ConfException | IllegalArgumentException e) {
            return e.getMessage();
        }
        Set<String> unknown = new TreeSet<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0 && !known.contains(line.substring(0, eq).trim())) {
                unknown.add(line.substring(0, eq).trim());
            }
        }
        return unknown.isEmpty() ? null : "unknown keys " + String.join(", ", unknown);
    }

    private static String ownedKeys(Map<String, String> config, Set<String> owned) {
        Set<String> set = new TreeSet<>(config.keySet());
        set.retainAll(owned);
        return set.isEmpty() ? null : String.join(", ", set);
    }

    private static String render(String title, Map<String, String> operatorKeys, Map<String, String> userKeys) {
        StringBuilder b = new StringBuilder("# ").append(title).append(", written by kfdfs-operator\n");
        operatorKeys.forEach((k, v) -> line(b, k, v));
        userKeys.forEach((k, v) -> {
            if (!operatorKeys.containsKey(k)) {
                line(b, k, v);
            }
        });
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        for (String v : REPEATABLE.contains(key) ? value.split(";") : new String[] {value}) {
            b.append(key).append(" = ").append(v.trim()).append('\n');
        }
    }
}
