package io.kfdfs.tracker;

import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.Parameters;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.StorageClusterStat;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.VolumeStat;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tracker's reports: listing records (90–92, 97, 98), briefs, and the parameters storages load (75). */
final class Reports {

    private final Cluster cluster;
    private final Selector selector;

    Reports(Cluster cluster, Selector selector) {
        this.cluster = cluster;
        this.selector = selector;
    }

    GroupStat groupStat(Group g) {
        Group.Space space = g.space();
        return new GroupStat(g.name, space.totalMb(), space.freeMb(),
                cluster.config.reservedStorageSpace().reservedMb(space.totalMb()), 0, members(g), g.port,
                g.readable().size(), g.writable().size(), g.currentWriteServer, g.storePathCount,
                g.subdirCountPerPath, -1);
    }

    /** The group's storages but deleted (retired) ones, which its listing leaves out too. */
    private static long members(Group g) {
        return g.storages.stream().filter(s -> s.status != StorageStatus.DELETED).count();
    }

    /** The C tracker shows the initial-sync source for as long as it remembers it, not only while syncing. */
    StorageStat storageStat(StorageNode s, String clientIp) {
        StatBlock stat = s.stat.with(StatBlock.Counter.LAST_SYNCED_TIMESTAMP, s.lastSyncedTimestamp)
                .with(StatBlock.Counter.LAST_HEART_BEAT_TIME, s.lastHeartBeatTime);
        return new StorageStat(s.status, s.rwMode, s.id, selector.addressFor(s, clientIp), s.syncSrcId,
                s.version, s.joinTime, s.upTime, s.totalMb, s.freeMb,
                cluster.config.reservedStorageSpace().reservedMb(s.totalMb), s.uploadPriority, s.storePathCount,
                s.subdirCountPerPath, s.currentWritePath, s.port, stat, false);
    }

    StorageBrief brief(StorageNode s, String receiverIp) {
        return new StorageBrief(s.status, s.port, s.id, selector.addressFor(s, receiverIp));
    }

    StorageClusterStat.Storage clusterStorage(StorageNode s) {
        return new StorageClusterStat.Storage(s.id, s.address(), false, s.status, s.stat.connAlloc(),
                s.stat.connCurrent(), s.stat.connMax(), s.version, s.upTime, s.lastHeartBeatTime);
    }

    VolumeStat.Volume volume(Group g) {
        Group.Space space = g.space();
        long reserved = cluster.config.reservedStorageSpace().reservedMb(space.totalMb());
        return new VolumeStat.Volume(g.name, space.totalMb(), space.freeMb(), reserved,
                Math.max(0, space.freeMb() - reserved), 0, selector.hasSpace(g), false);
    }

    /** 75: the keys and value formats of the 6.16.1 tracker, in its order (testdata/vectors/NOTES.md: frame #126). */
    static Parameters parameters(TrackerConfig c, int ipSize) {
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        TrackerConfig.Trunk t = c.trunk();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("use_storage_id", flag(c.useStorageId()));
        p.put("id_type_in_filename", c.useStorageId() ? c.idTypeInFilename() : "ip"); // C reads it only with IDs
        p.put("trust_storage_server_id", flag(c.trustStorageServerId()));
        p.put("response_ip_addr_size", String.valueOf(ipSize));
        p.put("storage_ip_changed_auto_adjust", flag(c.storageIpChangedAutoAdjust()));
        p.put("storage_sync_file_max_delay", String.valueOf(c.storageSyncFileMaxDelay()));
        p.put("store_path", String.valueOf(c.storePath()));
        p.put("reserved_storage_space", c.reservedStorageSpace().toParameter());
        p.put("use_trunk_file", "0");
        p.put("slot_min_size", String.valueOf(t.slotMinSize()));
        p.put("slot_max_size", String.valueOf(t.slotMaxSize()));
        p.put("trunk_alloc_alignment_size", String.valueOf(t.trunkAllocAlignmentSize()));
        p.put("trunk_file_size", String.valueOf(t.trunkFileSize()));
        p.put("trunk_create_file_advance", flag(t.createFileAdvance()));
        p.put("trunk_create_file_time_base", t.createFileTimeBase().format(hhmm));
        p.put("trunk_create_file_interval", String.valueOf(t.createFileInterval()));
        p.put("trunk_create_file_space_threshold", String.valueOf(t.createFileSpaceThreshold()));
        p.put("trunk_init_check_occupying", flag(t.initCheckOccupying()));
        p.put("trunk_init_reload_from_binlog", flag(t.initReloadFromBinlog()));
        p.put("trunk_free_space_merge", flag(t.freeSpaceMerge()));
        p.put("delete_unused_trunk_files", flag(t.deleteUnusedTrunkFiles()));
        p.put("trunk_compress_binlog_min_interval", String.valueOf(t.compressBinlogMinInterval()));
        p.put("trunk_compress_binlog_interval", String.valueOf(t.compressBinlogInterval()));
        p.put("trunk_compress_binlog_time_base", t.compressBinlogTimeBase().format(hhmm));
        p.put("trunk_binlog_max_backups", String.valueOf(t.binlogMaxBackups()));
        p.put("store_slave_file_use_link", flag(c.storeSlaveFileUseLink()));
        return new Parameters(p);
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }
}
