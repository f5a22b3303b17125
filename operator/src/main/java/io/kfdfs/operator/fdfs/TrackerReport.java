package io.kfdfs.operator.fdfs;

import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.StorageStat;

import java.util.List;
import java.util.Map;

/**
 * What one tracker said (91 LIST_ALL_GROUPS, 92 LIST_STORAGE per group, 95 GET_LEADER), or why it could not
 * be asked ({@code error} set, the rest empty).
 *
 * @param leader the leader's {@code ip:port} as this tracker knows it, null if none
 */
public record TrackerReport(TrackerPod pod, String leader, List<GroupStat> groups,
                            Map<String, List<StorageStat>> storages, String error) {

    public boolean answered() {
        return error == null;
    }

    /** Whether this tracker says it leads itself. */
    public boolean leads(int port) {
        return answered() && leader != null && leader.equals(pod.ip() + ":" + port);
    }

    public static TrackerReport failed(TrackerPod pod, String error) {
        return new TrackerReport(pod, null, List.of(), Map.of(), error);
    }
}
