package io.kfdfs.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fdfs retire} against a real group of two: the member leaves, no file is lost, no tracker lists it. */
class RetireCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMemberIsRetiredWithoutLosingAFileAndAnUnknownOneIsAClearError() throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir.resolve("cluster")).storages(2).start()) {
            String conf = cluster.clientConf().toString();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Path file = Files.writeString(dir.resolve("f" + i + ".txt"), "file " + i);
                CliRun up = CliRun.run("--conf", conf, "upload", file.toString());
                assertEquals(0, up.code(), up.toString());
                ids.add(up.out().trim());
            }

            CliRun unknown = CliRun.run("--conf", conf, "retire", "100009", "--wait", "5");
            assertTrue(unknown.code() != 0, unknown.toString());
            assertTrue(unknown.err().startsWith("fdfs: "), unknown.toString());
            assertTrue(unknown.err().contains("100009"), unknown.toString());

            CliRun retire = CliRun.run("--conf", conf, "retire", "100002", "--wait", "30");
            assertEquals(0, retire.code(), retire.toString());
            assertEquals("storage 100002 retired: every other member has its files; no tracker lists it\n",
                    retire.out());

            CliRun monitor = CliRun.run("--conf", conf, "monitor");
            assertEquals(0, monitor.code(), monitor.toString());
            assertTrue(monitor.out().contains("100001"), monitor.out());
            assertFalse(monitor.out().contains("100002"), monitor.out());
            for (int i = 0; i < ids.size(); i++) {
                CliRun down = CliRun.run("--conf", conf, "download", ids.get(i), "-");
                assertEquals(0, down.code(), down.toString());
                assertEquals("file " + i, down.out());
            }
        }
    }
}
