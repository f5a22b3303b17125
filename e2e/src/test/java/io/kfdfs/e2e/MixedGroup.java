package io.kfdfs.e2e;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.NoSuchFileException;
import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.process.PodRuntime;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StorageStat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A tracker (a kfdfs child JVM, or the C fdfs_trackerd) with C FastDFS 6.16.1 storages and kfdfs storages in
 * group1, IP mode, each storage on a loopback address of one free block {@code 127.B.0.n}, for the tests of
 * mixed groups and of the move from C to kfdfs (docs/migration.md), and for a C cluster the operator takes
 * over. Needs the real C daemons: {@code fdfs_storaged} (and {@code fdfs_trackerd} for a C tracker) on PATH,
 * built with the loopback patch of {@code ../shared/cref} (the stock daemons refuse a tracker on a loopback
 * address); without them the test reports "not run" (skipped), never passed: CI has no C FastDFS. Closing
 * stops everything it started (by pid, or the C daemons' own "stop" on their pid files, the last started
 * first) and leaves the logs in {@code <e2e.dir>/runs/<scenario>}; the data stay in the test's folder.
 */
public final class MixedGroup implements AutoCloseable {

    public static final Duration JOIN = Duration.ofSeconds(90);

    private final Path dir;
    private final String scenario;
    private final Path storaged;
    private final String block;
    private final PodRuntime runtime = PodRuntime.ofCheckout();
    private final List<PodProcess> pods = new ArrayList<>();
    /** The C daemons started here, in the order they started, by address (a C tracker's with its port). */
    private final Map<String, CDaemon> cDaemons = new LinkedHashMap<>();
    /** host:port of the group's tracker: the kfdfs one at {@code 127.B.0.1}, or the C one. */
    private String tracker;

    /** A C daemon: its binary, its config, and the pid file its "start" writes (there while it runs). */
    private record CDaemon(Path binary, Path conf, Path pidFile) {
    }

    /** Finds the C daemon (else the test is not run) and a free block of addresses; starts nothing. */
    public MixedGroup(Path dir, String scenario) throws IOException {
        this.dir = dir;
        this.scenario = scenario;
        this.storaged = cDaemon("fdfs_storaged");
        this.block = "127." + LocalCluster.freeBlock() + ".0.";
        this.tracker = address(1) + ":" + LocalCluster.TRACKER_PORT;
    }

    /** {@code 127.B.0.n}: 1 is the kfdfs tracker's. */
    public String address(int n) {
        return block + n;
    }

    /** host:port of the group's tracker, as its storages' tracker_server names it. */
    public String tracker() {
        return tracker;
    }

    PodRuntime runtime() {
        return runtime;
    }

    /** The kfdfs tracker, with {@code extraConf} lines after the common ones; returns once it is ready. */
    void startTracker(String extraConf) throws Exception {
        String address = address(1);
        start(PodProcess.Role.TRACKER, "tracker", address, 8080, """
                bind_addr = %s
                port = %d
                http_port = 8080
                base_path = %s
                store_lookup = 0
                reserved_storage_space = 1%%
                check_active_interval = 10
                """.formatted(address, LocalCluster.TRACKER_PORT, Files.createDirectories(dir.resolve("tracker")))
                + extraConf);
    }

    /**
     * The C tracker (fdfs_trackerd, IP mode) instead of the kfdfs one, with {@code extraConf} lines after the
     * common ones; returns once it listens. It is on 127.0.0.1 and a free port: a C tracker that learns of
     * other trackers (from its storages' joins) must find itself in their list, and it looks for its own
     * addresses among the host's interface addresses, where the only loopback one is 127.0.0.1 (the loopback
     * patch lets it take 127.0.0.1 for itself; any other 127.x it would take for a stranger, and refuse the
     * join).
     */
    public void startCTracker(String extraConf) throws Exception {
        Path trackerd = cDaemon("fdfs_trackerd");
        int port = freePort("127.0.0.1");
        tracker = "127.0.0.1:" + port;
        Path base = Files.createDirectories(dir.resolve("c-tracker"));
        Path conf = dir.resolve("c-tracker.conf");
        Files.writeString(conf, """
                bind_addr = 127.0.0.1
                port = %d
                base_path = %s
                store_lookup = 0
                reserved_storage_space = 1%%
                use_storage_id = false
                check_active_interval = 10
                log_level = info
                """.formatted(port, base) + extraConf);
        cDaemons.put(tracker, new CDaemon(trackerd, conf, base.resolve("data/fdfs_trackerd.pid")));
        c(tracker, "start");
        eventually(() -> listens("127.0.0.1", port), Boolean::booleanValue, Duration.ofSeconds(30),
                "the C tracker listening on " + tracker);
    }

