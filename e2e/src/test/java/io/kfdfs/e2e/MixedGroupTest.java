package io.kfdfs.e2e;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.NoSuchFileException;
import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.process.PodRuntime;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.tracker.StorageStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A C FastDFS 6.16.1 storage and kfdfs storages in one group under a kfdfs tracker, then the C storage
 * retired as docs/migration.md says,
 * with the real C daemon when this machine has one: {@code fdfs_storaged} on PATH, built with the
 * loopback patch of {@code ../shared/cref} (the stock daemon refuses a tracker on a loopback address).
 * Without it the test reports "not run" (skipped), never passed: CI has no C FastDFS.
 */
class MixedGroupTest {

    private static final int TRACKER_PORT = 22122;
    private static final int STORAGE_PORT = 23000;
    private static final Duration JOIN = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<PodProcess> pods = new ArrayList<>();
    private Path cConf;

    @Test
    void cAndKfdfsStoragesReplicateBothWaysAndTheCMemberRetiresWithoutAFileLost() throws Exception {
        Path storaged = cStorageDaemon();
        String block = "127." + LocalCluster.freeBlock() + ".0.";
        String tracker = block + "1";
        String c = block + "2";
        String k1 = block + "3";
        String k2 = block + "4";
        PodRuntime runtime = PodRuntime.ofCheckout();
        try {
            start(runtime, PodProcess.Role.TRACKER, "tracker", tracker, 8080, """
                    bind_addr = %s
                    port = %d
                    http_port = 8080
                    base_path = %s
                    store_lookup = 0
                    reserved_storage_space = 1%%
                    check_active_interval = 10
                    """.formatted(tracker, TRACKER_PORT, Files.createDirectories(dir.resolve("tracker"))));
            startC(storaged, c, tracker);
            start(runtime, PodProcess.Role.STORAGE, "k1", k1, 8888, kfdfsConf(k1, 8888, tracker));
            try (FdfsClient client = FdfsClient.create(ClientSettings.builder().tracker(tracker + ":" + TRACKER_PORT)
                    .connectTimeout(Duration.ofSeconds(2)).networkTimeout(Duration.ofSeconds(15)).build())) {
                awaitActive(client, List.of(c, k1));
                Map<String, String> versions = new LinkedHashMap<>();
                client.listStorages("group1").forEach(s -> versions.put(s.ip(), s.version()));
                assertEquals(Map.of(c, Version.FASTDFS, k1, Version.KFDFS), versions, "each side's version");

                Map<String, byte[]> files = new LinkedHashMap<>();
                Random random = new Random(21);
                for (int i = 0; i < 30; i++) {
                    for (String member : List.of(c, k1)) {
                        byte[] content = new byte[1 + random.nextInt(200_000)];
                        random.nextBytes(content);
                        files.put(client.storage().upload(new HostPort(member, STORAGE_PORT), 0, "bin",
                                Content.of(content)), content);
                    }
                }
                awaitAll(client, files, List.of(c, k1), "uploads to either side on both");

                start(runtime, PodProcess.Role.STORAGE, "k2", k2, 8889, kfdfsConf(k2, 8889, tracker));
                awaitActive(client, List.of(c, k1, k2));
                awaitAll(client, files, List.of(k2), "the new member's full sync");

                // docs/migration.md, step 6: the C member stops and is deleted; its files stay readable by
                // their original IDs (half of them name it as their source), through the tracker
                c(storaged, "stop");
                eventually(() -> client.listStorages("group1").stream().filter(s -> s.ip().equals(c))
                        .map(StorageStat::status).findFirst().orElse(-1), status -> status == StorageStatus.OFFLINE,
                        JOIN, "the stopped C member OFFLINE");
                client.tracker().deleteStorage("group1", c);
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    client.download(f.getKey(), out);
                    assertArrayEquals(f.getValue(), out.toByteArray(), f.getKey() + " after the C member left");
                }
            }
        } finally {
            stopAll(storaged);
        }
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

    /** A C storage as docs/migration.md asks: its binlog written out every second. */
    private void startC(Path storaged, String address, String tracker) throws Exception {
        Path base = Files.createDirectories(dir.resolve("c"));
        cConf = dir.resolve("c.conf");
        Files.writeString(cConf, """
                group_name = group1
                bind_addr = %s
                client_bind = true
                port = %d
                base_path = %s
                store_path_count = 1
                store_path0 = %s
                subdir_count_per_path = 4
                tracker_server = %s:%d
                heart_beat_interval = 1
                stat_report_interval = 1
                sync_binlog_buff_interval = 1
                thread_stack_size = 512KB
                log_level = info
                """.formatted(address, STORAGE_PORT, base, base, tracker, TRACKER_PORT));
        c(storaged, "start");
    }

    /** fdfs_storaged runs itself in the background; "stop" ends the one its pid file names, started here. */
    private void c(Path storaged, String action) throws Exception {
        ProcessBuilder b = new ProcessBuilder(storaged.toString(), cConf.toString(), action)
                .redirectErrorStream(true).redirectOutput(dir.resolve("c-" + action + ".out").toFile());
        b.environment().put("FDFS_ALLOW_LOOPBACK_TRACKER", "1");
        Process p = b.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("fdfs_storaged " + action + " did not return within 60 s");
        }
    }

    private String kfdfsConf(String address, int httpPort, String tracker) throws IOException {
        Path base = Files.createDirectories(dir.resolve(address));
        return """
                group_name = group1
                bind_addr = %s
                port = %d
                http_port = %d
                base_path = %s
                store_path_count = 1
                store_path0 = %s
                subdir_count_per_path = 4
                tracker_server = %s:%d
                heart_beat_interval = 1
                stat_report_interval = 1
                """.formatted(address, STORAGE_PORT, httpPort, base, base, tracker, TRACKER_PORT);
    }

    private void start(PodRuntime runtime, PodProcess.Role role, String name, String address, int httpPort,
                       String conf) throws Exception {
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

    private static void awaitActive(FdfsClient client, List<String> members) throws Exception {
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
        }, List::isEmpty, JOIN, "members ACTIVE on the tracker");
    }

    /** Until every member holds every file byte for byte; the failure names what is missing where. */
    private static void awaitAll(FdfsClient client, Map<String, byte[]> files, List<String> members, String what)
            throws Exception {
        eventually(() -> {
            List<String> missing = new ArrayList<>();
            for (String member : members) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    if (!holds(client, member, f.getKey(), f.getValue())) {
                        missing.add(f.getKey() + " on " + member);
                    }
                }
            }
            return missing;
        }, List::isEmpty, Duration.ofSeconds(60), what);
    }

    private static boolean holds(FdfsClient client, String member, String fileId, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            client.storage().download(new HostPort(member, STORAGE_PORT), FileId.parse(fileId), 0, 0, out::write);
        } catch (Exception e) {
            return false;
        }
        assertArrayEquals(content, out.toByteArray(), fileId + " on " + member);
        return true;
    }

    private void stopAll(Path storaged) throws Exception {
        Exception first = null;
        for (PodProcess p : pods) {
            try {
                p.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (cConf != null && Files.exists(dir.resolve("c/data/fdfs_storaged.pid"))) {
            c(storaged, "stop");
        }
        if (first != null) {
            throw first;
        }
    }
}
