package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.client.FdfsException;
import io.kfdfs.client.TrackerClient;
import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.Scenario;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.report.Report;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.protocol.StorageStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's promises under load on the {@link StandIn} (make e2e): scale-out, rolling update, trackers
 * coming and going, a second group, a killed storage, the cluster deleted. Each reports a row of its figures.
 */
@Tag("long")
class OperatorScenariosTest extends StandInTest {

    /** Each load worker's pause after every operation, where a scenario needs replicas to keep up. */
    static final long PACE_MS = 20;

    private void applyCluster(int replicas) throws Exception {
        kube.apply(Path.of("src/test/resources/kube/cluster.yaml"), o -> {
            if (o instanceof StorageGroup g) {
                g.getSpec().replicas = replicas;
            }
        });
        awaitGroup("files-group1", replicas, 180);
    }

    private static FdfsClient client() {
        return FdfsClient.create(ClientSettings.builder().tracker(SERVICE).connectTimeout(Duration.ofSeconds(5))
                .networkTimeout(Duration.ofSeconds(30)).build());
    }

    /** The members' store folders by FastDFS group, for the ledger's verifier. */
    private Verifier verifier(Ledger ledger, Map<String, Integer> membersByGroup) {
        Map<String, List<Path>> stores = new LinkedHashMap<>();
        membersByGroup.forEach((groupName, count) -> {
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                paths.add(kube.kubelet().claimDir(NS, "store0-files-" + groupName + "-" + i));
            }
            stores.put(groupName, paths);
        });
        return new Verifier(ledger, stores);
    }

    private List<String> storagePods(String group) {
        return kube.client.pods().inNamespace(NS).list().getItems().stream().map(p -> p.getMetadata().getName())
                .filter(n -> n.startsWith("files-" + group + "-")).sorted().toList();
    }

    private Report.Result report(String scenario, Ledger ledger, Verifier.Convergence c, boolean ok, String notes) {
        Verifier.Result r = c.result();
        boolean passed = ok && r.converged() && ledger.corruptReads() == 0;
        Report.add(new Report.Row(scenario, ledger.operations(), r.filesVerified(), ledger.refused(), ledger.unknown(),
                r.lost(), r.corrupt() + ledger.corruptReads(), r.orphans() + r.tempFiles(), r.converged() ? c.elapsed() : null,
                0, 0, passed ? Report.Result.PASS : Report.Result.FAIL, (notes + (passed ? "" : " " + r + "; failures: "
                + ledger.failureSummary() + "; corrupt reads: " + ledger.corruptDetails())).strip()));
        return passed ? Report.Result.PASS : Report.Result.FAIL;
    }

    /** Scenario 2: 2 -> 3 under load; the new member full-syncs, shows syncing then ACTIVE, holds every file. */
    @Test
    void scaleOutUnderLoad() throws Exception {
        applyCluster(2);
        Ledger ledger = new Ledger();
        Set<String> statesOfTheNewMember = new TreeSet<>();
        try (FdfsClient client = client();
             // small files, paced: on 2 cores replicas copy slower than 8 unpaced workers upload, and a group
             // under that load never catches up, so a new member would never count as complete
             LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.SMALL, 2).paced(PACE_MS)) {
            load.start();
            Thread.sleep(5000); // the load runs before, during and after the scale-out: the time is the test
            scale("files-group1", 3);
            eventually(() -> {
                StorageGroup g = group("files-group1");
                g.getStatus().members.stream().filter(m -> m.storageId.equals("100003")).forEach(m -> statesOfTheNewMember.add(m.state));
                return g;
            }, g -> ready(g.getStatus().conditions) && g.getStatus().members.size() == 3, Duration.ofSeconds(240),
                    "3 members Ready");
            Thread.sleep(5000);
            load.stop();
        }
        Verifier.Convergence c = verifier(ledger, Map.of("group1", 3)).awaitConverged(Duration.ofSeconds(60));
        boolean ok = ledger.refused() + ledger.unknown() == 0 && statesOfTheNewMember.contains("ACTIVE");
        assertEquals(Report.Result.PASS, report("kube 2: scale 2 -> 3 under load", ledger, c, ok,
                "states of the new member seen in status: " + statesOfTheNewMember));
    }

    /** Scenario 4: a config change rolls the storages one at a time under load, no acknowledged download fails. */
    @Test
    void aConfigChangeRollsOneStorageAtATime() throws Exception {
        applyCluster(3);
        List<String> pods = storagePods("group1");
        Ledger ledger = new Ledger();
        long start = System.nanoTime();
        try (FdfsClient client = client();
             // uploads and downloads, as the scenario says: the changes a tracker sends elsewhere while a
             // file's source restarts are a finding of the fault suite of their own (docs/e2e.md)
             LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.SMALL.uploadsAndDownloads(), 4)
                     .paced(PACE_MS)) {
            load.start();
            Thread.sleep(3000); // load before and after the rolling update
            kube.client.resources(FdfsCluster.class).inNamespace(NS).withName("files").edit(c -> {
                c.getSpec().storageDefaults.config.put("upload_priority", "5");
                return c;
            });
            eventually(() -> group("files-group1"),
                    g -> ready(g.getStatus().conditions) && g.getStatus().members.stream().allMatch(m -> m.updated)
                            && kube.log.entries().stream().filter(e -> e.what().equals(Kubelet.STOPPING)
                            && pods.contains(e.subject())).count() == pods.size(),
                    Duration.ofSeconds(300), "every member replaced and Ready");
            load.stop();
        }
        long rolledMs = (System.nanoTime() - start) / 1_000_000;
        int mostDown = kube.log.mostDownAtOnce("files-group1-", pods);
        long failedDownloads = ledger.failureSummary().contains("download:") ? 1 : 0;
        Verifier.Convergence c = verifier(ledger, Map.of("group1", 3)).awaitConverged(Duration.ofSeconds(60));
        assertEquals(Report.Result.PASS, report("kube 4: config change rolls 3 storages under load", ledger, c,
                mostDown <= 1 && failedDownloads == 0, "rolled in " + rolledMs + " ms; at most " + mostDown
                        + " member down at once; failures: " + ledger.failureSummary()));
    }

    /** Scenario 5: trackers 1 -> 3 -> 2 found through the headless Service; kill -9 of the leader. */
    @Test
    void trackersComeAndGoAndTheLeaderIsKilled() throws Exception {
        applyCluster(2);
        Ledger ledger = new Ledger();
        String before;
        String after;
        FdfsCluster c;
        try (FdfsClient client = client();
             LoadGenerator load = new LoadGenerator(client, ledger, 4, LoadGenerator.Mix.SMALL, 5)) {
            load.start();
            setTrackers(3);
            awaitTrackers(3, r -> true);
            setTrackers(2);
            c = awaitTrackers(2, r -> r.getStatus().leader != null);
            before = c.getStatus().leader;
            String leaderPod = c.getStatus().trackers.stream().filter(t -> t.leader).findFirst().orElseThrow().pod;
            // kill -9, and its node gone with it: the kubelet would start it again at once, and it might lead again
            kube.kubelet().vanish(NS, List.of(leaderPod));
            eventually(this::cluster, x -> x.getStatus().leader != null && !x.getStatus().leader.equals(before),
                    Duration.ofSeconds(120), "another tracker leading");
            kube.kubelet().restore(NS, List.of(leaderPod));
            FdfsCluster elected = eventually(this::cluster, x -> x.getStatus().leader != null
                            && x.getStatus().trackers.size() == 2
                            && x.getStatus().trackers.stream().allMatch(t -> t.error == null && t.ready),
                    Duration.ofSeconds(120), "a leader, every tracker answering again");
            after = elected.getStatus().leader;
            Thread.sleep(3000); // load after the election
            load.stop();
        }
        long storageRestarts = kube.client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith("files-group1-"))
                .mapToLong(p -> p.getStatus().getContainerStatuses().get(0).getRestartCount()).sum();
        Verifier.Convergence converged = verifier(ledger, Map.of("group1", 2)).awaitConverged(Duration.ofSeconds(60));
        assertEquals(Report.Result.PASS, report("kube 5: trackers 1 -> 3 -> 2, leader killed", ledger, converged,
                storageRestarts == 0, "leader " + before + " then " + after + "; storage restarts " + storageRestarts
                        + "; client failures (while a tracker died): " + ledger.failureSummary()));
        assertEquals(0, storageRestarts, "storages found the trackers without restarting");
    }

    private void setTrackers(int replicas) {
        kube.client.resources(FdfsCluster.class).inNamespace(NS).withName("files").edit(c -> {
            c.getSpec().trackers.replicas = replicas;
            return c;
        });
    }

    /** Every tracker pod answering, each listing both storages ACTIVE (they joined it by themselves). */
    private FdfsCluster awaitTrackers(int count, Predicate<FdfsCluster> also) throws Exception {
        FdfsCluster c = eventually(this::cluster, x -> x.getStatus().trackers.size() == count
                        && x.getStatus().trackers.stream().allMatch(t -> t.error == null && t.ready)
                        && "1/1".equals(x.getStatus().groupsReady) && also.test(x),
                Duration.ofSeconds(180), count + " trackers answering");
        try (FdfsClient client = client()) {
            for (var t : c.getStatus().trackers) {
                TrackerClient one = client.tracker().only(new HostPort(t.ip, 22122));
                eventually(() -> {
                    try {
                        return one.listStorages("group1", null).stream().map(s -> s.id() + "=" + StorageStatus.name(s.status())).toList();
                    } catch (FdfsException e) {
                        return List.of(e.getMessage());
                    }
                }, l -> l.equals(List.of("100001=ACTIVE", "100002=ACTIVE")), Duration.ofSeconds(60),
                        "tracker " + t.pod + " listing both storages ACTIVE");
            }
        }
        return c;
    }

    /** Scenario 6: a second group at run time, uploads spread over both; deleted, its PVCs stay and are named. */
    @Test
    void aSecondGroupComesAndGoes() throws Exception {
        applyCluster(2);
        String trackerPod = kube.client.pods().inNamespace(NS).list().getItems().stream().map(p -> p.getMetadata().getName())
                .filter(n -> n.startsWith("files-tracker")).findFirst().orElseThrow();
        StorageGroup g2 = new StorageGroup();
        g2.getMetadata().setName("files-group2");
        g2.getMetadata().setNamespace(NS);
        g2.getSpec().cluster = "files";
        g2.getSpec().groupName = "group2";
        g2.getSpec().replicas = 2;
        kube.client.resource(g2).create();
        awaitGroup("files-group2", 2, 180);
        Ledger ledger = new Ledger();
        try (FdfsClient client = client();
             LoadGenerator load = new LoadGenerator(client, ledger, 4, LoadGenerator.Mix.SMALL, 6)) {
            load.start();
            Thread.sleep(5000); // 5 s of uploads spread over both groups
            load.stop();
        }
        long inGroup2 = ledger.files().stream().filter(f -> f.fileId().startsWith("group2/")).count();
        Verifier.Convergence c = verifier(ledger, Map.of("group1", 2, "group2", 2)).awaitConverged(Duration.ofSeconds(60));
        boolean sameTracker = kube.client.pods().inNamespace(NS).withName(trackerPod).get() != null;

        kube.client.resource(group("files-group2")).delete();
        eventually(() -> storagePods("group2"), List::isEmpty, Duration.ofSeconds(60), "group2's pods gone");
        List<String> events = eventually(() -> kube.client.v1().events().inNamespace(NS).list().getItems().stream()
                        .filter(e -> e.getReason().equals("VolumesRetained")).map(e -> e.getMessage()).toList(),
                l -> !l.isEmpty(), Duration.ofSeconds(30), "the VolumesRetained event");
        boolean claimsKept = kube.client.persistentVolumeClaims().inNamespace(NS).withName("store0-files-group2-0").get() != null;
        List<String> after = new ArrayList<>();
        try (FdfsClient client = client()) {
            // group2's members stop with a drain (read-only: EACCES) until the trackers see them go
            eventually(() -> {
                after.clear();
                for (int i = 0; i < 10; i++) {
                    try {
                        after.add(client.upload(new byte[] {(byte) i}, "bin"));
                    } catch (FdfsException e) {
                        after.add(e.getMessage());
                    }
                }
                return after;
            }, l -> l.stream().allMatch(id -> id.startsWith("group1/")), Duration.ofSeconds(60),
                    "uploads only to group1 once group2 is gone");
        }
        boolean ok = inGroup2 > 0 && sameTracker && claimsKept && events.get(0).contains("store0-files-group2-0");
        assertEquals(Report.Result.PASS, report("kube 6: a second group added, then deleted", ledger, c, ok,
                inGroup2 + " of " + ledger.files().size() + " files went to group2; tracker not restarted: " + sameTracker
                        + "; after deletion PVCs kept: " + claimsKept + ", event: " + events.get(0)));
    }

    /** Scenario 7: kill -9 of a storage pod during uploads: restarted, nothing acknowledged lost, same PVC. */
    @Test
    void aKilledStorageIsRestartedAndLosesNothing() throws Exception {
        applyCluster(2);
        Path claim = kube.kubelet().claimDir(NS, "store0-files-group1-1");
        Ledger ledger = new Ledger();
        try (FdfsClient client = client();
             // without deletes and metadata changes: changes made while a file's source is down can be undone by
             // its replay when it returns (docs/e2e.md, Findings), which this scenario is not about
             LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.DEFAULT.withoutDeletesAndMetadata(), 7)) {
            load.start();
            Thread.sleep(4000); // load before and after the kill
            kube.kubelet().kill(NS, "files-group1-1");
            eventually(() -> kube.client.pods().inNamespace(NS).withName("files-group1-1").get(),
                    p -> p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1 && Kubelet.isReady(p),
                    Duration.ofSeconds(60), "the killed pod restarted and Ready");
            Thread.sleep(3000);
            load.stop();
        }
        Verifier.Convergence c = verifier(ledger, Map.of("group1", 2)).awaitConverged(Duration.ofSeconds(30));
        boolean sameClaim = claim.equals(kube.kubelet().claimDir(NS, "store0-files-group1-1"))
                && java.nio.file.Files.exists(claim.resolve("data/sync/binlog.000"));
        assertEquals(Report.Result.PASS, report("kube 7: kill -9 of a storage pod under uploads", ledger, c, sameClaim,
                "restarted by the kubelet on the same PVC; failures while it was down: " + ledger.failureSummary()));
    }

    /**
     * Scenario 8: a drain honours the group's PodDisruptionBudget; deleting the FdfsCluster deletes everything
     * it owns, the PVCs stay (whenDeleted: Retain).
     */
    @Test
    void deletingTheClusterKeepsOnlyTheVolumes() throws Exception {
        applyCluster(2);
        // a node drain first: the group's PodDisruptionBudget lets one member go, not the second at once
        assertTrue(kube.evict(NS, "files-group1-0"), "the first eviction is allowed");
        boolean second = kube.evict(NS, "files-group1-1");
        assertTrue(!second, "the second eviction waits for the first member to be back");
        awaitGroup("files-group1", 2, 120);
        kube.client.resource(cluster()).delete();
        eventually(() -> {
            List<HasMetadata> left = new ArrayList<>();
            left.addAll(kube.client.resources(StorageGroup.class).inNamespace(NS).list().getItems());
            left.addAll(kube.client.apps().deployments().inNamespace(NS).list().getItems());
            left.addAll(kube.client.apps().statefulSets().inNamespace(NS).list().getItems());
            left.addAll(kube.client.services().inNamespace(NS).list().getItems());
            left.addAll(kube.client.configMaps().inNamespace(NS).list().getItems());
            left.addAll(kube.client.pods().inNamespace(NS).list().getItems());
            return left.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
        }, List::isEmpty, Duration.ofSeconds(90), "everything the cluster owned gone");
        List<String> claims = kube.client.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        assertEquals(List.of("store0-files-group1-0", "store0-files-group1-1"), claims);
        Report.add(new Report.Row("kube 8: a drain, then the FdfsCluster deleted", 0, 0, 0, 0, 0, 0, 0, null, 0, 0,
                Report.Result.PASS, "the PDB let one member be evicted and refused the second while the first was "
                + "down; then owned objects garbage-collected, PVCs kept: " + claims));
    }

    /**
     * A fault of the stand-in's own: a member's volume is small (a 24 MiB tmpfs) and fills up. Uploads go on
     * to the group's other member or are refused with ENOSPC, never half stored; the group's status shows the
     * member's free space as the trackers report it.
     */
    @Test
    void aFullVolumeIsReportedAndNothingIsHalfStored() throws Exception {
        kube.kubelet().limitClaim(NS, "store0-files-group1-1", 24);
        kube.apply(Path.of("src/test/resources/kube/cluster.yaml"), o -> {
            if (o instanceof FdfsCluster c) {
                c.getSpec().trackers.config.put("reserved_storage_space", "4MB");
            }
        });
        awaitGroup("files-group1", 2, 180);
        Ledger ledger = new Ledger();
        int refused = 0;
        try (FdfsClient client = client()) {
            byte[] mib = new byte[1 << 20];
            new java.util.Random(9).nextBytes(mib);
            for (int i = 0; i < 40; i++) {
                try {
                    ledger.acknowledgedUpload(client.upload(mib, "bin"), mib, Map.of());
                } catch (FdfsException e) {
                    refused++;
                    assertEquals(28, e.status(), "a full group refuses with ENOSPC: " + e.getMessage());
                }
            }
        }
        StorageGroup g = eventually(() -> group("files-group1"), x -> x.getStatus().members.get(1).freeBytes != null
                && x.getStatus().members.get(1).freeBytes < (8L << 20), Duration.ofSeconds(30),
                "the small member's free space in status");
        // the full member cannot take its peer's last files: only nothing lost, corrupt or half written counts
        Verifier.Result r = verifier(ledger, Map.of("group1", 2)).verify();
        long free = g.getStatus().members.get(1).freeBytes >> 20;
        boolean passed = refused > 0 && r.lost() == 0 && r.corrupt() == 0 && r.tempFiles() == 0 && r.orphans() == 0;
        Report.add(new Report.Row("kube 9: a member's volume fills up", 40, r.filesVerified(), refused, 0, r.lost(),
                r.corrupt(), r.orphans() + r.tempFiles(), null, 0, 0, passed ? Report.Result.PASS : Report.Result.FAIL,
                refused + " of 40 uploads of 1 MiB refused with ENOSPC; the full member reported with " + free
                        + " MiB free; " + r.divergent() + " files only on the other member; " + (passed ? "" : r)));
        assertTrue(passed, r.toString());
    }
}
