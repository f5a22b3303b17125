package io.kfdfs.storage.sync;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogRecord;

/**
 * Which requests replay a binlog record on a peer (docs/protocol.md §9.4 steps 4 and 5), and what each reply
 * leads to: functions of the record, the local file's size and the peer's answers only, so each rule is
 * tested on its own ({@code ReplayTest}). {@link PeerSync} carries the steps out and keeps the state
 * between records (whether creates are checked first, which renamed files went stale).
 */
final class Replay {

    private Replay() {
    }

    /** One step of a record's replay: a request to send, or how the record ends. */
    enum Step {
        /** 16 with the whole local file. */
        CREATE(Cmd.SYNC_CREATE_FILE),
        /** 18 with the whole local file. */
        UPDATE(Cmd.SYNC_UPDATE_FILE),
        /** 22: after an EEXIST, a create is checked against the peer's copy first, as C does (§4.13). */
        ASK(Cmd.QUERY_FILE_INFO),
        /** 16 without content: the peer has the file at this size already. */
        RECORD_ONLY(Cmd.SYNC_CREATE_FILE),
        /** 25 with the record's range of the local file. */
        APPEND(Cmd.SYNC_APPEND_FILE),
        /** 35 with the record's range of the local file. */
        MODIFY(Cmd.SYNC_MODIFY_FILE),
        DELETE(Cmd.SYNC_DELETE_FILE),
        TRUNCATE(Cmd.SYNC_TRUNCATE_FILE),
        LINK(Cmd.SYNC_CREATE_LINK),
        RENAME(Cmd.SYNC_RENAME_FILE),
        /** The local file is not here: the binlog after the record tells why ({@link Lookahead}). */
        ABSENT(0),
        /** Done, something went out. */
        SENT(0),
        /** Done, nothing went out. */
        NOT_SENT(0),
        /** The peer cannot take this record at all (EINVAL): skipped with a warning, never retried for ever. */
        REFUSED(0),
        /** A link record without its name (C 6.16.1 writes them, testdata/vectors/NOTES.md D9): skipped with a warning. */
        UNNAMED_LINK(0),
        /** The peer failed it for now (a full disk, an I/O error): retried later from the mark. */
        FAILED(0);

        /** The request's command; 0 for the steps that end a record. */
        final int cmd;

        Step(int cmd) {
            this.cmd = cmd;
        }

        /** The request carries or depends on the local file, so its size is needed first. */
        boolean needsLocalFile() {
            return this == CREATE || this == UPDATE || this == ASK || this == RECORD_ONLY || this == APPEND
                    || this == MODIFY || this == TRUNCATE;
        }
    }

    /** §9.4 step 4: local records always; replicated ones only in a full sync, up to its cutoff. */
    static boolean wanted(BinlogRecord r, SyncMark mark) {
        if (r.local()) {
            return true;
        }
        return switch (r.kind()) {
            case Binlog.CREATE, Binlog.DELETE, Binlog.UPDATE, Binlog.LINK, Binlog.RENAME ->
                    mark.replayingOld() && r.timestamp() <= mark.until();
            default -> false;
        };
    }

    /**
     * The record's replay depends on its local file (it sends bytes of it, or checks its size), so a batch
     * looks at the file before sending: its first step needs it.
     */
    static boolean readsLocalFile(BinlogRecord r) {
        return first(r, false).needsLocalFile();
    }

    /**
     * Whether a record may go out while the records before it wait for their replies: its one request is
     * queued at once and its reply settles it. Otherwise a reply (or a look down the binlog for a missing
     * file) decides what is sent next, and a later record sent meanwhile could overtake that.
     *
     * @param present the batch looked at the record's file and found it
     */
    static boolean pipelinable(BinlogRecord r, boolean checkBeforeCreate, boolean present) {
        return switch (r.kind()) {
            case Binlog.CREATE -> !checkBeforeCreate && present;
            case Binlog.RENAME -> !r.local() && !checkBeforeCreate && present;
            case Binlog.UPDATE -> present;
            case Binlog.DELETE -> true;
            case Binlog.LINK -> !r.name().isEmpty();
            default -> false;
        };
    }

