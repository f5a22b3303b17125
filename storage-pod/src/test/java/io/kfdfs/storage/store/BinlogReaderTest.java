package io.kfdfs.storage.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BinlogReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRecordsFromAPositionAcrossRotatedFiles() throws Exception {
        try (Binlog b = Binlog.open(dir, false, 100)) {
            for (int i = 0; i < 7; i++) {
                b.append(1700000000L + i, Binlog.CREATE, "M00/00/00/file-number-" + i + ".txt");
            }
        }
        BinlogReader reader = new BinlogReader(dir);
        List<BinlogReader.Entry> first = reader.read(BinlogPosition.START);
        assertEquals(3, first.size(), "the records of binlog.000");
        assertEquals("M00/00/00/file-number-0.txt", first.get(0).record().name());
        List<BinlogReader.Entry> next = reader.read(first.get(2).after());
        assertEquals(new BinlogPosition(1, 41), next.get(0).after(), "binlog.000 done: on to binlog.001");
        assertEquals("M00/00/00/file-number-3.txt", next.get(0).record().name());
        BinlogPosition end = reader.read(new BinlogPosition(2, 0)).get(0).after();
        assertEquals(List.of(), reader.read(end), "nothing after the last record");
    }

    @Test
    void leavesALineBeingWrittenForLaterAndSkipsGarbage() throws Exception {
        Path file = dir.resolve(Binlog.fileName(0));
        Files.writeString(file, "1700000000 C M00/00/00/a\nnot a record\n1700000001 D M00/00/0");
        BinlogReader reader = new BinlogReader(dir);
        List<BinlogReader.Entry> entries = reader.read(BinlogPosition.START);
        assertEquals(2, entries.size());
        assertNull(entries.get(1).record(), "an unreadable line is passed over");
        assertEquals(List.of(), reader.read(entries.get(1).after()), "half a line is not a record yet");
        Files.writeString(file, "0/b\n", StandardOpenOption.APPEND);
        assertEquals("M00/00/00/b", reader.read(entries.get(1).after()).get(0).record().name());
    }

    /** A record written before its change is made is held back from readers until the change is done. */
    @Test
    void holdsBackARecordWhoseChangeIsStillBeingMade() throws Exception {
        BinlogReader reader = new BinlogReader(dir);
        try (Binlog b = Binlog.open(dir, false)) {
            int[] woken = new int[1];
            b.addListener(() -> woken[0]++);
            b.append(1, Binlog.CREATE, "M00/00/00/a");
            Binlog.Pending update = b.appendPending(2, Binlog.UPDATE, "M00/00/00/a-m");
            b.append(3, Binlog.CREATE, "M00/00/00/b");
            assertEquals(1, reader.read(BinlogPosition.START, b.settled()).size(), "only the record before it");
            assertEquals(2, woken[0]);
            update.close();
            assertEquals(3, woken[0], "closing wakes the senders");
            assertEquals(3, reader.read(BinlogPosition.START, b.settled()).size());
        }
    }
}
