package io.kfdfs.e2e;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.NoSuchFileException;
import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.process.PodRuntime;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StorageStat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A kfdfs tracker (a child JVM) with C FastDFS 6.16.1 storages and kfdfs storages in group1, IP mode, each
 * on a loopback address of one free block {@code 127.B.0.n}, for the tests of mixed groups and of the
 * move from C to kfdfs (docs/migration.md). Needs the real C daemon: {@code fdfs_storaged} on PATH, built
 * with the loopback patch of {@code ../shared/cref} (the stock daemon refuses a tracker on a loopback
 * address); without it the test reports "not run" (skipped), never passed: CI has no C FastDFS. Closing
 * stops everything it started (by pid, or the C daemon's own "stop" on its pid file) and leaves the logs
 * in {@code <e2e.dir>/runs/<scenario>}; the data stay in the test's folder.
 */
final class MixedGroup implements AutoCloseable {

    static final Duration JOIN = Duration.ofSeconds(90);

    private final Path dir;
    private final String scenario;
    private final Path storaged;
    private final String block;
    private final PodRuntime runtime = PodRuntime.ofCheckout();
    private final List<PodProcess> pods = new ArrayList<>();
    /** Each C storage's storage.conf, by its address. */
    private final Map<String, Path> cConfs = new LinkedHashMap<>();

    /** Finds the C daemon (else the test is not run) and a free block of addresses; starts nothing. */
    MixedGroup(Path dir, String scenario) throws IOException {
        this.dir = dir;
        this.scenario = scenario;
        this.storaged = cStorageDaemon();
        this.block = "127." + LocalCluster.freeBlock() + ".0.";
    }

    /** {@code 127.B.0.n}: 1 is the tracker's. */
    String address(int n) {
        return block + n;
    }

    String tracker() {
        return address(1) + ":" + LocalCluster.TRACKER_PORT;
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

    /** A C storage as docs/migration.md asks: its binlog written out every second. */
    void startC(String address, String extraConf) throws Exception {
        Path conf = dir.resolve("c-" + address + ".conf");
        Files.writeString(conf, storageConf("c-" + address, address, """
                client_bind = true
                sync_binlog_buff_interval = 1
                thread_stack_size = 512KB
                log_level = info
                """ + extraConf));
        cConfs.put(address, conf);
        c(address, "start");
    }

    /** fdfs_storaged runs itself in the background; "stop" ends the one its pid file names, started here. */
    private void c(String address, String action) throws Exception {
        ProcessBuilder b = new ProcessBuilder(storaged.toString(), cConfs.get(address).toString(), action)
                .redirectErrorStream(true).redirectOutput(dir.resolve("c-" + address + "-" + action + ".out").toFile());
        b.environment().put("FDFS_ALLOW_LOOPBACK_TRACKER", "1");
        Process p = b.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("fdfs_storaged " + action + " did not return within 60 s");
        }
    }

    /** A kfdfs storage, with {@code extraConf} lines after the common ones (a later key wins). */
    void startKfdfs(String name, String address, String extraConf) throws Exception {
        start(PodProcess.Role.STORAGE, name, address, LocalCluster.STORAGE_HTTP_PORT,
                storageConf(address, address, extraConf));
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

    FdfsClient client() {
        return FdfsClient.create(ClientSettings.builder().tracker(tracker()).connectTimeout(Duration.ofSeconds(2))
                .networkTimeout(Duration.ofSeconds(15)).build());
    }

    /**
     * docs/migration.md, step 6: the C member at {@code address} stops ({@code fdfs_storaged storage.conf
     * stop}) and, once the tracker has it OFFLINE, is deleted there.
     */
    void retireC(FdfsClient client, String address) throws Exception {
        c(address, "stop");
        eventually(() -> client.listStorages("group1").stream().filter(s -> s.ip().equals(address))
                .map(StorageStat::status).findFirst().orElse(-1), status -> status == StorageStatus.OFFLINE,
                JOIN, "the stopped C member " + address + " OFFLINE");
        client.tracker().deleteStorage("group1", address);
    }

    static void awaitActive(FdfsClient client, List<String> members) throws Exception {
        awaitActive(client, members, JOIN);
    }

    static void awaitActive(FdfsClient client, List<String> members, Duration within) throws Exception {
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
    static void awaitAll(FdfsClient client, Map<String, byte[]> files, List<String> members, String what)
            throws Exception {
        eventually(() -> missing(client, files, members), List::isEmpty, Duration.ofSeconds(60), what);
    }

    /** "file on member" for each of {@code files} a member lacks; fails on one it holds with other bytes. */
    static List<String> missing(FdfsClient client, Map<String, byte[]> files, List<String> members) {
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

    /** The C storage daemon, or the test is not run. */
    private static Path cStorageDaemon() throws IOException {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(p -> Path.of(p, "fdfs_storaged")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            abort("not run: no C FastDFS here (fdfs_storaged not on PATH; ../shared/cref builds one)");
        }
        byte[] binary = Files.readAllBytes(found.get());
        if (!new String(binary, StandardCharsets.ISO_8859_1).contains("FDFS_ALLOW_LOOPBACK_TRACKER")) {
            abort("not run: " + found.get() + " lacks the loopback patch of ../shared/cref (the stock daemon"
                    + " refuses a tracker on a loopback address)");
        }
        return found.get();
    }

    /** Stops the pods and every C storage still running, then keeps the logs. */
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
        for (String address : cConfs.keySet()) {
            if (Files.exists(dir.resolve("c-" + address).resolve("data/fdfs_storaged.pid"))) {
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

    /** The pods' logs, the C storages' logs and the output of their start and stop, without the data. */
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
