package io.kfdfs.e2e;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.tracker.StorageStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.kfdfs.e2e.MixedGroup.awaitActive;
import static io.kfdfs.e2e.MixedGroup.awaitAll;
import static io.kfdfs.e2e.MixedGroup.content;
import static io.kfdfs.e2e.MixedGroup.missing;
import static io.kfdfs.e2e.MixedGroup.read;
import static io.kfdfs.e2e.local.LocalCluster.STORAGE_PORT;
import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21, docs/migration.md's procedure end to end with the real C daemon: a C group of two storages
 * (C FastDFS 6.16.1, IP mode) under a kfdfs tracker holds {@link #SEEDS} files; a client load (uploads and
 * downloads through the tracker, a few a second) runs from before the move to after it; two kfdfs storages
 * join; as soon as {@code fdfs migrate status} says {@code retire: yes} for a C member it is stopped and
 * deleted on the tracker, then the other. Every file, seeded or uploaded under the load, is then read through
 * the tracker by its original file ID, byte for byte, and is on both kfdfs members; no client operation may
 * have failed. When {@code migrate status} says yes for a C member, both kfdfs members must already hold
 * every file that names it as its source: that is what the answer promises.
 *
 * <p>Uploads go round robin over every member ({@code store_server = 0}, FastDFS's default) until the kfdfs
 * members are ACTIVE; then both C members are drained ({@code fdfs migrate drain}, step 3), so they turn
 * quiet while {@code migrate status} still checks that the kfdfs members received all they wrote.
 *
 * <p>Not run (skipped) without {@code fdfs_storaged} (see {@link MixedGroup}); CI has no C FastDFS.
 */
class MigrationScenarioTest {

    private static final int SEEDS = 2_000;

    @TempDir
    Path dir;

    private final Timeline timeline = new Timeline("MigrationScenarioTest");

    @Test
    void aCGroupOfTwoMovesToKfdfsUnderLoadWithEveryFileReadableByItsOriginalId() throws Exception {
        try (MixedGroup mixed = new MixedGroup(dir, "migration-scenario")) {
            String c1 = mixed.address(2);
            String c2 = mixed.address(3);
            String k1 = mixed.address(4);
            String k2 = mixed.address(5);
            List<String> kfdfs = List.of(k1, k2);
            mixed.startTracker("");
            mixed.startC(c1, "");
            mixed.startC(c2, "");
            Map<String, byte[]> files = new ConcurrentHashMap<>();
            try (FdfsClient client = mixed.client(); FdfsClient loadClient = mixed.client()) {
                awaitActive(client, List.of(c1, c2));
                step("C group of two ACTIVE");
                MixedGroup.seed(client, files, List.of(c1, c2), SEEDS);
                awaitAll(client, files, List.of(c1, c2), "the seeds on both C members");
                step(SEEDS + " files seeded, on both C members");

                Load load = new Load(loadClient, files);
                Thread loader = new Thread(load, "migration-load");
                loader.start();
                try {
                    Thread.sleep(5_000);
                    load.phase = "kfdfs members join";
                    mixed.startKfdfs("k1", k1, "");
                    mixed.startKfdfs("k2", k2, "");
                    awaitActive(client, List.of(c1, c2, k1, k2), Duration.ofMinutes(4));
                    step("k1, k2 ACTIVE");
                    for (String c : List.of(c1, c2)) {
                        String out = fdfs(mixed, "migrate", "drain", "group1", c);
                        assertTrue(out.contains("group1/" + c + " drained"), out);
                    }
                    step("C members drained");
                    for (String c : List.of(c1, c2)) {
                        load.phase = "waiting for retire: yes for " + c;
                        eventually(() -> retireAnswer(mixed, c), "yes"::equals, MixedGroup.JOIN,
                                "fdfs migrate status: retire: yes for " + c);
                        step("migrate status: retire: yes for " + c);
                        Map<String, byte[]> itsOwn = sourcedAt(files, c);
                        List<String> lacking = missing(client, itsOwn, kfdfs);
                        assertEquals(List.of(), lacking, "retire: yes for " + c + ", but the kfdfs members lack"
                                + " some of its " + itsOwn.size() + " files");
                        step("its " + itsOwn.size() + " files on k1 and k2");
                        load.phase = "retiring " + c;
                        mixed.retireC(client, c);
                        load.phase = c + " retired";
                        step(c + " stopped and deleted on the tracker");
                    }
                    Thread.sleep(5_000);
                } finally {
                    load.running = false;
                    loader.join(TimeUnit.MINUTES.toMillis(1));
                }
                step("load stopped: " + load.summary());
                assertEquals(kfdfs, client.listStorages("group1").stream().map(StorageStat::ip).sorted().toList(),
                        "group1 after the move");

                List<String> unreadable = MixedGroup.unreadable(client, files);
                step("read " + files.size() + " files through the tracker by their original IDs, "
                        + unreadable.size() + " failed");
                awaitAll(client, files, kfdfs, "every file on both kfdfs members");
                step("every file on k1 and k2; by source: " + new TreeMap<>(files.keySet().stream()
                        .collect(Collectors.groupingBy(MigrationScenarioTest::source, Collectors.counting()))));
                assertEquals(List.of(), unreadable.stream().limit(20).toList(), unreadable.size()
                        + " files not read back by their original IDs");
                assertEquals(List.of(), load.failures, "failed client operations during the move ("
                        + load.summary() + ")");
                assertTrue(load.uploads.get() > 0 && load.downloads.get() > 0, "a load ran: " + load.summary());
            } finally {
                timeline.print();
            }
        }
    }

    private static String source(String fileId) {
        try {
            return FileInfo.decode(FileId.parse(fileId)).sourceIp();
        } catch (Exception e) {
            throw new IllegalArgumentException(fileId, e);
        }
    }

    private static Map<String, byte[]> sourcedAt(Map<String, byte[]> files, String member) {
        Map<String, byte[]> out = new TreeMap<>();
        files.forEach((id, content) -> {
            if (source(id).equals(member)) {
                out.put(id, content);
            }
        });
        return out;
    }

    /**
     * What {@code fdfs migrate status} (client/cli, docs/migration.md step 4) says of the C member, run as an
     * operator runs it ({@code bin/fdfs}): "yes", or why not.
     */
    private String retireAnswer(MixedGroup mixed, String member) throws Exception {
        Thread.sleep(2_000); // a JVM a call: one every few seconds at most, on 2 cores
        String out;
        try {
            out = fdfs(mixed, "migrate", "status", "group1");
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        String line = out.lines().filter(l -> l.contains(" " + member + ":" + STORAGE_PORT + " ")).findFirst()
                .orElse("");
        int at = line.indexOf("retire: ");
        String answer = at < 0 ? "not listed as a C member: " + out : line.substring(at + "retire: ".length());
        if (!timeline.lastEndsWith(answer)) {
            step("migrate status, " + member + ": " + answer);
        }
        return answer;
    }

    /** {@code bin/fdfs} against the tracker, as an operator runs it: its output, or fails with it. */
    private static String fdfs(MixedGroup mixed, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(mixed.runtime().root().resolve("bin/fdfs").toString(), "-q",
                "--tracker", mixed.tracker()));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("fdfs " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private void step(String what) {
        timeline.step(what);
    }

    /**
     * The clients' load: one upload through the tracker and two downloads of random files (seeded or
     * uploaded here) every half second, each download checked byte for byte. Every operation is counted and
     * every failure kept, with its time and the step of the move it fell in.
     */
    private final class Load implements Runnable {
        private final FdfsClient client;
        private final Map<String, byte[]> files;
        private final List<String> ids;
        final AtomicInteger uploads = new AtomicInteger();
        final AtomicInteger downloads = new AtomicInteger();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        volatile boolean running = true;
        volatile String phase = "C group only";

        Load(FdfsClient client, Map<String, byte[]> files) {
            this.client = client;
            this.files = files;
            this.ids = Collections.synchronizedList(new ArrayList<>(files.keySet()));
        }

        @Override
        public void run() {
            Random random = new Random(21);
            for (int n = 0; running; n++) {
                byte[] content = content(random, "load " + n);
                uploads.incrementAndGet();
                try {
                    String id = client.upload(null, Content.of(content), "bin", Map.of());
                    files.put(id, content);
                    ids.add(id);
                } catch (Exception e) {
                    failed("upload", e.toString());
                }
                for (int d = 0; d < 2; d++) {
                    String id = ids.get(random.nextInt(ids.size()));
                    downloads.incrementAndGet();
                    String problem = read(client, id, files.get(id));
                    if (problem != null) {
                        failed("download", problem);
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void failed(String op, String what) {
            String failure = "(" + phase + ") " + op + " failed: " + what;
            failures.add(failure);
            step(failure);
        }

        String summary() {
            return uploads.get() + " uploads, " + downloads.get() + " downloads, " + failures.size() + " failed";
        }
    }
}
