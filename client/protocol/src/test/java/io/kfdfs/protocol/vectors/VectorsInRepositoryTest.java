package io.kfdfs.protocol.vectors;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A fresh clone with nothing beside it must find every captured frame and file the tests read. */
class VectorsInRepositoryTest {

    private static Path top() {
        return Vectors.inRepository().getParent().getParent();
    }

    @Test
    void theCopyIsInsideTheRepository() throws IOException {
        Path top = top();
        assertTrue(Files.readString(top.resolve("pom.xml")).contains("<artifactId>kfdfs-parent</artifactId>"),
                "testdata/vectors found beside the kfdfs parent pom, not somewhere above it: " + top);
        if (System.getenv("KFDFS_VECTORS") == null) {
            assertEquals(Vectors.inRepository(), Vectors.dir());
        }
        Vectors.all().forEach((file, frames) -> assertTrue(frames.size() > 10, file));
        for (String used : List.of("NOTES.md", "conf/tracker.conf", "conf/storage_ids.conf", "conf/client.conf",
                "out/check_names.txt", "run/storage1/data/sync/binlog.000", "run/tracker/data/storage_servers_new.dat")) {
            assertTrue(Files.isRegularFile(Vectors.inRepository().resolve(used)), used);
        }
    }

    /** A file an ignore rule hides (the C daemons' *.log, say) would be here but not in a clone. */
    @Test
    void everyFileOfTheCopyIsCommittable() throws Exception {
        Path top = top();
        assumeTrue(Files.exists(top.resolve(".git")), "not a git checkout: " + top);
        Process git = new ProcessBuilder("git", "ls-files", "--cached", "--others", "--exclude-standard",
                Vectors.IN_REPOSITORY).directory(top.toFile()).redirectErrorStream(true).start();
        Set<String> visible = new TreeSet<>(List.of(new String(git.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).split("\n")));
        assertEquals(0, git.waitFor(), String.join("\n", visible));
        Set<String> present;
        try (Stream<Path> files = Files.walk(Vectors.inRepository())) {
            present = files.filter(Files::isRegularFile)
                    .map(f -> top.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        present.removeAll(visible);
        assertEquals(Set.of(), present, "files under testdata/vectors that git ignores");
    }
}
