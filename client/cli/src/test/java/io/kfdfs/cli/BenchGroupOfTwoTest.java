package io.kfdfs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
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
        try (LocalCluster cluster = LocalCluster.in(dir.resolve("cluster")).storages(2).start()) {
            CliRun run = CliRun.run("bench", "--tracker", "127.0.0.1:" + cluster.trackerPort(0), "--size", "3000",
                    "--count", "40", "--concurrency", "4", "--phases", "upload,download", "--json");
            assertEquals(0, run.code(), run.toString());
            JsonNode phases = new ObjectMapper().readTree(run.out()).get("phases");
            for (String phase : new String[] {"upload", "download"}) {
                assertEquals(40, phases.get(phase).get("ops").asInt(), phase);
                assertEquals(0, phases.get(phase).get("failures").asInt(), phase);
                assertEquals(0, phases.get(phase).get("mismatches").asInt(), phase);
            }
            assertEquals(List.of(40L, 40L), eventually(() -> List.of(dataFiles(cluster, 1), dataFiles(cluster, 2)),
                    n -> n.get(0) >= 40 && n.get(1) >= 40, "40 files on each storage"));
            // a storage's binlog marks the files it received from clients with C, copies with c
            long direct1 = createdHere(cluster, 1);
            long direct2 = createdHere(cluster, 2);
            assertEquals(40, direct1 + direct2);
            assertTrue(direct1 > 0 && direct2 > 0, "uploads to each storage: " + direct1 + " and " + direct2);
        }
    }

    /** --settle: the command returns with every file on both members, and says how long that took. */
    @Test
    void settleWaitsForEveryCopyAfterTheUploads() throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir.resolve("cluster")).storages(2).start()) {
            CliRun run = CliRun.run("bench", "--tracker", "127.0.0.1:" + cluster.trackerPort(0), "--size", "3000",
                    "--count", "200", "--concurrency", "4", "--phases", "upload", "--settle", "--json");
            assertEquals(0, run.code(), run.toString());
            JsonNode settle = new ObjectMapper().readTree(run.out()).get("phases").get("settle");
            assertEquals(200, settle.get("ops").asInt(), run.out());
            assertEquals(0, settle.get("failures").asInt(), run.out());
            assertTrue(settle.get("wall_ms").asDouble() >= 0, run.out());
            assertEquals(List.of(200L, 200L), List.of(dataFiles(cluster, 1), dataFiles(cluster, 2)),
                    "every file on both storages when the command returns, without waiting");
        }
    }

    private static long createdHere(LocalCluster cluster, int storage) throws Exception {
        return Files.readAllLines(cluster.storageBase(storage - 1).resolve("data/sync/binlog.000")).stream()
                .map(l -> l.split(" ")).filter(f -> f.length > 2 && f[1].equals("C")).count();
    }

    /**
     * Files in the storage's data/HH/HH directories. Listed by name only: replication creates and renames
     * temporary files (named {@code .kfdfs-...}) while this counts, and a walk that reads attributes trips on them.
     */
    private static long dataFiles(LocalCluster cluster, int storage) {
        File data = cluster.storageBase(storage - 1).resolve("data").toFile();
        long count = 0;
        for (String high : hexDirs(data)) {
            for (String low : hexDirs(new File(data, high))) {
                String[] names = new File(new File(data, high), low).list((dir, name) -> !name.startsWith("."));
                count += names == null ? 0 : names.length;
            }
        }
        return count;
    }

    private static String[] hexDirs(File dir) {
        String[] names = dir.list((d, name) -> name.matches("[0-9A-F]{2}"));
        return names == null ? new String[0] : names;
    }
}
