package io.kfdfs.storage.sync;

import io.kfdfs.protocol.vectors.Vectors;
import io.kfdfs.storage.store.BinlogPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SyncMarkTest {

    @TempDir
    Path dir;

    /** The mark C's storage1 kept for storage2 reads, and writes back byte for byte. */
    @Test
    void readsAndWritesCsMarkFile() throws Exception {
        Path captured = Vectors.dir().resolve("run/storage1/data/sync/100002.mark");
        SyncMark m = SyncMark.load(captured);
        assertEquals(new SyncMark(new BinlogPosition(0, 3226), true, true, 1795633410L, 52, 41), m);
        Path copy = dir.resolve(SyncMark.fileName("100002", true, 23200));
        m.save(copy);
        assertEquals(Files.readString(captured), Files.readString(copy));
    }

    @Test
    void namesMarksByIdOrByIpAndOwnPort() {
        assertEquals("100002.mark", SyncMark.fileName("100002", true, 23000));
        assertEquals("127.0.0.2_23200.mark", SyncMark.fileName("127.0.0.2", false, 23200));
    }

    @Test
    void aMarkMissingAKeyIsRebuilt() throws Exception {
        Path file = dir.resolve("x.mark");
        assertNull(SyncMark.load(file));
        Files.writeString(file, "binlog_index=0\nbinlog_offset=12\n");
        assertNull(SyncMark.load(file));
    }
}
