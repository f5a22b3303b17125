package io.kfdfs.cli;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StorageStat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a group stands in a move from C FastDFS storages to kfdfs ones (docs/migration.md): which members
 * are C and which kfdfs (by the version each reported, docs/protocol.md §14.4), how far each has
 * received its peers' changes, and whether a C member may be retired: every ACTIVE kfdfs member has
 * received everything it wrote, no member still copies the group from it, and it has taken no upload for
 * {@link #QUIET_SECONDS}: C counts its last change in whole seconds of a cached clock, up to a second
 * behind the records it sends, and a storage stopped right after an upload may not have sent it yet, so
 * a member still taking uploads is never "yes" (drain it first: docs/migration.md).
 *
 * <p>"Received up to" is the tracker's {@code last_synced_timestamp}, the oldest of what the member has
 * received from each source with {@code store_server = 0}, FastDFS's default (another setting makes it the
 * newest). The check itself reads what each kfdfs member has received from that C member alone, from the
 * tracker's {@code storage_sync_timestamp.dat} ({@link Received}): the oldest over every source stays behind
 * for as long as another source is quiet (a drained C member sends nothing more), and the newest says
 * nothing of this one. Without that file the oldest is used, and is right only while every source writes.
 */
final class MigrationStatus {

    static final long QUIET_SECONDS = 10;

    private MigrationStatus() {
    }

    /** One member's line. {@code retire} is null for kfdfs members, else why it may or may not go. */
    record Member(StorageStat stat, boolean kfdfs, long lastChange, long receivedUpTo, String retire) {
    }

    /**
     * What each member has received from each source, per {@code storage_sync_timestamp.dat} (63, file 2):
     * lines {@code group,source,t_0..t_n-1}, t_k what the k-th line's storage has received from the source.
     */
    record Received(Map<String, Map<String, Long>> bySource) {

        static final Received NONE = new Received(Map.of());

        /** The lines of {@code group}; lines that do not parse are left out (the check then falls back). */
        static Received parse(String text, String group) {
            List<String[]> rows = text.lines().map(l -> l.split(",")).filter(f -> f.length >= 2 && f[0].equals(group))
                    .toList();
            Map<String, Map<String, Long>> bySource = new HashMap<>();
            for (String[] row : rows) {
                if (row.length != rows.size() + 2) {
                    return NONE;
                }
                Map<String, Long> got = new HashMap<>();
                for (int k = 0; k < rows.size(); k++) {
                    try {
                        got.put(rows.get(k)[1], Long.parseLong(row[k + 2].trim()));
                    } catch (NumberFormatException e) {
                        return NONE;
                    }
                }
                bySource.put(row[1], got);
            }
            return new Received(bySource);
        }

        /** What {@code dest} has received from {@code source}, or {@code fallback} if the file does not say. */
        long from(String source, String dest, long fallback) {
            Map<String, Long> got = bySource.get(source);
            return got == null || !got.containsKey(dest) ? fallback : got.get(dest);
        }
    }

    /** @param now unix seconds, the clock the members' times are compared with */
    static List<Member> of(List<StorageStat> listed, long now) {
        return of(listed, now, Received.NONE);
    }

    static List<Member> of(List<StorageStat> listed, long now, Received got) {
        // a C tracker lists deleted members until it restarts (kfdfs's does not): they are gone, not to be retired
        List<StorageStat> members = listed.stream().filter(s -> s.status() != StorageStatus.DELETED
                && s.status() != StorageStatus.IP_CHANGED).toList();
        List<StorageStat> kfdfs = members.stream().filter(s -> Version.isKfdfs(s.version())).toList();
        List<StorageStat> activeKfdfs = kfdfs.stream().filter(s -> s.status() == StorageStatus.ACTIVE).toList();
        List<Member> out = new ArrayList<>();
        for (StorageStat s : members) {
            boolean isKfdfs = Version.isKfdfs(s.version());
            long lastChange = s.stat().get(Counter.LAST_SOURCE_UPDATE);
            long received = s.stat().get(Counter.LAST_SYNCED_TIMESTAMP);
            out.add(new Member(s, isKfdfs, lastChange, received, isKfdfs ? null : retire(s, lastChange, now, members,
                    activeKfdfs, got)));
        }
        return out;
    }

    /** "yes", or "no: " and the first reason. */
    private static String retire(StorageStat c, long lastChange, long now, List<StorageStat> members,
                                 List<StorageStat> activeKfdfs, Received got) {
        if (activeKfdfs.isEmpty()) {
            return "no: no kfdfs member of the group is ACTIVE";
        }
        if (c.status() != StorageStatus.ACTIVE) {
            // a stopped member may hold uploads it has not sent: only a running one can send them
            return "no: it is " + StorageStatus.name(c.status()) + "; start it again, to send what it has";
        }
        if (now - lastChange < QUIET_SECONDS) {
            return "no: it still takes uploads (its last change " + (now - lastChange) + " s ago); drain it first"
                    + " (fdfs migrate drain)";
        }
        for (StorageStat m : members) {
            if (m != c && c.id().equals(m.srcId()) && (m.status() == StorageStatus.WAIT_SYNC
                    || m.status() == StorageStatus.SYNCING)) {
                return "no: " + m.id() + " is still copying the group from it";
            }
        }
        for (StorageStat k : activeKfdfs) {
            long received = got.from(c.id(), k.id(), k.stat().get(Counter.LAST_SYNCED_TIMESTAMP));
            if (received < lastChange) {
                return "no: " + k.id() + " has received its changes up to " + ClassicOutput.datetime(received)
                        + ", its last change was at " + ClassicOutput.datetime(lastChange);
            }
        }
        return "yes";
    }
}
