package io.kfdfs.operator.fdfs;

import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StorageStat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A group's members merged from every tracker's report; the leader's report is read first. */
public record GroupHealth(String group, List<MemberHealth> members) {

    public static final String MISSING = "MISSING";

    public Optional<MemberHealth> member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public static GroupHealth of(String group, List<TrackerReport> reports, int trackerPort) {
        List<TrackerReport> answered = new ArrayList<>(reports.stream().filter(TrackerReport::answered).toList());
        answered.sort(Comparator.comparing((TrackerReport r) -> !r.leads(trackerPort)));
        Map<String, List<StorageStat>> byId = new LinkedHashMap<>();
        for (TrackerReport r : answered) {
            for (StorageStat s : r.storages().getOrDefault(group, List.of())) {
                byId.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
            }
        }
        List<MemberHealth> members = new ArrayList<>();
        byId.forEach((id, views) -> {
            StorageStat first = views.get(0);
            boolean everywhere = views.size() == answered.size();
            String state = views.stream().filter(v -> v.status() != StorageStatus.ACTIVE).findFirst()
                    .map(v -> StorageStatus.name(v.status()))
                    .orElse(everywhere ? StorageStatus.name(StorageStatus.ACTIVE) : MISSING);
            Long delay = null;
            for (TrackerReport r : answered) {
                Long d = syncDelay(id, r.storages().getOrDefault(group, List.of()));
                if (d != null) {
                    delay = delay == null ? d : Math.max(delay, d);
                }
            }
            members.add(new MemberHealth(id, first.ip(), state, state.equals(StorageStatus.name(StorageStatus.ACTIVE)),
                    first.freeMb(), first.totalMb(), delay, first.stat().get(Counter.LAST_HEART_BEAT_TIME)));
        });
        return new GroupHealth(group, members);
    }

    /** As the tracker's dashboard computes it: the peers' newest own change minus what {@code id} has of them. */
    static Long syncDelay(String id, List<StorageStat> storages) {
        long newest = 0;
        long synced = 0;
        for (StorageStat s : storages) {
            if (s.id().equals(id)) {
                synced = s.stat().get(Counter.LAST_SYNCED_TIMESTAMP);
            } else if (s.status() != StorageStatus.DELETED) {
                newest = Math.max(newest, s.stat().get(Counter.LAST_SOURCE_UPDATE));
            }
        }
        if (newest == 0 || synced == 0) {
            return null;
        }
        return Math.max(0, newest - synced);
    }
}
