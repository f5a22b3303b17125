package io.kfdfs.e2e.kube;

import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.MixedGroup;
import io.kfdfs.e2e.Timeline;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.FdfsClusterStatus;
import io.kfdfs.operator.api.JoinSpec;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.api.StorageGroupStatus;
import io.kfdfs.operator.model.Names;
import io.kfdfs.protocol.StorageStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator takes a running C FastDFS cluster over (docs/migration.md, "Into Kubernetes"), end to end: a C
 * tracker and a C storage (C FastDFS 6.16.1, IP mode) outside the {@link StandIn} hold {@value #FILES} files;
 * an FdfsCluster that joins that tracker and a StorageGroup group1 of 2 are applied; the group becomes Ready
 * with both pods ACTIVE, known by their pod IPs, holding every C file byte for byte; the C storage is
 * retired (stopped, deleted on the operator's tracker and on the C tracker) and every file is read through
 * the operator's tracker Service by its original file ID; then the C tracker stops, join.trackers is
 * emptied, the pods roll one at a time (each comes back with a new IP and reports the change), and every file
 * is still served through the Service and held by both new pods.
 *
 * <p>Needs the C daemons ({@link MixedGroup}): without them "not run" (skipped), never passed; CI has none.
 * Not tagged long: about 40 s where it runs (the full sync of the pods from the C storage takes seconds),
 * so it runs in make test like MixedGroupTest.
 */
class OperatorJoinTest extends StandInTest {

    private static final int FILES = 300;

    @TempDir
    Path dir;

    private final Timeline timeline = new Timeline("OperatorJoinTest");

    @Test
    void theOperatorTakesARunningCClusterOverWithEveryFileKeepingItsId() throws Exception {
        try (MixedGroup c = new MixedGroup(dir, "operator-join"); KubeApp app = new KubeApp(SERVICE)) {
            // 1. the running C cluster: a C tracker, a C storage, its files
            c.startCTracker("");
            String cStorage = c.address(2);
            c.startC(cStorage, "");
            Map<String, byte[]> files = new ConcurrentHashMap<>();
            try (var viaC = c.client()) {
                MixedGroup.awaitActive(viaC, List.of(cStorage));
                MixedGroup.seed(viaC, files, List.of(cStorage), FILES);
            }
            step("C cluster: tracker " + c.tracker() + ", storage " + cStorage + ", " + files.size() + " files");

            // 2. the operator joins it; a group's members must agree on their data directories (the trackers
            // refuse a join with another subdir_count_per_path than the group's), so the pods take the C one's
            kube.apply(Path.of("src/test/resources/kube/cluster.yaml"), o -> {
                if (o instanceof FdfsCluster f) {
                    f.getSpec().join = new JoinSpec();
                    f.getSpec().join.trackers = List.of(c.tracker());
                    f.getSpec().storageDefaults.config.put("subdir_count_per_path", "4");
                }
            });

            // 3. group1's pods join the C group and full-sync from the C storage
            StorageGroup g = awaitGroup("files-group1", 2, 180);
            step("files-group1 Ready: " + g.getStatus());
            List<String> pods = podIps(g);
            for (StorageGroupStatus.Member m : g.getStatus().members) {
                assertEquals("ACTIVE", m.state, m.pod);
                assertEquals(m.ip, m.storageId, m.pod + " known by its pod IP (IP mode)");
            }
            MixedGroup.awaitAll(app.client, files, pods, "every C file on both pods");
            step("every C file on both pods " + pods);
            FdfsClusterStatus cs = awaitClusterReady();
            String trackerPod = cs.trackers.get(0).ip + ":22122";
            step("FdfsCluster Ready: " + cs + "; leader per tracker: "
                    + leaders(app, List.of(trackerPod, c.tracker())));
            assertEquals("1/1", cs.groupsReady);
            assertTrue(Set.of(trackerPod, c.tracker()).contains(cs.leader), "the leader " + cs.leader
                    + " is the operator's tracker or the C tracker");

            // 4. the C storage retires (docs/migration.md step 6): stopped, deleted on every tracker
            List<TrackerClient> trackers = List.of(only(app, trackerPod), only(app, c.tracker()));
            c.retireC(cStorage, trackers);
            step("C storage stopped and deleted on " + trackerPod + " and " + c.tracker());
            for (TrackerClient t : trackers) {
                Map<String, String> listed = storages(t);
                step("group1 on " + t.trackers() + ": " + listed);
                assertEquals(Set.copyOf(pods), serving(listed), "group1 on " + t.trackers() + ": " + listed);
            }
            List<String> unreadable = MixedGroup.unreadable(app.client, files);
            assertEquals(List.of(), unreadable.stream().limit(10).toList(), unreadable.size() + " of " + files.size()
                    + " files not read through " + SERVICE + " after the C storage left");
            step("all " + files.size() + " files read through the Service by their original IDs");

            // the C tracker stops; join.trackers emptied: the pods' storage.conf changes and they roll
            c.stopC(c.tracker());
            step("C tracker stopped");
            kube.client.resources(FdfsCluster.class).inNamespace(NS).withName("files").edit(f -> {
                f.getSpec().join.trackers = List.of();
                return f;
            });
            Set<String> seen = new LinkedHashSet<>();
            g = eventually(() -> {
                StorageGroup now = group("files-group1");
                if (seen.add(now.getStatus().toString())) {
                    step("  " + now.getStatus());
                }
                return now;
            }, now -> ready(now.getStatus().conditions) && now.getStatus().members.size() == 2
                    && now.getStatus().members.stream().allMatch(m -> m.updated && m.ip != null && !pods.contains(m.ip)),
                    Duration.ofSeconds(120), "both pods rolled (new IPs) and the group Ready again");
            List<String> rolled = podIps(g);
            step("rolled: " + pods + " -> " + rolled);
            String conf = kube.client.configMaps().inNamespace(NS).withName(Names.groupConfig(g)).get().getData()
                    .get(Names.STORAGE_CONF);
            assertFalse(conf.contains(c.tracker()), "storage.conf still names the C tracker:\n" + conf);
            Map<String, String> listed = storages(only(app, trackerPod));
            step("group1 on the operator's tracker: " + listed);
            assertEquals(Set.copyOf(rolled), serving(listed), "group1 on the operator's tracker: " + listed);
            unreadable = MixedGroup.unreadable(app.client, files);
            assertEquals(List.of(), unreadable.stream().limit(10).toList(), unreadable.size() + " of " + files.size()
                    + " files not read through " + SERVICE + " after the roll");
            MixedGroup.awaitAll(app.client, files, rolled, "every file on both rolled pods");
            cs = awaitClusterReady();
            step("all files served and on both rolled pods; FdfsCluster: " + cs);
            assertEquals(trackerPod, cs.leader, "the operator's tracker leads once the C tracker is gone");
        } finally {
            timeline.print();
        }
    }

    private FdfsClusterStatus awaitClusterReady() throws Exception {
        return eventually(this::cluster, x -> x.getStatus() != null && ready(x.getStatus().conditions),
                Duration.ofSeconds(60), "the FdfsCluster Ready").getStatus();
    }

    private static List<String> podIps(StorageGroup g) {
        return g.getStatus().members.stream().map(m -> m.ip).toList();
    }

    private static TrackerClient only(KubeApp app, String tracker) {
        return app.client.tracker().only(HostPort.parse(tracker, 22122));
    }

    /** group1's storages as {@code t} lists them: IP -> status. */
    private static Map<String, String> storages(TrackerClient t) {
        Map<String, String> listed = new TreeMap<>();
        t.listStorages("group1", null).forEach(s -> listed.put(s.ip(), StorageStatus.name(s.status())));
        return listed;
    }

    /**
     * The storages listed that are still members: not the records a deletion leaves (a C tracker keeps them,
     * DELETED; kfdfs drops them) or an address change (IP_CHANGED, kept by both).
     */
    private static Set<String> serving(Map<String, String> listed) {
        Set<String> serving = new TreeSet<>(listed.keySet());
        listed.forEach((ip, status) -> {
            if (status.equals(StorageStatus.name(StorageStatus.DELETED))
                    || status.equals(StorageStatus.name(StorageStatus.IP_CHANGED))) {
                serving.remove(ip);
            }
        });
        return serving;
    }

    /** Whom each tracker names as the leader. */
    private static String leaders(KubeApp app, List<String> trackers) {
        List<String> named = new ArrayList<>();
        for (String t : trackers) {
            String leader;
            try {
                leader = only(app, t).leader().toString();
            } catch (RuntimeException e) {
                leader = e.getMessage();
            }
            named.add(t + " -> " + leader);
        }
        return String.join(", ", named);
    }

    private void step(String what) {
        timeline.step(what);
    }
}
