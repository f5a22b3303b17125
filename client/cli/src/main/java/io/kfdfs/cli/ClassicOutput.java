package io.kfdfs.cli;

import io.kfdfs.client.FileInfoResult;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StorageStat;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The output of the C 6.16 tools, line for line (vectors/transcript.txt): {@code fdfs_file_info} and
 * {@code fdfs_monitor}. Times are local, as C's {@code formatDatetime} prints them.
 */
final class ClassicOutput {

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ClassicOutput() {
    }

    static String datetime(long unixSeconds) {
        return DATETIME.format(Instant.ofEpochSecond(unixSeconds).atZone(ZoneId.systemDefault()));
    }

    /** fdfs_file_info's report; the CRC line is left out when it was not computed (-n) and is 0. */
    static void fileInfo(FileInfoResult r, int flags, PrintStream out) {
        FileInfo i = r.info();
        out.println("GET FROM SERVER: " + r.fromServer());
        out.println();
        out.println("file type: " + i.type().name().toLowerCase(Locale.ROOT));
        out.println("source storage id: " + i.serverId());
        out.println("source ip address: " + i.sourceIp());
        out.println("file create timestamp: " + datetime(i.createTime()));
        out.println("file size: " + i.size());
        if ((flags & QueryFileInfoResponse.FLAG_NOT_CALC_CRC32) == 0 || i.crc32() != 0) {
            out.printf("file crc32: %d (0x%08x)%n", i.crc32(), i.crc32());
        }
        out.println();
    }

    /**
     * fdfs_monitor's {@code list}: every group, or only {@code group} (nothing when it does not exist),
     * with all of its storages, after the tracker header.
     */
    static void monitor(int trackerCount, int trackerIndex, String tracker, List<GroupStat> groups,
                        Function<String, List<StorageStat>> storagesOf, String group,
                        PrintStream out) {
        out.printf("tracker server count=%d, current server index=%d%n%n", trackerCount, trackerIndex);
        out.printf("tracker server is %s%n%n", tracker);
        if (group == null) {
            out.println("group count: " + groups.size());
        }
        int n = 0;
        for (GroupStat g : groups) {
            if (group != null && !group.equals(g.group())) {
                continue;
            }
            if (group == null) {
                out.printf("%nGroup %d:%n", ++n);
            }
            group(g, out);
            storages(storagesOf.apply(g.group()), out);
        }
    }

    private static void group(GroupStat g, PrintStream out) {
        out.println("group name = " + g.group());
        space("", g.totalMb(), g.freeMb(), g.reservedMb(), out);
        out.println("storage server count = " + g.storageCount());
        out.println("readable server count = " + g.readableServerCount());
        out.println("writable server count = " + g.writableServerCount());
        out.println("storage server port = " + g.storagePort());
        out.println("store path count = " + g.storePathCount());
        out.println("subdir count per path = " + g.subdirCountPerPath());
        out.println("current write server index = " + g.currentWriteServer());
        if (g.currentTrunkFileId() >= 0) {
            out.println("trunk free space = " + size(g.trunkFreeMb()));
            out.println("current trunk file id = " + g.currentTrunkFileId());
        }
        out.println();
    }

    private static void space(String indent, long totalMb, long freeMb, long reservedMb, PrintStream out) {
        out.println(indent + "disk total space     = " + size(totalMb));
        out.println(indent + "disk free space      = " + size(freeMb));
        out.println(indent + "disk reserved space  = " + size(reservedMb));
        out.println(indent + "disk available space = " + size(Math.max(0, freeMb - reservedMb)));
    }

    /** Megabytes as fdfs_monitor prints them: whole gigabytes, rounded, right-aligned in 4 columns. */
    static String size(long mb) {
        return mb < 1024 ? String.format("%4d MB", mb) : String.format("%4d GB", Math.round(mb / 1024.0));
    }

    private static void storages(List<StorageStat> storages, PrintStream out) {
        int k = 0;
        for (StorageStat s : storages) {
            long maxSourceUpdate = 0;
            for (StorageStat other : storages) {
                if (other != s) {
                    maxSourceUpdate = Math.max(maxSourceUpdate, other.stat().get(Counter.LAST_SOURCE_UPDATE));
                }
            }
            String t = "\t\t";
            out.printf("\tStorage %d:%n", ++k);
            out.println(t + "id = " + s.id());
            out.println(t + "host = " + s.ip() + ":" + s.storagePort() + "  " + StorageStatus.name(s.status()));
            out.println(t + "read write mode = " + rwMode(s.rwMode()));
            out.println(t + "version = " + s.version());
            out.println(t + "join time = " + datetime(s.joinTime()));
            out.println(t + "up time = " + (s.upTime() == 0 ? "" : datetime(s.upTime())));
            space(t, s.totalMb(), s.freeMb(), s.reservedMb(), out);
            out.println(t + "upload priority = " + s.uploadPriority());
            out.println(t + "store_path_count = " + s.storePathCount());
            out.println(t + "subdir_count_per_path = " + s.subdirCountPerPath());
            out.println(t + "current_write_path = " + s.currentWritePath());
            out.println(t + "source storage id = " + s.srcId());
            out.println(t + "if_trunk_server = " + (s.trunkServer() ? 1 : 0));
            out.println(t + "connection.alloc_count = " + s.stat().connAlloc());
            out.println(t + "connection.current_count = " + s.stat().connCurrent());
            out.println(t + "connection.max_count = " + s.stat().connMax());
            for (Counter c : Counter.values()) {
                if (c.ordinal() < Counter.LAST_SOURCE_UPDATE.ordinal()) {
                    // C prints this one misspelled; scripts grep for it
                    String name = c == Counter.TOTAL_DOWNLOAD_BYTES ? "stotal_download_bytes" : c.key();
                    out.println(t + name + " = " + s.stat().get(c));
                }
            }
            out.println(t + "last_heart_beat_time = " + datetime(s.stat().get(Counter.LAST_HEART_BEAT_TIME)));
            out.println(t + "last_source_update = " + datetime(s.stat().get(Counter.LAST_SOURCE_UPDATE)));
            out.println(t + "last_sync_update = " + datetime(s.stat().get(Counter.LAST_SYNC_UPDATE)));
            long synced = s.stat().get(Counter.LAST_SYNCED_TIMESTAMP);
            out.println(t + "last_synced_timestamp = " + datetime(synced) + " " + syncDelay(maxSourceUpdate, synced));
        }
    }

    /** How far a storage's synced data lags behind the latest change at its peers. */
    static String syncDelay(long maxSourceUpdate, long synced) {
        if (maxSourceUpdate == 0) {
            return "";
        }
        if (synced == 0) {
            return "(never synced)";
        }
        return "(" + duration(maxSourceUpdate - synced) + " delay)";
    }

    /** "1 minute 42 seconds", "0 second": the non-zero units from days down. */
    static String duration(long seconds) {
        long[] values = {seconds / 86400, seconds % 86400 / 3600, seconds % 3600 / 60, seconds % 60};
        String[] units = {"day", "hour", "minute", "second"};
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 || (i == values.length - 1 && parts.isEmpty())) {
                parts.add(values[i] + " " + units[i] + (values[i] > 1 ? "s" : ""));
            }
        }
        return String.join(" ", parts);
    }

    static String rwMode(int mode) {
        return switch (mode) {
            case 6 -> "both (normal)";
            case 4 -> "readonly";
            case 2 -> "writeonly";
            case 0 -> "none";
            default -> "unknown (" + mode + ")";
        };
    }
}
