package io.kfdfs.storage.store;

import io.kfdfs.storage.store.IniFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <base_path>/data/.data_init_flag} (docs/protocol.md §10.6): when this storage's data was first
 * initialised, and how far its initial sync setup got. Its presence marks a storage that has been
 * started before.
 *
 * @param joinTime          {@code storage_join_time}
 * @param syncOldDone       {@code sync_old_done}: the initial sync from a peer is set up (or not needed)
 * @param syncSrcServer     {@code sync_src_server}: the peer this storage copies its old files from
 * @param syncUntilTimestamp {@code sync_until_timestamp}
 */
public record DataInitFlag(long joinTime, boolean syncOldDone, String syncSrcServer, long syncUntilTimestamp,
                           String lastIpAddr, int lastServerPort) {

    public static final String NAME = ".data_init_flag";

    /** Reads the file, or creates it for a storage starting for the first time. */
    public static DataInitFlag loadOrCreate(Path file, long now, int port) throws IOException {
        if (Files.exists(file)) {
            Map<String, String> kv = IniFile.read(file);
            return new DataInitFlag(IniFile.getLong(kv, "storage_join_time", now, file),
                    IniFile.getLong(kv, "sync_old_done", 0, file) != 0,
                    kv.getOrDefault("sync_src_server", ""),
                    IniFile.getLong(kv, "sync_until_timestamp", 0, file),
                    kv.getOrDefault("last_ip_addr", ""),
                    (int) IniFile.getLong(kv, "last_server_port", port, file));
        }
        DataInitFlag fresh = new DataInitFlag(now, false, "", 0, "", port);
        fresh.save(file);
        return fresh;
    }

    public DataInitFlag withSyncSource(String src, long until) {
        return new DataInitFlag(joinTime, true, src, until, lastIpAddr, lastServerPort);
    }

    /**
     * The source of the initial sync is gone from the trackers (deleted after this storage copied from
     * it): forgotten, as C's tracker_sync_notify does, so that no tracker is told of it again.
     */
    public DataInitFlag withoutSyncSource() {
        return new DataInitFlag(joinTime, syncOldDone, "", syncUntilTimestamp, lastIpAddr, lastServerPort);
    }

    /** The initial sync is to be set up (again): the next JOIN asks the trackers for a source. */
    public DataInitFlag withSyncPending() {
        return new DataInitFlag(joinTime, false, "", 0, lastIpAddr, lastServerPort);
    }

    public DataInitFlag withAddress(String ip, int port) {
        return new DataInitFlag(joinTime, syncOldDone, syncSrcServer, syncUntilTimestamp, ip, port);
    }

    public void save(Path file) throws IOException {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("storage_join_time", joinTime);
        kv.put("sync_old_done", syncOldDone ? 1 : 0);
        kv.put("sync_src_server", syncSrcServer);
        kv.put("sync_until_timestamp", syncUntilTimestamp);
        kv.put("last_ip_addr", lastIpAddr);
        kv.put("last_server_port", lastServerPort);
        kv.put("current_trunk_file_id", 0);
        kv.put("trunk_last_compress_time", 0);
        kv.put("trunk_binlog_compress_stage", 0);
        IniFile.write(file, kv);
    }
}
