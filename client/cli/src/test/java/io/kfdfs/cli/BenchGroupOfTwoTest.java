package io.kfdfs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fdfs bench} against a group of two storages: the tracker sends uploads to both in turn, so each
 * worker keeps a connection to each, and every file reaches both by replication.
 */
class BenchGroupOfTwoTest {

    @TempDir
    Path dir;

    @Test
    void uploadsGoToBothStoragesAndEveryByteComesBack() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), 2)) {
            CliRun run = CliRun.run("bench", "--tracker", "127.0.0.1:" + cluster.trackerPort, "--size", "3000",
                    "--count", "40", "--concurrency", "4", "--phases", "upload,download", "--json");
            assertEquals(0, run.code(), run.toString());
            JsonNode phases = new ObjectMapper().readTree(run.out()).get("phases");
            for (String phase : new String[] {"upload", "download"}) {
                assertEquals(40, phases.get(phase).get("ops").asInt(), phase);
                assertEquals(0, phases.get(phase).get("failures").asInt(), phase);
                assertEquals(0, phases.get(phase).get("mismatches").asInt(), phase);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (dataFiles(cluster, 1) < 40 || dataFiles(cluster, 2) < 40) {
                assertTrue(System.nanoTime() < deadline, "files per storage after 30 s: "
                        + dataFiles(cluster, 1) + " and " + dataFiles(cluster, 2));
                Thread.sleep(100);
            }
            assertEquals(40, dataFiles(cluster, 1));
            assertEquals(40, dataFiles(cluster, 2));
            // a storage's binlog marks the files it received from clients with C, copies with c
            long direct1 = createdHere(cluster, 1);
            long direct2 = createdHere(cluster, 2);
            assertEquals(40, direct1 + direct2);
            assertTrue(direct1 > 0 && direct2 > 0, "uploads to each storage: " + direct1 + " and " + direct2);
        }
    }

    private static long createdHere(LocalCluster cluster, int storage) throws Exception {
        return Files.readAllLines(cluster.dir.resolve("storage" + storage).resolve("data/sync/binlog.000")).stream()
                .filter(l -> l.split(" ")[1].equals("C")).count();
    }

    private static long dataFiles(LocalCluster cluster, int storage) throws Exception {
        try (Stream<Path> files = Files.walk(cluster.dir.resolve("storage" + storage).resolve("data"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.getParent().getParent().getFileName().toString()
                    .matches("[0-9A-F]{2}")).count();
        }
    }
}
