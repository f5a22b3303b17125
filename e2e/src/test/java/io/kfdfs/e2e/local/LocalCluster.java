package io.kfdfs.e2e.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.process.PodRuntime;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StorageStat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * Trackers and groups of storages as separate processes, each on a loopback address of its own so that
 * every pod looks like a host (as in Kubernetes, where each pod has its IP and the same ports).
 *
 * <p>Address and port plan ({@code PLAN.txt} in the cluster's folder): a cluster takes one block
 * {@code 127.B.0.0/16}, B chosen at random per cluster (so two suites running at once on one machine do not
 * meet); tracker t (1-based) is {@code 127.B.0.t}, member m of group g is {@code 127.B.g.m}. Every tracker
 * listens on 22122 (HTTP 8080), every storage on 23000 (HTTP 8888), the FastDFS and kfdfs defaults.
 * Storage IDs: {@code 100000 + 100 g + m} (group 1 member 2: 100102), in every tracker's
 * {@code storage_ids.conf} ({@code use_storage_id = true}, {@code id_type_in_filename = id}, the
 * Kubernetes shape). Folders: {@code conf/}, {@code tracker<t>/}, {@code g<g>m<m>/} (base path) with its
 * files in {@code g<g>m<m>/store} (store_path0, apart so that a test can mount a volume there), and
 * {@code logs/}.
 *
 * <p>Members may be planned without being started ({@link Builder#spareMembers}): they are in
 * {@code storage_ids.conf} from the start, and join when a test starts them.
 */
public final class LocalCluster implements AutoCloseable {

    public static final int TRACKER_PORT = 22122;
    public static final int TRACKER_HTTP_PORT = 8080;
    public static final int STORAGE_PORT = 23000;
    public static final int STORAGE_HTTP_PORT = 8888;
    private static final Duration READY = Duration.ofSeconds(90);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int block;
    private final List<Node> trackers = new ArrayList<>();
    private final List<List<Node>> groups = new ArrayList<>();
    private final StorageIds storageIds;
    private final int startedMembers;

    private LocalCluster(Builder b) throws IOException {
        this.dir = b.dir;
        this.block = freeBlock();
        this.startedMembers = b.members;
        PodRuntime runtime = b.runtime;
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        List<String> trackerAddresses = new ArrayList<>();
        for (int t = 1; t <= b.trackers; t++) {
            trackerAddresses.add(address(0, t) + ":" + TRACKER_PORT);
        }
        StringBuilder ids = new StringBuilder("# id     group   host:port\n");
        for (int g = 1; g <= b.groups; g++) {
            List<Node> members = new ArrayList<>();
            for (int m = 1; m <= b.members + b.spareMembers; m++) {
                String name = "g" + g + "m" + m;
                String id = Integer.toString(100_000 + 100 * g + m);
                Path base = Files.createDirectories(dir.resolve(name));
                Path store = Files.createDirectories(base.resolve("store"));
                Path file = conf.resolve(name + ".conf");
                Files.writeString(file, storageConf("group" + g, address(g, m), id, base, store, trackerAddresses,
                        b.storageConf));
                ids.append(id).append("   group").append(g).append("  ").append(address(g, m)).append(':')
                        .append(STORAGE_PORT).append('\n');
                members.add(node(runtime, name, PodProcess.Role.STORAGE, address(g, m), STORAGE_PORT,
                        STORAGE_HTTP_PORT, base, store, "group" + g, m, id, file, logs));
            }
            groups.add(members);
        }
        Path idsFile = conf.resolve("storage_ids.conf");
        Files.writeString(idsFile, ids);
        this.storageIds = StorageIds.load(idsFile);
        for (int t = 1; t <= b.trackers; t++) {
            String name = "tracker" + t;
            Path base = Files.createDirectories(dir.resolve(name));
            Path file = conf.resolve(name + ".conf");
            Files.writeString(file, trackerConf(address(0, t), base, idsFile, b.trackerConf));
            trackers.add(node(runtime, name, PodProcess.Role.TRACKER, address(0, t), TRACKER_PORT, TRACKER_HTTP_PORT,
                    base, null, null, 0, null, file, logs));
        }
        Files.writeString(dir.resolve("PLAN.txt"), plan());
    }

    private static Node node(PodRuntime runtime, String name, PodProcess.Role role, String address, int port,
                             int httpPort, Path base, Path store, String group, int member, String id, Path conf,
                             Path logs) {
        PodProcess p = new PodProcess(new PodProcess.Spec(role, name, conf,
                URI.create("http://" + address + ":" + httpPort + "/readyz"), logs.resolve(name + ".log"), Map.of(),
                List.of()), runtime);
        return new Node(name, role, address, port, httpPort, base, store, group, member, id, p);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /**
     * tracker.conf: every key the suite relies on, written out. Storages are seen OFFLINE 5 s after their
     * last beat (1 s apart), so a killed member leaves the readable set within seconds.
     */
    static String trackerConf(String address, Path base, Path storageIds, String extra) {
        return """
                bind_addr = %s
                port = %d
                http_port = %d
                base_path = %s
                connect_timeout = 2
                network_timeout = 10
                store_lookup = 0
                reserved_storage_space = 1%%
                use_storage_id = true
                storage_ids_filename = %s
                id_type_in_filename = id
                check_active_interval = 5
                peer_data_wait = 10
                """.formatted(address, TRACKER_PORT, TRACKER_HTTP_PORT, base, storageIds) + extra;
    }

    /**
     * storage.conf: a few data directories (not 256x256) so that a member starts in seconds. {@code id} null:
     * no server_id (IP mode); C's fdfs_storaged takes the same file (it passes over the keys it lacks).
     */
    public static String storageConf(String group, String address, String id, Path base, Path store,
                                     List<String> trackers, String extra) {
        StringBuilder s = new StringBuilder(id == null ? "" : "server_id = " + id + "\n").append("""
                group_name = %s
                bind_addr = %s
                port = %d
                http_port = %d
                base_path = %s
                store_path_count = 1
                store_path0 = %s
                subdir_count_per_path = 4
                connect_timeout = 2
                network_timeout = 10
                heart_beat_interval = 1
                stat_report_interval = 1
                """.formatted(group, address, STORAGE_PORT, STORAGE_HTTP_PORT, base, store));
        for (String t : trackers) {
            s.append("tracker_server = ").append(t).append('\n');
        }
        return s.append(extra).toString();
    }

    private String plan() {
        StringBuilder s = new StringBuilder("kfdfs local cluster in " + dir + "\n");
        for (Node t : trackers) {
            s.append(String.format("%-9s %-14s binary %d  http %d  base %s%n", t.name(), t.address(), t.port(),
                    t.httpPort(), t.base()));
        }
        for (List<Node> g : groups) {
            for (Node m : g) {
                s.append(String.format("%-9s %-14s binary %d  http %d  %s id %s  store %s%s%n", m.name(),
                        m.address(), m.port(), m.httpPort(), m.group(), m.id(), m.store(),
                        m.member() > startedMembers ? "  (spare: started by the test)" : ""));
            }
        }
        return s.toString();
    }

    /** {@code 127.B.0.0/16}: a B whose first tracker address is free (nothing listens on it). */
    public static int freeBlock() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int b = ThreadLocalRandom.current().nextInt(16, 240);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127." + b + ".0.1"), TRACKER_PORT));
                return b;
            } catch (IOException taken) {
                // another cluster has this block
            }
        }
        throw new IOException("no free 127.B.0.0/16 block found in 50 tries");
    }

    public String address(int group, int index) {
        return "127." + block + "." + group + "." + index;
    }

    /** An address of this cluster's block that no pod uses (for proxies): {@code 127.B.255.i}. */
    public String spareAddress(int i) {
        return address(255, i);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Starts every tracker, then every member that is not a spare, and waits until each is ready; if that
     * fails, stops what it started (a caller's try-with-resources never got the cluster to close).
     */
    public LocalCluster start() throws Exception {
        try {
            startAll();
        } catch (Exception | AssertionError e) {
            try {
                close();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
        return this;
    }

    private void startAll() throws Exception {
        for (Node t : trackers) {
            start(t, false);
        }
        for (Node t : trackers) {
            t.process.awaitReady(READY);
        }
        List<Node> members = groups.stream().flatMap(g -> g.stream().limit(startedMembers)).toList();
        for (Node m : members) {
            start(m, false);
        }
        for (Node m : members) {
            m.process.awaitReady(READY);
        }
        awaitActiveEverywhere(members);
    }

    /**
     * Until every tracker lists every one of {@code members} ACTIVE. A member's /readyz says ACTIVE on one
     * tracker; another may still hold an older state, and the member then rejoins it (OFFLINE there for a
     * moment), so a load started before this meets a cluster still settling.
     */
    public void awaitActiveEverywhere(List<Node> members) throws Exception {
        try (FdfsClient c = client()) {
            eventually(() -> notActive(c, members), List::isEmpty, READY, "every member ACTIVE on every tracker");
        }
    }

    /** {@code member on tracker} for each of {@code members} that a tracker does not list ACTIVE now. */
    private List<String> notActive(FdfsClient c, List<Node> members) {
        List<String> missing = new ArrayList<>();
        for (Node t : trackers) {
            for (Node m : members) {
                if (!activeOn(c, t, m)) {
                    missing.add(m.name() + " on " + t.name());
                }
            }
        }
        return missing;
    }

    /** Whether {@code tracker} lists {@code member} ACTIVE now (false when it does not answer). */
    public static boolean activeOn(FdfsClient c, Node tracker, Node member) {
        try {
            List<StorageStat> s = c.tracker().only(tracker.hostPort()).listStorages(member.group(), member.id());
            return !s.isEmpty() && s.get(0).status() == StorageStatus.ACTIVE;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** Starts (or starts again, on the same data) one pod; with {@code await}, until its /readyz says 200. */
    public void start(Node node, boolean await) throws Exception {
        node.meantToRun = true;
        node.process.start();
        if (await) {
            node.process.awaitReady(READY);
        }
    }

    public void kill(Node node) throws InterruptedException {
        node.meantToRun = false;
        node.process.kill();
    }

    public void stop(Node node) throws Exception {
        node.meantToRun = false;
        node.process.stop(Duration.ofSeconds(30));
    }

    public List<Node> trackers() {
        return trackers;
    }

    /** The members of group {@code g} (1-based), spares included. */
    public List<Node> group(int g) {
        return groups.get(g - 1);
    }

    public int groupCount() {
        return groups.size();
    }

    public String groupName(int g) {
        return "group" + g;
    }

    /** Every member of every group, spares included. */
    public List<Node> storages() {
        return groups.stream().flatMap(List::stream).toList();
    }

    public List<Node> nodes() {
        return Stream.concat(trackers.stream(), storages().stream()).toList();
    }

    public StorageIds storageIds() {
        return storageIds;
    }

    /** A client of every tracker, with short timeouts so that failover shows within a test. */
    public ClientSettings clientSettings() {
        ClientSettings.Builder b = ClientSettings.builder().connectTimeout(Duration.ofSeconds(2))
                .networkTimeout(Duration.ofSeconds(15)).trackerBackoff(Duration.ofSeconds(2)).storageIds(storageIds);
        for (Node t : trackers) {
            b.tracker(t.address() + ":" + t.port());
        }
        return b.build();
    }

    public FdfsClient client() {
        return FdfsClient.create(clientSettings());
    }

    /**
     * The leader a tracker names on its {@code /api/cluster} ({@code ip:port}), "" when it knows none, null
     * when it does not answer.
     */
    public String leaderSeenBy(Node tracker) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + tracker.address() + ":"
                    + tracker.httpPort() + "/api/cluster")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode leader = JSON.readTree(r.body()).get("leader");
            return leader == null || leader.isNull() ? "" : leader.asText();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The tracker at {@code ip:port}. */
    public Node tracker(String address) {
        return trackers.stream().filter(t -> (t.address() + ":" + t.port()).equals(address)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tracker " + address));
    }

    /** Pods that should run and do not (a crash): "name (exit status n)", none when all is well. */
    public List<String> crashed() {
        List<String> dead = new ArrayList<>();
        for (Node n : nodes()) {
            if (n.meantToRun && !n.process.isAlive()) {
                dead.add(n.name() + " (exit status " + n.process.exitStatus() + ")");
            }
        }
        return dead;
    }

    /** The highest VmHWM of any pod of {@code role} over this cluster's life, in KiB. */
    public long peakHwmKb(PodProcess.Role role) {
        return nodes().stream().filter(n -> n.role() == role).mapToLong(n -> n.process.peakHwmKb()).max().orElse(0);
    }

    /** Stops every pod that runs (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() throws Exception {
        List<Node> all = new ArrayList<>(storages());
        all.addAll(trackers);
        Exception first = null;
        for (Node n : all) {
            n.meantToRun = false;
            try {
                n.process.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** How many trackers and groups, and what to add to their configurations. */
    public static final class Builder {
        private final Path dir;
        private PodRuntime runtime = PodRuntime.ofCheckout();
        private int trackers = 2;
        private int groups = 2;
        private int members = 2;
        private int spareMembers;
        private String trackerConf = "";
        private String storageConf = "";

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder runtime(PodRuntime r) {
            runtime = r;
            return this;
        }

        public Builder trackers(int n) {
            trackers = n;
            return this;
        }

        public Builder groups(int n) {
            groups = n;
            return this;
        }

        /** Members started in every group. */
        public Builder members(int n) {
            members = n;
            return this;
        }

        /** Members planned in every group (IDs, configs, folders) but started only by the test. */
        public Builder spareMembers(int n) {
            spareMembers = n;
            return this;
        }

        /** Lines added to every tracker.conf (a later key wins). */
        public Builder trackerConf(String lines) {
            trackerConf = lines;
            return this;
        }

        /** Lines added to every storage.conf. */
        public Builder storageConf(String lines) {
            storageConf = lines;
            return this;
        }

        public LocalCluster build() throws IOException {
            return new LocalCluster(this);
        }
    }
}
