package io.kfdfs.conf;

import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every config the C FastDFS 6.16.1 capture ran with parses, and has no key kfdfs does not know. */
class CapturedConfsTest {

    @Test
    void everyCapturedConfLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Vectors.dir().resolve("conf"))) {
            files = s.sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            String name = f.getFileName().toString();
            Set<String> unknown;
            if (name.equals("storage_ids.conf")) {
                assertEquals(2, StorageIds.load(f).entries().size());
                continue;
            } else if (name.startsWith("tracker")) {
                unknown = TrackerConfig.load(f, Map.of()).unknownKeys();
            } else if (name.startsWith("storage")) {
                unknown = StorageConfig.load(f, Map.of()).unknownKeys();
            } else if (name.startsWith("client")) {
                unknown = ClientConfig.load(f, Map.of()).unknownKeys();
            } else {
                throw new AssertionError("unexpected file " + f);
            }
            assertEquals(Set.of(), unknown, name);
        }
    }
}
