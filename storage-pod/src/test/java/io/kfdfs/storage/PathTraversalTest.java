package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.TruncateFileRequest;
import io.kfdfs.protocol.testing.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No command that takes a file name can reach outside the store path's data directory. */
class PathTraversalTest {

    @TempDir
    Path dir;

    Path outside;

    @BeforeEach
    void plantSecret() throws Exception {
        // a target a traversal would hit: <base>/secret.txt, two levels above data/HH/HH
        outside = dir.resolve("secret.txt");
        Files.writeString(outside, "secret");
    }

    static final List<String> NAMES = List.of(
            "M00/00/00/../../../secret.txt",
            "M00/00/00/..",
            "M00/../../secret.txtxxxxxxxxxxxx",
            "M00/00/00/x/../../../../secret.txt",
            "M00/00/00/..\\..\\..\\secret.txt",
            "M00/00/00/secret.txt\u0000.jpg",
            "/etc/passwd/xxxxxxxxx",
            "../../secret.txt",
            "M00/00/00/" + "a".repeat(120));

    @Test
    void everyNamedCommandRefusesTraversal() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            try (TestClient c = storage.client()) {
                for (String bad : NAMES) {
                    int expected = Status.EINVAL;
                    assertEquals(expected, c.download(bad, 0, 0).status(), "download " + bad);
                    assertEquals(expected, c.delete(bad).status(), "delete " + bad);
                    assertEquals(expected, c.getMetadata(bad).status(), "get metadata " + bad);
                    assertEquals(expected, c.setMetadata(bad, 'O', Metadata.parse("a\u0002b")).status(), "set metadata " + bad);
                    assertEquals(expected, c.call(Cmd.QUERY_FILE_INFO, new GroupFile("group1", bad)).status(), "info " + bad);
                    assertEquals(expected, c.append(bad, "x".getBytes()).status(), "append " + bad);
                    assertEquals(expected, c.modify(bad, 0, "x".getBytes()).status(), "modify " + bad);
                    assertEquals(expected, c.call(Cmd.TRUNCATE_FILE, new TruncateFileRequest(bad, 0)).status(), "truncate " + bad);
                    assertEquals(expected, c.call(Cmd.REGENERATE_APPENDER_FILENAME, new RegenerateAppenderRequest(bad)).status(),
                            "regenerate " + bad);
                    assertEquals(expected, c.uploadSlave(bad, "_s", "txt", "x".getBytes()).status(), "slave of " + bad);
                }
            }
            assertEquals("secret", Files.readString(outside));
            assertFalse(Files.exists(dir.resolve("secret.txt-m")));
            assertTrue(Files.exists(outside));
        }
    }
}