    /** A C storage as docs/migration.md asks: its binlog written out every second. */
    public void startC(String address, String extraConf) throws Exception {
        Path conf = dir.resolve("c-" + address + ".conf");
        Files.writeString(conf, storageConf("c-" + address, address, """
                client_bind = true
                sync_binlog_buff_interval = 1
                thread_stack_size = 512KB
                log_level = info
                """ + extraConf));
        cDaemons.put(address, new CDaemon(storaged, conf, dir.resolve("c-" + address).resolve("data/fdfs_storaged.pid")));
        c(address, "start");
    }

    /** Stops the C daemon started at {@code address} (a C tracker's: {@link #tracker()}) with its own "stop". */
    public void stopC(String address) throws Exception {
        c(address, "stop");
    }

    /** The C daemons run themselves in the background; "stop" ends the one its pid file names, started here. */
    private void c(String address, String action) throws Exception {
        CDaemon d = cDaemons.get(address);
        ProcessBuilder b = new ProcessBuilder(d.binary().toString(), d.conf().toString(), action)
                .redirectErrorStream(true).redirectOutput(dir.resolve("c-" + address + "-" + action + ".out").toFile());
        b.environment().put("FDFS_ALLOW_LOOPBACK_TRACKER", "1");
        Process p = b.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(d.binary().getFileName() + " " + action + " did not return within 60 s");
        }
    }

    /** A kfdfs storage, with {@code extraConf} lines after the common ones (a later key wins). */
    public void startKfdfs(String name, String address, String extraConf) throws Exception {
        // as docs/migration.md asks of every member: a kfdfs storage takes it as how long its C peers may hold
        // a record before their binlog file has it
        start(PodProcess.Role.STORAGE, name, address, LocalCluster.STORAGE_HTTP_PORT,
                storageConf(address, address, "sync_binlog_buff_interval = 1\n" + extraConf));
    }

    /** group1's storage.conf, IP mode, its data in {@code folder}. */
    private String storageConf(String folder, String address, String extraConf) throws IOException {
        Path base = Files.createDirectories(dir.resolve(folder));
        return LocalCluster.storageConf("group1", address, null, base, base, List.of(tracker()), extraConf);
    }

    private void start(PodProcess.Role role, String name, String address, int httpPort, String conf)
            throws Exception {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, conf);
        PodProcess p = new PodProcess(new PodProcess.Spec(role, name, file,
                URI.create("http://" + address + ":" + httpPort + "/readyz"), dir.resolve(name + ".log"), Map.of(),
                List.of()), runtime);
        pods.add(p);
        p.start();
        if (role == PodProcess.Role.TRACKER) {
            p.awaitReady(JOIN);
        }
    }

    /** A client of the group's tracker. */
    public FdfsClient client() {
        return FdfsClient.create(ClientSettings.builder().tracker(tracker()).connectTimeout(Duration.ofSeconds(2))
                .networkTimeout(Duration.ofSeconds(15)).build());
    }

    /**
     * docs/migration.md, step 6: the C member at {@code address} stops ({@code fdfs_storaged storage.conf
     * stop}) and, once the tracker has it OFFLINE, is deleted there.
     */
    public void retireC(FdfsClient client, String address) throws Exception {
        retireC(address, List.of(client.tracker()));
    }

    /** As {@link #retireC(FdfsClient, String)}, on each of {@code trackers} in turn (each asked alone). */
    public void retireC(String address, List<TrackerClient> trackers) throws Exception {
        c(address, "stop");
        for (TrackerClient t : trackers) {
            eventually(() -> t.listStorages("group1", null).stream().filter(s -> s.ip().equals(address))
                    .map(StorageStat::status).findFirst().orElse(-1), status -> status == StorageStatus.OFFLINE,
                    JOIN, "the stopped C member " + address + " OFFLINE on " + t.trackers());
            t.deleteStorage("group1", address);
        }
    }

    public static void awaitActive(FdfsClient client, List<String> members) throws Exception {
        awaitActive(client, members, JOIN);
    }

    public static void awaitActive(FdfsClient client, List<String> members, Duration within) throws Exception {
        eventually(() -> {
            List<String> notActive = new ArrayList<>(members);
            List<StorageStat> listed;
            try {
                listed = client.listStorages("group1");
            } catch (NoSuchFileException noGroupYet) {
                return notActive;
            }
            for (StorageStat s : listed) {
                if (s.status() == StorageStatus.ACTIVE) {
                    notActive.remove(s.ip());
                }
            }
            return notActive;
        }, List::isEmpty, within, "members ACTIVE on the tracker");
    }

    /** Until every member holds every file byte for byte; the failure names what is missing where. */
    public static void awaitAll(FdfsClient client, Map<String, byte[]> files, List<String> members, String what)
            throws Exception {
        eventually(() -> missing(client, files, members), List::isEmpty, Duration.ofSeconds(60), what);
    }

    /** "file on member" for each of {@code files} a member lacks; fails on one it holds with other bytes. */
    public static List<String> missing(FdfsClient client, Map<String, byte[]> files, List<String> members) {
        List<String> missing = new ArrayList<>();
        for (String member : members) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                if (!holds(client, member, f.getKey(), f.getValue())) {
                    missing.add(f.getKey() + " on " + member);
                }
            }
        }
        return missing;
    }

    private static boolean holds(FdfsClient client, String member, String fileId, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            client.storage().download(new HostPort(member, LocalCluster.STORAGE_PORT), FileId.parse(fileId), 0, 0,
                    out::write);
        } catch (Exception e) {
            return false;
        }
        assertArrayEquals(content, out.toByteArray(), fileId + " on " + member);
        return true;
    }

    /**
     * {@code count} files straight to {@code members} in turn, in parallel: sizes from 16 B to 64 KiB (half
     * of them under 2 KiB), each named in its bytes; a third without an extension.
     */
    public static void seed(FdfsClient client, Map<String, byte[]> files, List<String> members, int count) {
        IntStream.range(0, count).parallel().forEach(i -> {
            byte[] content = content(new Random(i), "seed " + i);
            try {
                files.put(client.storage().upload(new HostPort(members.get(i % members.size()),
                        LocalCluster.STORAGE_PORT), 0, i % 3 == 0 ? "" : "bin", Content.of(content)), content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Random bytes after a header of {@code name}; half of them under 2 KiB, the others up to 64 KiB. */
    public static byte[] content(Random random, String name) {
        byte[] header = (name + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[header.length + 16 + random.nextInt(random.nextBoolean() ? 2_048 : 65_536)];
        random.nextBytes(b);
        System.arraycopy(header, 0, b, 0, header.length);
        return b;
    }

    /** Null if the file reads back through the client's trackers as {@code content}, else what happened. */
    public static String read(FdfsClient client, String fileId, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            client.download(fileId, out);
        } catch (Exception e) {
            return fileId + ": " + e;
        }
        return Arrays.equals(content, out.toByteArray()) ? null
                : fileId + ": " + out.size() + " bytes, not the " + content.length + " uploaded";
    }

    /** What {@link #read} says of each file that does not read back as it was uploaded. */
    public static List<String> unreadable(FdfsClient client, Map<String, byte[]> files) {
        List<String> problems = new ArrayList<>();
        files.forEach((id, content) -> {
            String problem = read(client, id, content);
            if (problem != null) {
                problems.add(problem);
            }
        });
        return problems;
    }

    /** A C daemon with the loopback patch, or the test is not run. */
    private static Path cDaemon(String name) throws IOException {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(p -> Path.of(p, name)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            abort("not run: no C FastDFS here (" + name + " not on PATH; ../shared/cref builds one)");
        }
        byte[] binary = Files.readAllBytes(found.get());
        if (!new String(binary, StandardCharsets.ISO_8859_1).contains("FDFS_ALLOW_LOOPBACK_TRACKER")) {
            abort("not run: " + found.get() + " lacks the loopback patch of ../shared/cref (the stock daemon"
                    + " refuses a tracker on a loopback address)");
        }
        return found.get();
    }

    /** A port nothing listens on at {@code host}, from 22200-22999. */
    private static int freePort(String host) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(22_200, 23_000);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                return port;
            } catch (IOException taken) {
                // in use
            }
        }
        throw new IOException("no free port on " + host + " in 50 tries");
    }

    private static boolean listens(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the pods and every C daemon still running (the last started first), then keeps the logs. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (PodProcess p : pods) {
            try {
                p.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        List<String> started = new ArrayList<>(cDaemons.keySet());
        Collections.reverse(started);
        for (String address : started) {
            if (Files.exists(cDaemons.get(address).pidFile())) {
                try {
                    c(address, "stop");
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
        }
        keepLogs();
        if (first != null) {
            throw first;
        }
    }

    /** The pods' logs, the C daemons' logs and the output of their start and stop, without the data. */
    private void keepLogs() throws IOException {
        Path logs = Scenario.dir(scenario);
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().matches(
                    ".*\\.(log|out|conf|mark)")).toList()) {
                Path parent = dir.relativize(p).getParent();
                String name = parent == null ? p.getFileName().toString()
                        : parent.getName(0) + "-" + p.getFileName();
                Files.copy(p, logs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
