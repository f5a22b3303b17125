package io.kfdfs.storage.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskSpaceTest {

    @TempDir
    Path dir;

    @Test
    void systemUsageIsThatOfTheFileSystemHoldingThePathOnEveryCall() throws Exception {
        FileStore fs = Files.getFileStore(dir);
        for (int i = 0; i < 3; i++) {
            DiskSpace.Usage u = DiskSpace.SYSTEM.usage(dir);
            assertEquals(fs.getTotalSpace() >> 20, u.totalMb());
            assertTrue(u.freeMb() <= u.totalMb(), u.toString());
            assertTrue(Math.abs(u.freeMb() - (fs.getUsableSpace() >> 20)) < 64, u + " vs " + fs.getUsableSpace());
        }
    }
}
