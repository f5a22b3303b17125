package io.kfdfs.storage.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BinlogTest {

    @TempDir
    Path dir;

    @Test
    void namesItsFilesWithThreeDigitsAtLeast() {
        assertEquals("binlog.000", Binlog.fileName(0));
        assertEquals("binlog.007", Binlog.fileName(7));
        assertEquals("binlog.042", Binlog.fileName(42));
        assertEquals("binlog.999", Binlog.fileName(999));
        assertEquals("binlog.1000", Binlog.fileName(1000));
    }

    @Test
    void writesCFormatLinesAndTheIndexFile() throws Exception {
        try (Binlog b = Binlog.open(dir, false)) {
            b.append(1700000000L, Binlog.CREATE, "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt");
            b.append(1700000100L, Binlog.APPEND, "M00/00/01/x.log", "5 1024");
            b.append(1700000300L, Binlog.LINK, "M00/00/00/a_s.jpg", "M00/00/07/b.jpg");
        }
        assertEquals("""
                1700000000 C M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt
                1700000100 A M00/00/01/x.log 5 1024
                1700000300 L M00/00/00/a_s.jpg M00/00/07/b.jpg
                """, Files.readString(dir.resolve("binlog.000")));
        assertEquals("current_write=0\ncurrent_compress=0\n", Files.readString(dir.resolve("binlog_index.dat")));
    }

    @Test
    void rotatesAtTheSizeLimitAndReopensTheCurrentFile() throws Exception {
        try (Binlog b = Binlog.open(dir, true, 100)) {
            // 41-byte lines: a file reaches 100 bytes with its third line
            for (int i = 0; i < 7; i++) {
                b.append(1700000000L + i, Binlog.CREATE, "M00/00/00/file-number-" + i + ".txt");
            }
            assertEquals(2, b.currentIndex());
        }
        assertEquals(3, Files.readString(dir.resolve("binlog.000")).lines().count());
        assertEquals(3, Files.readString(dir.resolve("binlog.001")).lines().count());
        assertEquals("current_write=2\ncurrent_compress=0\n", Files.readString(dir.resolve("binlog_index.dat")));
        try (Binlog b = Binlog.open(dir, false, 100)) {
            assertEquals(2, b.currentIndex());
            b.append(1, Binlog.DELETE, "M00/00/00/z");
        }
        assertEquals(2, Files.readString(dir.resolve("binlog.002")).lines().count());
    }

    @Test
    void cutsAHalfWrittenLastLine() throws Exception {
        Files.writeString(dir.resolve("binlog.000"), "1 C M00/00/00/a\n2 C M00/00/0");
        try (Binlog b = Binlog.open(dir, false)) {
            b.append(3, Binlog.CREATE, "M00/00/00/c");
        }
        assertEquals("1 C M00/00/00/a\n3 C M00/00/00/c\n", Files.readString(dir.resolve("binlog.000")));
    }

    @Test
    void convertsTheLegacyIndexFile() throws Exception {
        Files.writeString(dir.resolve("binlog.index"), "3");
        try (Binlog b = Binlog.open(dir, false)) {
            assertEquals(3, b.currentIndex());
        }
        assertEquals("current_write=3\ncurrent_compress=3\n", Files.readString(dir.resolve("binlog_index.dat")));
        assertEquals(false, Files.exists(dir.resolve("binlog.index")));
    }

    @Test
    void refusesOverlongLinesAndBadIndexFiles() throws Exception {
        try (Binlog b = Binlog.open(dir, false)) {
            assertThrows(IOException.class, () -> b.append(1, Binlog.CREATE, "x".repeat(300)));
        }
        Files.writeString(dir.resolve("binlog_index.dat"), "current_write=abc\n");
        assertThrows(IOException.class, () -> Binlog.open(dir, false));
    }

    @Test
    void readsTheCapturedIndexFile() throws Exception {
        Path captured = io.kfdfs.protocol.vectors.Vectors.dir().resolve("run/storage1/data/sync/binlog_index.dat");
        Files.copy(captured, dir.resolve("binlog_index.dat"));
        try (Binlog b = Binlog.open(dir, false)) {
            assertEquals(0, b.currentIndex());
        }
    }
}
