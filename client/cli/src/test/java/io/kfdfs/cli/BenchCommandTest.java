package io.kfdfs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fdfs bench} against the real kfdfs tracker and a storage, in-process on 127.0.0.1. */
class BenchCommandTest {

    @TempDir
    static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.in(dir.resolve("cluster")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String tracker() {
        return "127.0.0.1:" + cluster.trackerPort(0);
    }

    @Test
    void everyPhaseCountsEachFileOnceAndVerifiesEveryByte() throws Exception {
        CliRun run = CliRun.run("bench", "--tracker", tracker(), "--size", "70000", "--count", "25",
                "--concurrency", "4", "--runs", "2", "--warmup", "3", "--json",
                "--cpu-of", "servers=" + ProcessHandle.current().pid());
        assertEquals(0, run.code(), run.toString());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(70000, r.get("size").asLong());
        assertEquals(4, r.get("concurrency").asInt());
        for (String phase : new String[] {"upload", "download", "delete"}) {
            JsonNode p = r.get("phases").get(phase);
            assertEquals(25, p.get("ops").asInt(), phase);
            assertEquals(0, p.get("failures").asInt(), phase);
            assertEquals(0, p.get("mismatches").asInt(), phase);
            assertEquals(2, p.get("runs_ops_per_s").size(), phase);
            assertTrue(p.get("ops_per_s").asDouble() > 0, phase);
            assertTrue(p.get("p50_ms").asDouble() <= p.get("p99_ms").asDouble(), phase);
            assertTrue(p.get("p99_ms").asDouble() <= p.get("max_ms").asDouble(), phase);
            // the servers run in this JVM: both names are this process, read at the phase's start and end
            JsonNode cpu = p.get("cpu_us_per_op");
            List<String> names = new java.util.ArrayList<>();
            cpu.fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("client", "servers"), names, phase);
            assertTrue(cpu.get("client").asDouble() >= 0 && cpu.get("servers").asDouble() >= 0, phase);
        }
        assertEquals(25 * 70000 / 1048576.0 / r.get("phases").get("upload").get("mib_per_s").asDouble(),
                25 / r.get("phases").get("upload").get("ops_per_s").asDouble(), 1e-3);
        assertEquals(0, dataFiles(), "every uploaded file was deleted");
    }

    @Test
    void sizesAndConcurrenciesMakeAMatrixOfCellsInOneRun() throws Exception {
        CliRun run = CliRun.run("bench", "--tracker", tracker(), "--size", "4K,10000", "--count", "7,3",
                "--concurrency", "1,3", "--warmup", "4", "--json", "--cpu-of", "servers=" + ProcessHandle.current().pid());
        assertEquals(0, run.code(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertEquals(4, lines.size(), run.out());
        long[][] cells = {{4096, 7, 1}, {4096, 7, 3}, {10000, 3, 1}, {10000, 3, 3}};
        for (int i = 0; i < cells.length; i++) {
            JsonNode r = new ObjectMapper().readTree(lines.get(i));
            assertEquals(cells[i][0], r.get("size").asLong(), lines.get(i));
            assertEquals(cells[i][1], r.get("count").asInt(), lines.get(i));
            assertEquals(cells[i][2], r.get("concurrency").asInt(), lines.get(i));
            for (String phase : new String[] {"upload", "download", "delete"}) {
                assertEquals(cells[i][1], r.get("phases").get(phase).get("ops").asInt(), lines.get(i));
            }
            // the servers run in this JVM: a peak for both names, started afresh before the cell
            JsonNode rss = r.get("peak_rss_mib");
            assertTrue(rss.get("client").asLong() > 0 && rss.get("servers").asLong() > 0, lines.get(i));
        }
        assertEquals(0, dataFiles(), "every uploaded file was deleted, the warm-up's too");

        CliRun table = CliRun.run("bench", "--tracker", tracker(), "--size", "1K", "--count", "2",
                "--concurrency", "1,2");
        assertEquals(0, table.code(), table.toString());
        assertEquals(2, table.out().lines().filter(l -> l.startsWith("fdfs bench: 2 files of 1 KiB")).count(), table.out());
        assertTrue(table.out().contains("concurrency 1, 1 run") && table.out().contains("concurrency 2, 1 run"),
                table.out());
    }

    @Test
    void withoutDeleteTheFilesStayAndTheTableNamesThePhases() throws Exception {
        long before = dataFiles();
        CliRun run = CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--count", "6",
                "--concurrency", "2", "--phases", "upload,download");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().lines().noneMatch(l -> l.contains("cpu us/op")), "CPU only when asked for: " + run.out());
        assertTrue(run.out().startsWith("fdfs bench: 6 files of 4 KiB, concurrency 2, 1 run"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("upload ")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("download ")), run.out());
        assertTrue(run.out().lines().noneMatch(l -> l.startsWith("delete ")), run.out());
        assertEquals(before + 6, dataFiles());
    }

    @Test
    void failuresAreCountedAndExitNonZero() {
        CliRun run = CliRun.run("bench", "--tracker", tracker(), "--size", "1K", "--count", "5",
                "--concurrency", "2", "--group", "nosuchgroup", "--json");
        assertEquals(1, run.code(), run.toString());
        assertTrue(run.err().contains("upload: 5 failed, 0 mismatched"), run.err());
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(Failures.USAGE, CliRun.run("bench", "--tracker", tracker(), "--size", "4Q").code());
        assertEquals(Failures.USAGE, CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--phases",
                "upload,list").code());
        CliRun counts = CliRun.run("bench", "--tracker", tracker(), "--size", "4K,64K,1M", "--count", "5,6");
        assertEquals(Failures.USAGE, counts.code());
        assertTrue(counts.err().contains("--count takes one number, or one per size (3 sizes, 2 counts)"), counts.err());
        assertEquals(Failures.USAGE, CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--concurrency",
                "8,0").code());
        CliRun noPid = CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--cpu-of", "storage");
        assertEquals(Failures.USAGE, noPid.code());
        assertTrue(noPid.err().contains("expected NAME=PID"), noPid.err());
        CliRun gone = CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--cpu-of",
                "storage=" + Integer.MAX_VALUE);
        assertEquals(Failures.USAGE, gone.code());
        assertTrue(gone.err().contains("cannot read /proc/" + Integer.MAX_VALUE + "/stat"), gone.err());
    }

    private long dataFiles() throws Exception {
        try (Stream<Path> files = Files.walk(cluster.storageBase(0).resolve("data"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.getParent().getParent().getFileName().toString()
                    .matches("[0-9A-F]{2}")).count();
        }
    }
}
