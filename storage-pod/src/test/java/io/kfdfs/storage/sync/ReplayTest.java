package io.kfdfs.storage.sync;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.storage.store.BinlogRecord;
import io.kfdfs.storage.sync.Replay.Step;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayTest {

    private static final String NAME = "M00/00/00/rBEAAmZ0d5-AAAAAAAAAAAAAAAA.txt";
    private static final SyncMark PLAIN = SyncMark.fresh(false, 0);
    private static final SyncMark FULL_SYNC_UNTIL_100 = SyncMark.fresh(true, 100);

    private static BinlogRecord rec(String line) {
        BinlogRecord r = BinlogRecord.parse(line);
        if (r == null) {
            throw new IllegalArgumentException(line);
        }
        return r;
    }

    @Test
    void localRecordsAlwaysGoReplicatedOnesOnlyInAFullSyncUpToItsCutoff() {
        assertTrue(Replay.wanted(rec("200 C " + NAME), PLAIN));
        assertTrue(Replay.wanted(rec("200 A " + NAME + " 0 5"), PLAIN));
        assertFalse(Replay.wanted(rec("50 c " + NAME), PLAIN), "a peer's change goes from that peer");
        assertTrue(Replay.wanted(rec("50 c " + NAME), FULL_SYNC_UNTIL_100));
        assertTrue(Replay.wanted(rec("100 d " + NAME), FULL_SYNC_UNTIL_100));
        assertFalse(Replay.wanted(rec("101 c " + NAME), FULL_SYNC_UNTIL_100), "after the cutoff: its source sends it");
        assertFalse(Replay.wanted(rec("50 a " + NAME + " 0 5"), FULL_SYNC_UNTIL_100),
                "a replicated append: the full sync sends the file whole with its create");
        assertFalse(Replay.wanted(rec("50 c " + NAME), FULL_SYNC_UNTIL_100.oldDone()), "the full sync is over");
    }

    @Test
    void recordsWhoseReplayDependsOnTheirFile() {
        assertTrue(Replay.readsLocalFile(rec("1 C " + NAME)));
        assertTrue(Replay.readsLocalFile(rec("1 U " + NAME)));
        assertTrue(Replay.readsLocalFile(rec("1 A " + NAME + " 0 5")));
        assertTrue(Replay.readsLocalFile(rec("1 M " + NAME + " 0 5")));
        assertTrue(Replay.readsLocalFile(rec("1 r " + NAME + " old")), "a replicated rename is a new file to the peer");
        assertFalse(Replay.readsLocalFile(rec("1 R " + NAME + " old")));
        assertFalse(Replay.readsLocalFile(rec("1 D " + NAME)));
        assertTrue(Replay.readsLocalFile(rec("1 T " + NAME + " 9 5")), "its new size is checked");
        assertFalse(Replay.readsLocalFile(rec("1 L " + NAME + " target")));
    }

    @Test
    void onlyRecordsWhoseReplySettlesThemArePipelined() {
        assertTrue(Replay.pipelinable(rec("1 C " + NAME), false, true));
        assertFalse(Replay.pipelinable(rec("1 C " + NAME), false, false), "a missing file: the binlog decides");
        assertFalse(Replay.pipelinable(rec("1 C " + NAME), true, true), "checked first: two round trips");
        assertTrue(Replay.pipelinable(rec("1 U " + NAME), true, true));
        assertFalse(Replay.pipelinable(rec("1 U " + NAME), false, false));
        assertTrue(Replay.pipelinable(rec("1 D " + NAME), false, false));
        assertTrue(Replay.pipelinable(rec("1 L " + NAME + " target"), false, false));
        assertTrue(Replay.pipelinable(rec("1 r " + NAME + " old"), false, true));
        assertFalse(Replay.pipelinable(rec("1 R " + NAME + " old"), false, true), "ENOENT sends the file");
        assertFalse(Replay.pipelinable(rec("1 A " + NAME + " 0 5"), false, true), "ENOENT sends the file");
        assertFalse(Replay.pipelinable(rec("1 M " + NAME + " 0 5"), false, true));
        assertFalse(Replay.pipelinable(rec("1 T " + NAME + " 9 5"), false, true));
    }

    @Test
    void firstStepOfEachRecord() {
        assertEquals(Step.CREATE, Replay.first(rec("1 C " + NAME), false));
        assertEquals(Step.ASK, Replay.first(rec("1 C " + NAME), true));
        assertEquals(Step.UPDATE, Replay.first(rec("1 U " + NAME), true));
        assertEquals(Step.DELETE, Replay.first(rec("1 D " + NAME), false));
        assertEquals(Step.APPEND, Replay.first(rec("1 A " + NAME + " 0 5"), false));
        assertEquals(Step.MODIFY, Replay.first(rec("1 M " + NAME + " 0 5"), false));
        assertEquals(Step.TRUNCATE, Replay.first(rec("1 T " + NAME + " 9 5"), false));
        assertEquals(Step.LINK, Replay.first(rec("1 L " + NAME + " target"), false));
        assertEquals(Step.RENAME, Replay.first(rec("1 R " + NAME + " old"), false));
        assertEquals(Step.CREATE, Replay.first(rec("1 r " + NAME + " old"), false));
        assertEquals(Step.ASK, Replay.first(rec("1 r " + NAME + " old"), true));
        BinlogRecord unnamed = rec("1 L  target");
        assertEquals(Step.UNNAMED_LINK, Replay.first(unnamed, false), "C 6.16.1's link lines: " + unnamed);
    }

    @Test
    void theLocalFileDecidesBetweenSendingItAndLookingDownTheBinlog() {
        BinlogRecord append = rec("1 A " + NAME + " 10 5");
        assertEquals(Step.ABSENT, Replay.withLocalFile(Step.CREATE, rec("1 C " + NAME), -1));
        assertEquals(Step.CREATE, Replay.withLocalFile(Step.CREATE, rec("1 C " + NAME), 0), "an empty file is a file");
        assertEquals(Step.APPEND, Replay.withLocalFile(Step.APPEND, append, 15));
        assertEquals(Step.APPEND, Replay.withLocalFile(Step.APPEND, append, 40), "appended to again since");
        assertEquals(Step.UPDATE, Replay.withLocalFile(Step.APPEND, append, 14), "truncated since: the whole file");
        assertEquals(Step.UPDATE, Replay.withLocalFile(Step.MODIFY, rec("1 M " + NAME + " 10 5"), 3));
        assertEquals(Step.ABSENT, Replay.withLocalFile(Step.MODIFY, rec("1 M " + NAME + " 10 5"), -1));
        BinlogRecord truncate = rec("1 T " + NAME + " 9 5");
        assertEquals(Step.TRUNCATE, Replay.withLocalFile(Step.TRUNCATE, truncate, 5));
        assertEquals(Step.UPDATE, Replay.withLocalFile(Step.TRUNCATE, truncate, 9),
                "stopped between the record and the truncate: the file as it is");
        assertEquals(Step.TRUNCATE, Replay.withLocalFile(Step.TRUNCATE, truncate, 12), "appended to since: the"
                + " appends' records follow");
        assertEquals(Step.ABSENT, Replay.withLocalFile(Step.TRUNCATE, truncate, -1));
    }

    @Test
    void aCheckedCreateSendsWhatThePeerLacks() {
        assertEquals(Step.CREATE, Replay.afterAsk(Status.ENOENT, -1, 10));
        assertEquals(Step.RECORD_ONLY, Replay.afterAsk(Status.OK, 10, 10));
        assertEquals(Step.UPDATE, Replay.afterAsk(Status.OK, 9, 10));
        assertEquals(Step.UPDATE, Replay.afterAsk(Status.OK, -1, 10), "a reply without a readable size");
        assertEquals(Step.UPDATE, Replay.afterAsk(Status.EIO, -1, 10));
    }

    @Test
    void repliesSettleOrLeadOn() {
        for (Step s : new Step[] {Step.CREATE, Step.UPDATE, Step.RECORD_ONLY}) {
            assertEquals(Step.SENT, Replay.after(s, Status.OK, false, false));
            assertEquals(Step.SENT, Replay.after(s, Status.EEXIST, false, false), "already there");
            assertEquals(Step.FAILED, Replay.after(s, Status.ENOSPC, false, false));
        }
        for (Step s : new Step[] {Step.APPEND, Step.MODIFY, Step.TRUNCATE}) {
            assertEquals(Step.SENT, Replay.after(s, Status.OK, false, false));
            assertEquals(Step.SENT, Replay.after(s, Status.EEXIST, false, false));
            assertEquals(Step.UPDATE, Replay.after(s, Status.ENOENT, false, false), "the peer lacks earlier bytes");
        }
        for (Step s : new Step[] {Step.DELETE, Step.LINK}) {
            assertEquals(Step.SENT, Replay.after(s, Status.OK, false, false));
            assertEquals(Step.SENT, Replay.after(s, Status.ENOENT, false, false), "already so");
            assertEquals(Step.FAILED, Replay.after(s, Status.EEXIST, false, false));
        }
        assertEquals(Step.REFUSED, Replay.after(Step.DELETE, Status.EINVAL, false, false));
        assertEquals(Step.FAILED, Replay.after(Step.CREATE, Status.EIO, false, false));
        assertThrows(IllegalArgumentException.class, () -> Replay.after(Step.ASK, Status.OK, false, false));
        assertThrows(IllegalArgumentException.class, () -> Replay.after(Step.SENT, Status.OK, false, false));
    }

    @Test
    void aRenameThePeerCannotApplySendsTheNewNameAsANewFile() {
        assertEquals(Step.SENT, Replay.after(Step.RENAME, Status.OK, false, false));
        assertEquals(Step.SENT, Replay.after(Step.RENAME, Status.EEXIST, false, false));
        assertEquals(Step.CREATE, Replay.after(Step.RENAME, Status.ENOENT, false, false));
        assertEquals(Step.ASK, Replay.after(Step.RENAME, Status.ENOENT, true, false));
        assertEquals(Step.UPDATE, Replay.after(Step.RENAME, Status.OK, false, true), "changes before it were skipped");
        assertEquals(Step.UPDATE, Replay.after(Step.RENAME, Status.EINVAL, false, true));
        assertEquals(Step.FAILED, Replay.after(Step.RENAME, Status.EIO, false, true));
    }

    @Test
    void everyRequestStepHasItsCommand() {
        assertEquals(Cmd.SYNC_CREATE_FILE, Step.CREATE.cmd);
        assertEquals(Cmd.SYNC_CREATE_FILE, Step.RECORD_ONLY.cmd);
        assertEquals(Cmd.SYNC_UPDATE_FILE, Step.UPDATE.cmd);
        assertEquals(Cmd.QUERY_FILE_INFO, Step.ASK.cmd);
        assertEquals(Cmd.SYNC_APPEND_FILE, Step.APPEND.cmd);
        assertEquals(Cmd.SYNC_MODIFY_FILE, Step.MODIFY.cmd);
        assertEquals(Cmd.SYNC_DELETE_FILE, Step.DELETE.cmd);
        assertEquals(Cmd.SYNC_TRUNCATE_FILE, Step.TRUNCATE.cmd);
        assertEquals(Cmd.SYNC_CREATE_LINK, Step.LINK.cmd);
        assertEquals(Cmd.SYNC_RENAME_FILE, Step.RENAME.cmd);
    }
}