    /** The first step of a record's replay. */
    static Step first(BinlogRecord r, boolean checkBeforeCreate) {
        return switch (r.kind()) {
            case Binlog.CREATE -> create(checkBeforeCreate);
            case Binlog.UPDATE -> Step.UPDATE;
            // sent even if the name exists again (a metadata file set anew): in order, the create that follows
            // brings the new content, where C's skip would leave the peer's old one
            case Binlog.DELETE -> Step.DELETE;
            case Binlog.APPEND -> Step.APPEND;
            case Binlog.MODIFY -> Step.MODIFY;
            case Binlog.TRUNCATE -> Step.TRUNCATE;
            case Binlog.LINK -> r.name().isEmpty() ? Step.UNNAMED_LINK : Step.LINK;
            // a rename made here goes as a rename; one replicated here is, for the peer, a new file
            case Binlog.RENAME -> r.local() ? Step.RENAME : create(checkBeforeCreate);
            default -> Step.NOT_SENT;
        };
    }

    /**
     * A step that {@linkplain Step#needsLocalFile needs the local file}, once its size is known (-1: not
     * here). The file is the truth: an append or modify whose range is no longer in it (truncated since),
     * or a truncate of a file that still has its old size (the storage stopped between the record, written
     * first, and the truncate), sends the whole file. A truncate followed by other changes goes as a
     * truncate: those changes' records bring the rest (an append the peer cannot place sends the file).
     */
    static Step withLocalFile(Step step, BinlogRecord r, long size) {
        if (size < 0) {
            return Step.ABSENT;
        }
        if ((step == Step.APPEND || step == Step.MODIFY) && size < r.first() + r.second()
                || step == Step.TRUNCATE && size == r.first()) {
            return Step.UPDATE;
        }
        return step;
    }

    /**
     * After {@link Step#ASK}: the peer lacks the file (create it), has it at the local size (record only),
     * or at another size or unreadably (update it whole).
     *
     * @param peerSize the size the peer's reply gave; -1 when it gave none
     */
    static Step afterAsk(int status, long peerSize, long localSize) {
        if (status == Status.ENOENT) {
            return Step.CREATE;
        }
        return status == Status.OK && peerSize == localSize ? Step.RECORD_ONLY : Step.UPDATE;
    }

    /**
     * What the reply to a request leads to. A range or truncate the peer cannot apply (it lacks the file
     * or earlier bytes: ENOENT) sends the whole file; a rename the peer cannot apply sends the new name
     * as a new file, and so does a rename of a file whose changes before it were skipped.
     *
     * @param staleBeforeRename for a rename: changes to the old name were skipped before it
     */
    static Step after(Step sent, int status, boolean checkBeforeCreate, boolean staleBeforeRename) {
        return switch (sent) {
            case CREATE, UPDATE, RECORD_ONLY -> settle(status, Status.EEXIST);
            case APPEND, MODIFY, TRUNCATE -> status == Status.ENOENT ? Step.UPDATE : settle(status, Status.EEXIST);
            case DELETE, LINK -> settle(status, Status.ENOENT);
            case RENAME -> {
                if (status == Status.ENOENT) {
                    yield create(checkBeforeCreate);
                }
                Step settled = settle(status, Status.EEXIST);
                yield staleBeforeRename && settled != Step.FAILED ? Step.UPDATE : settled;
            }
            default -> throw new IllegalArgumentException("no reply to " + sent);
        };
    }

    private static Step create(boolean checkBeforeCreate) {
        return checkBeforeCreate ? Step.ASK : Step.CREATE;
    }

    /** OK and the status that means "already so" are done; EINVAL is refused; anything else failed. */
    private static Step settle(int status, int alreadySo) {
        if (status == Status.OK || status == alreadySo) {
            return Step.SENT;
        }
        return status == Status.EINVAL ? Step.REFUSED : Step.FAILED;
    }
}
