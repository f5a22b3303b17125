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
        cluster = new LocalCluster(dir.resolve("cluster"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String tracker() {
        return "127.0.0.1:" + cluster.trackerPort;
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
        CliRun noPid = CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--cpu-of", "storage");
        assertEquals(Failures.USAGE, noPid.code());
        assertTrue(noPid.err().contains("expected NAME=PID"), noPid.err());
        CliRun gone = CliRun.run("bench", "--tracker", tracker(), "--size", "4K", "--cpu-of",
                "storage=" + Integer.MAX_VALUE);
        assertEquals(Failures.USAGE, gone.code());
        assertTrue(gone.err().contains("cannot read /proc/" + Integer.MAX_VALUE + "/stat"), gone.err());
    }

    private long dataFiles() throws Exception {
        try (Stream<Path> files = Files.walk(cluster.dir.resolve("storage1").resolve("data"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.getParent().getParent().getFileName().toString()
                    .matches("[0-9A-F]{2}")).count();
        }
    }
}
