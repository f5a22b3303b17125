package io.kfdfs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fdfs migrate drain} against a real group of two under two trackers: once drained on every tracker a
 * member takes no upload, whichever tracker a client asks; {@code --undo} gives it uploads back.
 */
class MigrateDrainTest {

    @TempDir
    Path dir;

    /** The source storage ID of each of {@code count} new uploads, asking the two trackers in turn. */
    private Set<String> sourcesOfUploads(String conf, LocalCluster cluster, int count) throws Exception {
        Set<String> sources = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Path file = Files.writeString(dir.resolve("f" + i + ".txt"), "file " + i);
            CliRun up = CliRun.run("--conf", conf, "--tracker", "127.0.0.1:" + cluster.trackerPort(i % 2), "upload",
                    file.toString());
            assertEquals(0, up.code(), up.toString());
            CliRun info = CliRun.run("--conf", conf, "info", up.out().trim());
            assertEquals(0, info.code(), info.toString());
            sources.add(info.out().lines().filter(l -> l.startsWith("source storage id: ")).findFirst().orElseThrow()
                    .substring("source storage id: ".length()));
        }
        return sources;
    }

    private static String[] args(String[] first, String... rest) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(rest)).toArray(String[]::new);
    }

    @Test
    void aDrainedMemberTakesNoUploadFromAnyTrackerUntilUndone() throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir.resolve("cluster")).trackers(2).storages(2).start()) {
            String conf = cluster.clientConf().toString();
            String[] both = {"--conf", conf, "--tracker", "127.0.0.1:" + cluster.trackerPort(0),
                    "--tracker", "127.0.0.1:" + cluster.trackerPort(1)};
            CliRun drain = CliRun.run(args(both, "migrate", "drain", "group1", "100001"));
            assertEquals(0, drain.code(), drain.toString());
            assertEquals(2, drain.out().lines().filter(l -> l.endsWith(": group1/100001 drained")).count(), drain.out());
            assertEquals(Set.of("100002"), sourcesOfUploads(conf, cluster, 8));

            CliRun undo = CliRun.run(args(both, "migrate", "drain", "group1", "100001", "--undo"));
            assertEquals(0, undo.code(), undo.toString());
            assertEquals(Set.of("100001", "100002"), sourcesOfUploads(conf, cluster, 8));

            CliRun status = CliRun.run(args(both, "migrate", "status", "group1"));
            assertEquals(0, status.code(), status.toString());
            assertEquals("", status.err(), "the tracker's sync timestamps read (63, file 2)");
            assertTrue(status.out().startsWith("group1: 0 C, 2 kfdfs\n"), status.out());

            CliRun unknown = CliRun.run(args(both, "migrate", "drain", "group1", "100009"));
            assertEquals(1, unknown.code(), unknown.toString());
            assertTrue(unknown.err().contains("100009"), unknown.toString());
        }
    }
}
