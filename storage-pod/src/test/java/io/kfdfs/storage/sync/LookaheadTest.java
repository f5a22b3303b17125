package io.kfdfs.storage.sync;

import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.BinlogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LookaheadTest {

    @TempDir
    Path dir;

    @Test
    void findsWhatIsRemovedLaterOn() throws Exception {
        try (Binlog b = Binlog.open(dir, false)) {
            b.append(1, Binlog.CREATE, "M00/00/00/a");
            b.append(2, Binlog.CREATE, "M00/00/00/b");
            b.append(3, Binlog.DELETE, "M00/00/00/a");
            b.append(4, Binlog.RENAME, "M00/00/00/c", "M00/00/00/b");
        }
        BinlogReader reader = new BinlogReader(dir);
        List<BinlogReader.Entry> e = reader.read(BinlogPosition.START);
        Lookahead ahead = new Lookahead(reader);
        assertEquals(Lookahead.Fate.DELETED, ahead.after("M00/00/00/a", e.get(0).after()));
        assertEquals(Lookahead.Fate.RENAMED, ahead.after("M00/00/00/b", e.get(1).after()));
        assertEquals(Lookahead.Fate.STAYS, ahead.after("M00/00/00/c", e.get(3).after()));
        assertEquals(Lookahead.Fate.STAYS, ahead.after("M00/00/00/a", e.get(2).after()), "not after its delete");
    }

    @Test
    void forgetsTheRemovalsASenderHasPassedAndOnlyThose() throws Exception {
        try (Binlog b = Binlog.open(dir, false)) {
            b.append(1, Binlog.DELETE, "M00/00/00/a");
            b.append(2, Binlog.DELETE, "M00/00/00/b");
            b.append(3, Binlog.CREATE, "M00/00/00/a");
            b.append(4, Binlog.DELETE, "M00/00/00/a");
        }
        BinlogReader reader = new BinlogReader(dir);
        List<BinlogReader.Entry> e = reader.read(BinlogPosition.START);
        Lookahead ahead = new Lookahead(reader);
        assertEquals(Lookahead.Fate.DELETED, ahead.after("M00/00/00/b", BinlogPosition.START));
        assertEquals(3, ahead.remembered());
        ahead.passed(e.get(1).after());
        assertEquals(1, ahead.remembered(), "the first two are behind");
        assertEquals(Lookahead.Fate.DELETED, ahead.after("M00/00/00/a", e.get(2).after()), "a's later delete is kept");
        assertEquals(Lookahead.Fate.STAYS, ahead.after("M00/00/00/b", e.get(2).after()));
        ahead.passed(e.get(3).after());
        assertEquals(0, ahead.remembered());
        assertEquals(Lookahead.Fate.STAYS, ahead.after("M00/00/00/a", e.get(3).after()));
        ahead.restart();
        assertEquals(Lookahead.Fate.DELETED, ahead.after("M00/00/00/b", BinlogPosition.START),
                "a sender that starts over (a full sync) sees the removals again");
    }
}
