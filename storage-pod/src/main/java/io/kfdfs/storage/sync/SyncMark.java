package io.kfdfs.storage.sync;

import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.IniFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far this storage has pushed its binlog to one peer: {@code <base_path>/data/sync/<peer>.mark}
 * (docs/protocol.md §9.3), the same seven keys as FastDFS, so marks survive a switch between C and kfdfs.
 *
 * @param position      the next record to send
 * @param needSyncOld   this storage is the peer's source for its initial full sync
 * @param syncOldDone   that full sync has finished
 * @param until         the full sync's cutoff (the tracker's time when the peer joined)
 * @param scanRows      records read
 * @param syncRows      records sent
 */
public record SyncMark(BinlogPosition position, boolean needSyncOld, boolean syncOldDone, long until,
                       long scanRows, long syncRows) {

    private static final System.Logger LOG = System.getLogger(SyncMark.class.getName());
    private static final List<String> KEYS = List.of("binlog_index", "binlog_offset", "need_sync_old",
            "sync_old_done", "until_timestamp", "scan_row_count", "sync_row_count");

    /** A mark to start from the beginning of the binlog. */
    public static SyncMark fresh(boolean needSyncOld, long until) {
        return new SyncMark(BinlogPosition.START, needSyncOld, false, until, 0, 0);
    }

    /** The mark file's name for a peer: its storage ID, or in IP mode {@code <ip>_<own port>}. */
    public static String fileName(String peerId, boolean useStorageId, int ownPort) {
        return (useStorageId ? peerId : peerId + "_" + ownPort) + ".mark";
    }

    /** The mark in {@code file}, or null if there is none or it lacks a key (then it is rebuilt). */
    public static SyncMark load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, String> kv = IniFile.read(file);
        if (!kv.keySet().containsAll(KEYS)) {
            LOG.log(System.Logger.Level.WARNING, file + " lacks some of " + KEYS + ": starting over");
            return null;
        }
        return new SyncMark(new BinlogPosition((int) IniFile.getLong(kv, "binlog_index", 0, file),
                IniFile.getLong(kv, "binlog_offset", 0, file)),
                IniFile.getLong(kv, "need_sync_old", 0, file) != 0,
                IniFile.getLong(kv, "sync_old_done", 0, file) != 0,
                IniFile.getLong(kv, "until_timestamp", 0, file),
                IniFile.getLong(kv, "scan_row_count", 0, file),
                IniFile.getLong(kv, "sync_row_count", 0, file));
    }

    public void save(Path file) throws IOException {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("binlog_index", position.index());
        kv.put("binlog_offset", position.offset());
        kv.put("need_sync_old", needSyncOld ? 1 : 0);
        kv.put("sync_old_done", syncOldDone ? 1 : 0);
        kv.put("until_timestamp", until);
        kv.put("scan_row_count", scanRows);
        kv.put("sync_row_count", syncRows);
        IniFile.write(file, kv);
    }

    /** Whether this storage still has to replay its old records to the peer. */
    public boolean replayingOld() {
        return needSyncOld && !syncOldDone;
    }

    public SyncMark advanced(BinlogPosition to, boolean sent) {
        return new SyncMark(to, needSyncOld, syncOldDone, until, scanRows + 1, syncRows + (sent ? 1 : 0));
    }

    public SyncMark oldDone() {
        return new SyncMark(position, needSyncOld, true, until, scanRows, syncRows);
    }
}
