package io.kfdfs.storage;

import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.storage.store.IniFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Directory distribution, the storage's own files (§10.6) and what survives a restart. */
class RestartTest {

    @TempDir
    Path dir;

    private static String dirOf(String name) throws Exception {
        RemoteFilename r = RemoteFilename.parse(name);
        return String.format("%02X/%02X", r.high(), r.low());
    }

    @Test
    void roundRobinDirectoriesAndCountersSurviveARestart() throws Exception {
        List<String> dirs = new ArrayList<>();
        String first;
        try (StorageFixture storage = new StorageFixture(dir, "file_distribute_rotate_count = 2")) {
            try (TestClient c = storage.client()) {
                first = c.upload("one".getBytes(), "txt");
                for (int i = 0; i < 8; i++) {
                    dirs.add(dirOf(c.upload(("f" + i).getBytes(), "")));
                }
            }
            assertEquals(List.of("00/00", "00/01", "00/01", "00/02", "00/02", "00/03", "00/03", "01/00"), dirs);
            assertTrue(Files.exists(storage.base.resolve("data/03/03")), "all 4x4 directories exist");
            assertFalse(Files.exists(storage.base.resolve("data/04")));
        }
        Map<String, String> stat = IniFile.read(dir.resolve("data/storage_stat.dat"));
        assertEquals("9", stat.get("success_upload_count"));
        assertEquals("1", stat.get("dist_path_index_high"));
        assertEquals("0", stat.get("dist_path_index_low"));
        assertEquals("9", stat.get("dist_write_file_count"));
        Map<String, String> flag = IniFile.read(dir.resolve("data/.data_init_flag"));
        assertTrue(Long.parseLong(flag.get("storage_join_time")) > 0);
        assertEquals("0", flag.get("sync_old_done"));

        // temporary files left by a crash (uploads write theirs in data/HH/HH) are removed at start
        Path leftover = dir.resolve("data/.kfdfs-crashed.tmp");
        Files.writeString(leftover, "half");
        Path upload = dir.resolve("data/00/01/.kfdfs-crashed.tmp");
        Files.writeString(upload, "half");
        try (StorageFixture storage = new StorageFixture(dir, "file_distribute_rotate_count = 2")) {
            assertFalse(Files.exists(leftover));
            assertFalse(Files.exists(upload));
            assertEquals(9, storage.server.counters().get(Counter.SUCCESS_UPLOAD_COUNT));
            assertEquals(flag, IniFile.read(dir.resolve("data/.data_init_flag")), "identity kept");
            try (TestClient c = storage.client()) {
                assertEquals("01/00", dirOf(c.upload("next".getBytes(), "")));
                assertArrayEquals("one".getBytes(), c.download(first));
            }
            assertTrue(storage.binlog().startsWith(storage.binlog().lines().findFirst().orElseThrow()));
            assertEquals(10, storage.binlog().lines().filter(l -> l.contains(" C ")).count(), "binlog appended to");
        }
    }

    @Test
    void hashedDirectoriesStayWithinTheSubdirCount() throws Exception {
        Set<String> seen = new HashSet<>();
        try (StorageFixture storage = new StorageFixture(dir, "file_distribute_path_mode = 1");
             TestClient c = storage.client()) {
            for (int i = 0; i < 40; i++) {
                String d = dirOf(c.upload(("h" + i).getBytes(), "txt"));
                assertTrue(d.matches("0[0-3]/0[0-3]"), d);
                seen.add(d);
            }
        }
        assertTrue(seen.size() > 4, "spread over directories: " + seen);
    }

    @Test
    void concurrentUploadsGetDistinctNamesAndIntactContent() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            List<String> names = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try (TestClient c = storage.client()) {
                        for (int i = 0; i < 10; i++) {
                            byte[] content = ("client " + id + " file " + i + " ").repeat(1000 + i).getBytes();
                            String name = c.upload(content, "dat");
                            assertArrayEquals(content, c.download(name));
                            names.add(name);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(List.of(), errors);
            assertEquals(160, new HashSet<>(names).size());
            assertEquals(160, storage.binlog().lines().count());
            assertEquals(0, storage.tempFiles());
        }
    }
}
