package io.kfdfs.storage.store;

import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinlogRecordTest {

    @Test
    void parsesEveryKindOfLine() {
        BinlogRecord c = BinlogRecord.parse("1700000000 C M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt");
        assertEquals(new BinlogRecord(1700000000L, 'C', "M00/00/00/wKgBZGVT8QCAASNFAAAABTYQpoY123.txt", "", 0, 0), c);
        assertTrue(c.local());
        BinlogRecord a = BinlogRecord.parse("1700000100 a M00/00/01/x.log 5 1024");
        assertEquals(Binlog.APPEND, a.kind());
        assertFalse(a.local());
        assertEquals(5, a.first());
        assertEquals(1024, a.second());
        BinlogRecord r = BinlogRecord.parse("1700000400 R M00/00/01/new.txt M00/00/01/old.txt");
        assertEquals("M00/00/01/new.txt", r.name());
        assertEquals("M00/00/01/old.txt", r.other());
        assertEquals("1700000400 R M00/00/01/new.txt M00/00/01/old.txt", r.toString());
    }

    /** C 6.16.1 writes L lines without the link name (testdata/vectors/NOTES.md D9): parsed, with an empty name. */
    @Test
    void readsCsLinkLineWithoutItsLinkName() {
        BinlogRecord l = BinlogRecord.parse("1795633686 L  M00/00/00/fwAAAWsHMhaAdMFAAAAABTYQpoY580.txt");
        assertEquals("", l.name());
        assertEquals("M00/00/00/fwAAAWsHMhaAdMFAAAAABTYQpoY580.txt", l.other());
    }

    @Test
    void rejectsWhatIsNotARecord() {
        assertNull(BinlogRecord.parse(""));
        assertNull(BinlogRecord.parse("x C name"));
        assertNull(BinlogRecord.parse("1700000000 Q name"));
        assertNull(BinlogRecord.parse("1700000000 A name 5"));
        assertNull(BinlogRecord.parse("1700000000 C"));
        assertNull(BinlogRecord.parse("1700000000 C two names"));
    }

    /** Every line the C storages wrote in the capture parses and prints back the same. */
    @Test
    void roundTripsTheCapturedBinlogs() throws Exception {
        for (String run : new String[] {"run/storage1", "run/storage2", "run/ipmode/storageA", "run/ipmode/storageB"}) {
            for (String line : Files.readAllLines(Vectors.dir().resolve(run + "/data/sync/binlog.000"))) {
                BinlogRecord rec = BinlogRecord.parse(line);
                assertEquals(line, rec.toString(), run);
            }
        }
    }
}
