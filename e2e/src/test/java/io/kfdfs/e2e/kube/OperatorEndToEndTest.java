package io.kfdfs.e2e.kube;

import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.Scenario;
import io.kfdfs.e2e.report.Report;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.JoinSpec;
import io.kfdfs.operator.api.StorageGroup;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator end to end on the {@link StandIn}: custom resources applied as kubectl would, pods as
 * processes, status as the trackers report it, every byte checked on every member.
 */
class OperatorEndToEndTest extends StandInTest {

    private boolean claimExists(String name) {
        return kube.client.persistentVolumeClaims().inNamespace(NS).withName(name).get() != null;
    }

    private static List<HostPort> members(StorageGroup g) {
        return g.getStatus().members.stream().map(m -> new HostPort(m.ip, 23000)).toList();
    }

    /** Scenario 1: a cluster applied, Ready with both members ACTIVE, files through the Service on every member. */
    @Test
    void aClusterAppliedServesFilesFromEveryMember() throws Exception {
        long start = System.nanoTime();
        kube.apply(Path.of("src/test/resources/kube/cluster.yaml"));
        StorageGroup g = awaitGroup("files-group1", 2, 120);
        long readyMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("ACTIVE", "ACTIVE"), g.getStatus().members.stream().map(m -> m.state).toList());
        FdfsCluster c = eventually(
                () -> kube.client.resources(FdfsCluster.class).inNamespace(NS).withName("files").get(),
                x -> x.getStatus() != null && ready(x.getStatus().conditions), Duration.ofSeconds(60), "the cluster Ready");
        assertEquals("1/1", c.getStatus().groupsReady);
        int count = Scenario.pick(100, 500);
        try (KubeApp app = new KubeApp(SERVICE)) {
            app.upload(count);
            for (HostPort member : members(g)) {
                List<String> missing = eventually(() -> app.missingOn(member), List::isEmpty, Duration.ofSeconds(60),
                        "every file on " + member);
                assertEquals(List.of(), missing);
            }
        }
        Report.add(new Report.Row("kube 1: apply cluster, " + count + " files", count, count * 2L, 0, 0, 0, 0, 0,
                Duration.ofMillis(readyMs), 0, 0, Report.Result.PASS, "Ready after " + readyMs + " ms; members "
                + g.getStatus().members.stream().map(m -> m.storageId + "@" + m.ip).toList()));
    }

    /**
     * Scenario 3: scale-in retires first. 3 -> 2: the leaving member retires, no file is lost, its PVC is
     * deleted (whenScaled: Delete) and no tracker lists it. 2 -> 1 while the remaining peer is behind (paused
     * while the leaving one took uploads): refused with a condition naming what it waits for, the
     * StatefulSet left as it is; done once the peer has caught up.
     */
    @Test
    void scaleInRetiresTheLeavingMemberFirstAndWaitsForItsPeers() throws Exception {
        kube.apply(Path.of("src/test/resources/kube/cluster.yaml"), o -> {
            if (o instanceof StorageGroup g) {
                g.getSpec().replicas = 3;
            }
        });
        StorageGroup g = awaitGroup("files-group1", 3, 180);
        List<HostPort> all = members(g);
        int count = Scenario.pick(60, 300);
        try (KubeApp app = new KubeApp(SERVICE)) {
            app.upload(count);
            long t0 = System.nanoTime();
            scale("files-group1", 2);
            g = awaitGroup("files-group1", 2, 120);
            long scaledIn = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(List.of("100001", "100002"), g.getStatus().members.stream().map(m -> m.storageId).toList());
            eventually(() -> claimExists("store0-files-group1-2"), exists -> !exists, Duration.ofSeconds(30),
                    "the leaving member's PVC deleted");
            for (HostPort member : all.subList(0, 2)) {
                assertEquals(List.of(), app.missingOn(member), "every file on " + member);
            }
            assertTrue(app.client.tracker().listStorages("group1", null).stream().noneMatch(s -> s.id().equals("100003")),
                    "no tracker lists the retired member");

            // member 0 falls behind: paused while member 1 takes uploads of its own
            kube.kubelet().pause(NS, "files-group1-0");
            List<String> late = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    byte[] data = ("late " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    String id = app.client.storage().upload(all.get(1), 0, "txt", io.kfdfs.client.Content.of(data));
                    app.files.put(id, KubeApp.sha256(data));
                    late.add(id);
                }
                scale("files-group1", 1);
                StorageGroup waiting = eventually(() -> group("files-group1"), x -> x.getStatus().retiring != null
                                && x.getStatus().retiring.waitingFor != null
                                && x.getStatus().retiring.waitingFor.contains("its peers to receive all its changes"),
                        Duration.ofSeconds(60), "the scale-in held with its reason");
                assertTrue(condition(waiting, "Progressing").contains("ScalingIn"), condition(waiting, "Progressing"));
                Thread.sleep(3000); // 3 s of reconciling: the StatefulSet must stay as it is, not come to be
                assertEquals(2, kube.client.apps().statefulSets().inNamespace(NS).withName("files-group1").get()
                        .getSpec().getReplicas(), "the StatefulSet stays while the last copy is elsewhere");
            } finally {
                kube.kubelet().resume(NS, "files-group1-0");
            }
            g = awaitGroup("files-group1", 1, 120);
            assertEquals(List.of(), app.missingOn(all.get(0)), "every file, the late ones too, on the member left");
            Report.add(new Report.Row("kube 3: scale-in 3 -> 2 -> 1 (peer behind)", count + late.size(), app.files.size(),
                    0, 0, 0, 0, 0, Duration.ofMillis(scaledIn), 0, 0, Report.Result.PASS,
                    "3 -> 2 in " + scaledIn + " ms; 2 -> 1 held while member 0 was paused, then done"));
        }
    }

    /**
     * A cluster in IP mode (what joining a C cluster without storage IDs gives; here it joins none): members
     * are known by their pod IPs, 3 -> 2 retires the highest ordinal by its IP, no file is lost and no
     * tracker lists it afterwards.
     */
    @Test
    void inIpModeMembersAreKnownByTheirPodIpsAndScaleInRetiresByIp() throws Exception {
        kube.apply(Path.of("src/test/resources/kube/cluster.yaml"), o -> {
            if (o instanceof FdfsCluster f) {
                f.getSpec().join = new JoinSpec();
            } else if (o instanceof StorageGroup g) {
                g.getSpec().replicas = 3;
            }
        });
        StorageGroup g = awaitGroup("files-group1", 3, 180);
        assertEquals(g.getStatus().members.stream().map(m -> m.ip).toList(),
                g.getStatus().members.stream().map(m -> m.storageId).toList(), "IP mode: a member's ID is its pod's IP");
        List<HostPort> all = members(g);
        String leaving = g.getStatus().members.get(2).ip;
        int count = Scenario.pick(40, 200);
        try (KubeApp app = new KubeApp(SERVICE)) {
            app.upload(count);
            scale("files-group1", 2);
            g = awaitGroup("files-group1", 2, 120);
            assertEquals(all.subList(0, 2).stream().map(HostPort::host).toList(),
                    g.getStatus().members.stream().map(m -> m.storageId).toList());
            for (HostPort member : all.subList(0, 2)) {
                assertEquals(List.of(), app.missingOn(member), "every file on " + member);
            }
            assertTrue(app.client.tracker().listStorages("group1", null).stream().noneMatch(s -> s.id().equals(leaving)),
                    "no tracker lists the retired member " + leaving);
            Report.add(new Report.Row("kube 3b: IP mode, scale-in 3 -> 2", count, count * 2L, 0, 0, 0, 0, 0,
                    Duration.ZERO, 0, 0, Report.Result.PASS, "retired " + leaving + " by its IP"));
        }
    }

    private static String condition(StorageGroup g, String type) {
        return g.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).orElse("(none)");
    }
}
