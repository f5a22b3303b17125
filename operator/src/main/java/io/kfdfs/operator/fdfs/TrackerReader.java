package io.kfdfs.operator.fdfs;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.client.NoSuchFileException;
import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.StorageStat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks every tracker pod what it knows. Each tracker is asked directly at its pod IP: a tracker that has
 * just started, or lost its leader, can disagree with the others, and status must show that. A few short
 * calls per tracker, with short timeouts, so a reconcile is not held up long by a dead pod.
 */
public final class TrackerReader {

    private final Duration timeout;

    public TrackerReader(Duration timeout) {
        this.timeout = timeout;
    }

    public List<TrackerReport> read(List<TrackerPod> pods, int port) {
        List<TrackerReport> reports = new ArrayList<>();
        List<HostPort> addresses = pods.stream().filter(p -> p.ip() != null).map(p -> new HostPort(p.ip(), port)).toList();
        if (addresses.isEmpty()) {
            pods.forEach(p -> reports.add(TrackerReport.failed(p, "no pod IP yet")));
            return reports;
        }
        ClientSettings.Builder settings = ClientSettings.builder().connectTimeout(timeout).networkTimeout(timeout);
        addresses.forEach(settings::tracker);
        try (FdfsClient client = FdfsClient.create(settings.build())) {
            for (TrackerPod pod : pods) {
                reports.add(pod.ip() == null ? TrackerReport.failed(pod, "no pod IP yet")
                        : readOne(client.tracker().only(new HostPort(pod.ip(), port)), pod));
            }
        }
        return reports;
    }

    private static TrackerReport readOne(TrackerClient tracker, TrackerPod pod) {
        try {
            String leader;
            try {
                leader = tracker.leader().toString();
            } catch (NoSuchFileException e) {
                leader = null;
            }
            List<GroupStat> groups;
            try {
                groups = tracker.listGroups();
            } catch (NoSuchFileException e) {
                groups = List.of();
            }
            Map<String, List<StorageStat>> storages = new LinkedHashMap<>();
            for (GroupStat g : groups) {
                storages.put(g.group(), tracker.listStorages(g.group(), null));
            }
            return new TrackerReport(pod, leader, groups, storages, null);
        } catch (FdfsException e) {
            return TrackerReport.failed(pod, e.getMessage());
        }
    }
}
