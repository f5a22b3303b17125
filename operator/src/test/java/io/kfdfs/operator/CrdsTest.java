package io.kfdfs.operator;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code crds/} is generated from the API classes and checked in; this test fails when it is stale.
 * {@code make crds} runs it with {@code -Dkfdfs.crds.write=true}, which rewrites {@code crds/} instead.
 */
class CrdsTest {

    static final Path CRDS = Path.of("..", "crds");

    static List<Path> generate(Path dir) throws Exception {
        new CRDGenerator().customResourceClasses(FdfsCluster.class, StorageGroup.class).forCRDVersions("v1")
                .withParallelGenerationEnabled(false).inOutputDir(dir.toFile()).generate();
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void crdsAreGeneratedFromTheApiClasses(@TempDir Path dir) throws Exception {
        List<Path> generated = generate(dir);
        assertEquals(List.of("fdfsclusters.kfdfs.io-v1.yml", "storagegroups.kfdfs.io-v1.yml"),
                generated.stream().map(p -> p.getFileName().toString()).toList());
        if (Boolean.getBoolean("kfdfs.crds.write")) {
            Files.createDirectories(CRDS);
            for (Path p : generated) {
                Files.copy(p, CRDS.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path p : generated) {
            Path checkedIn = CRDS.resolve(p.getFileName());
            assertEquals(Files.exists(checkedIn) ? Files.readString(checkedIn) : "(missing)", Files.readString(p),
                    checkedIn + " is stale: run make crds");
        }
    }
}
