package io.kfdfs.e2e.kube;

import io.kfdfs.conf.HostPort;
import io.kfdfs.e2e.Scenario;
import io.kfdfs.e2e.report.Report;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.api.StorageGroupStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The operator end to end on the {@link StandIn}: custom resources applied as kubectl would, pods as
 * processes, status as the trackers report it, every byte checked on every member.
 */
class OperatorEndToEndTest {

    static final String NS = "e2e";
    private StandIn kube;

    @BeforeEach
    void start() throws Exception {
        kube = StandIn.start(Scenario.dir("kube-" + System.nanoTime()));
        kube.startOperator();
    }

    @AfterEach
    void stop() throws Exception {
        if (kube != null) {
            kube.close();
        }
    }

    private StorageGroup group(String name) {
        return kube.client.resources(StorageGroup.class).inNamespace(NS).withName(name).get();
    }

    private static boolean ready(StorageGroup g) {
        return g != null && g.getStatus() != null && g.getStatus().conditions.stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private static List<HostPort> members(StorageGroup g) {
        return g.getStatus().members.stream().map(m -> new HostPort(m.ip, 23000)).toList();
    }

    /** Scenario 1: a cluster applied, Ready with both members ACTIVE, files through the Service on every member. */
    @Test
    void aClusterAppliedServesFilesFromEveryMember() throws Exception {
        long start = System.nanoTime();
        kube.apply(Path.of("src/test/resources/kube/cluster.yaml"));
        StorageGroup g = Scenario.await(Duration.ofSeconds(120), "group1 Ready", () -> group("files-group1"),
                OperatorEndToEndTest::ready);
        long readyMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of("ACTIVE", "ACTIVE"), g.getStatus().members.stream().map(m -> m.state).toList());
        FdfsCluster c = Scenario.await(Duration.ofSeconds(60), "the cluster Ready",
                () -> kube.client.resources(FdfsCluster.class).inNamespace(NS).withName("files").get(),
                x -> x.getStatus() != null && x.getStatus().conditions.stream()
                        .anyMatch(k -> k.getType().equals("Ready") && k.getStatus().equals("True")));
        assertEquals("1/1", c.getStatus().groupsReady);
        int count = Scenario.pick(100, 500);
        try (KubeApp app = new KubeApp("files-tracker." + NS + ".svc.cluster.local:22122")) {
            app.upload(count);
            for (HostPort member : members(g)) {
                List<String> missing = Scenario.await(Duration.ofSeconds(60), "every file on " + member,
                        () -> app.missingOn(member), List::isEmpty);
                assertEquals(List.of(), missing);
            }
        }
        Report.add(new Report.Row("kube 1: apply cluster, " + count + " files", count, count * 2L, 0, 0, 0, 0, 0,
                Duration.ofMillis(readyMs), 0, 0, Report.Result.PASS, "Ready after " + readyMs + " ms; members "
                + g.getStatus().members.stream().map(m -> m.storageId + "@" + m.ip).toList()));
    }
}
