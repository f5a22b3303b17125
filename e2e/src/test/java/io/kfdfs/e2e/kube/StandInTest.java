package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.kfdfs.e2e.Scenario;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * What the operator's end-to-end tests share: a {@link StandIn} with the operator per test (its event log
 * printed at the end, for failures), and reading the cluster "files" and its groups in namespace
 * {@value #NS} as {@code src/test/resources/kube/cluster.yaml} makes them.
 */
abstract class StandInTest {

    static final String NS = "e2e";
    /** The trackers' Service, as an application in the cluster names it. */
    static final String SERVICE = "files-tracker." + NS + ".svc.cluster.local:22122";

    StandIn kube;

    @BeforeEach
    void startStandIn() throws Exception {
        kube = StandIn.start(Scenario.dir("kube-" + System.nanoTime()));
        kube.startOperator();
    }

    @AfterEach
    void stopStandIn() throws Exception {
        if (kube != null) {
            kube.log.entries().forEach(e -> System.out.println("stand-in: " + e));
            kube.close();
        }
    }

    StorageGroup group(String name) {
        return kube.client.resources(StorageGroup.class).inNamespace(NS).withName(name).get();
    }

    FdfsCluster cluster() {
        return kube.client.resources(FdfsCluster.class).inNamespace(NS).withName("files").get();
    }

    static boolean ready(List<Condition> conditions) {
        return conditions.stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /** The group once Ready with {@code members} members in its status. */
    StorageGroup awaitGroup(String name, int members, int seconds) throws Exception {
        return eventually(() -> group(name), g -> g != null && g.getStatus() != null && ready(g.getStatus().conditions)
                && g.getStatus().members.size() == members && g.getStatus().retiring == null,
                Duration.ofSeconds(seconds), name + " Ready with " + members);
    }

    void scale(String name, int replicas) {
        kube.client.resources(StorageGroup.class).inNamespace(NS).withName(name).edit(g -> {
            g.getSpec().replicas = replicas;
            return g;
        });
    }
}
