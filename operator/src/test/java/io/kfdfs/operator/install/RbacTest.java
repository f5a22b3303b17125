package io.kfdfs.operator.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.client.fake.FakeTracker;
import io.kfdfs.conf.HostPort;
import io.kfdfs.operator.MockKube;
import io.kfdfs.operator.OperatorMain;
import io.kfdfs.operator.Resources;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Labels;
import io.kfdfs.operator.model.Names;
import io.kfdfs.operator.model.StorageIdPlan;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StorageStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's RBAC rules are exactly what the operator does. OperatorMain runs against the mock API server,
 * set up as the chart's Deployment sets it up (watched namespaces, leader election), its requests told apart
 * by their User-Agent, through every path that touches the API server ({@link #scenario}); each request is
 * mapped to the verb and resource the API server would authorize it as. The chart's Roles must allow each
 * of them and nothing else.
 */
class RbacTest {

    private static final String AGENT = "kfdfs-operator-under-test";
    private static final String NS = "rbac";
    private static final String IDLE = "rbac-idle";
    private static final String LEASES = "kfdfs-system";
    /** The annotation by which the operator tells an object it made from one changed since. */
    private static final String DESIRED_HASH = "kfdfs.io/desired-hash";

    private static Pod pod(String name, Map<String, String> labels, String revision) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        if (revision != null) {
            all.put(Labels.REVISION, revision);
        }
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(all).endMetadata()
                .withNewStatus().withPodIP("127.0.0.1").addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build();
    }

    private static StorageStat active(int id) {
        return new StorageStat(StorageStatus.ACTIVE, StorageStat.RW_BOTH, String.valueOf(id), "127.0.0.1", "", "6.16.1",
                1, 1, 10240, 9216, 0, 0, 1, 256, 0, Names.STORAGE_PORT, StatBlock.ZERO, false);
    }

    private static void revision(KubernetesClient client, String revision) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("r-g1").get();
        sts.setStatus(new StatefulSetStatusBuilder().withReplicas(2).withReadyReplicas(2).withCurrentRevision("rev1")
                .withUpdateRevision(revision).build());
        client.resource(sts).updateStatus();
    }

    /** The chart's Roles by namespace, rendered for this test's namespaces with leader election. */
    private static Map<String, List<PolicyRule>> chartRoles() {
        Map<String, List<PolicyRule>> roles = new TreeMap<>();
        for (Manifests.Doc d : Manifests.ofKind(Charts.render(Charts.OPERATOR, null,
                Map.of("watch.namespaces[0]", NS, "watch.namespaces[1]", IDLE, "leaderElection", true)), "Role")) {
            Role role = (Role) d.object();
            roles.computeIfAbsent(role.getMetadata().getNamespace(), k -> new ArrayList<>()).addAll(role.getRules());
        }
        return roles;
    }

    /**
     * Answers the SelfSubjectRulesReview with which JOSDK checks, before it takes part in leader election,
     * that it may use Leases, with the rules {@code answer} holds (the CRUD mock cannot answer it).
     */
    private static Dispatcher reviews(Dispatcher crud, AtomicReference<List<PolicyRule>> answer) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (!r.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
                    return crud.dispatch(r);
                }
                SelfSubjectRulesReview review = Manifests.SERIALIZATION.unmarshal(r.getUtf8Body(), SelfSubjectRulesReview.class);
                review.setStatus(new SubjectRulesReviewStatusBuilder().withIncomplete(false).withResourceRules(answer.get().stream()
                        .map(p -> new ResourceRuleBuilder().withApiGroups(p.getApiGroups()).withResources(p.getResources())
                                .withVerbs(p.getVerbs()).build()).toList()).build());
                return new MockResponse().setResponseCode(201).setBody(Manifests.SERIALIZATION.asJson(review));
            }

            @Override
            public void shutdown() {
                crud.shutdown();
            }
        };
    }

    /** The lease rules without {@code verb}. */
    private static List<PolicyRule> without(List<PolicyRule> rules, String verb) {
        return rules.stream().map(r -> new PolicyRuleBuilder(r).withVerbs(r.getVerbs().stream().filter(v -> !v.equals(verb)).toList())
                .build()).toList();
    }

    @Test
    void theChartsRolesAllowExactlyWhatTheOperatorDoes(@TempDir Path dir) throws Exception {
        Map<String, List<PolicyRule>> roles = chartRoles();
        Map<String, Set<String>> used;
        Set<String> checkedFirst = new TreeSet<>();
        AtomicReference<List<PolicyRule>> review = new AtomicReference<>();
        FakeTracker fake = new FakeTracker("group1", new HostPort("127.0.0.1", Names.STORAGE_PORT));
        try (MockKube kube = new MockKube(crud -> reviews(crud, review));
             FakeServer tracker = FakeServer.start(fake);
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(new ConfigBuilder(kube.client.getConfiguration()).withUserAgent("rbac-test").build()).build()) {
            fake.leader("127.0.0.1:" + tracker.port())
                    .groups(List.of(new GroupStat("group1", 10240, 9216, 0, 0, 2, Names.STORAGE_PORT, 2, 2, 0, 1, 256, 0)))
                    .storages(List.of(active(StorageIdPlan.base(0)), active(StorageIdPlan.base(0) + 1)));
            review.set(roles.get(LEASES));
            Process operator = startOperator(kube, dir.resolve("operator.log"));
            try {
                Lease lease = eventually(() -> client.leases().inNamespace(LEASES).withName("kfdfs-operator").get(),
                        Objects::nonNull, Duration.ofSeconds(60),
                        "the operator's Lease (its log: " + dir.resolve("operator.log") + ")");
                assertEquals("rbac-test", lease.getSpec().getHolderIdentity());
                scenario(client, tracker.port());
                eventually(() -> client.leases().inNamespace(LEASES).withName("kfdfs-operator").get().getSpec().getRenewTime(),
                        t -> !t.equals(lease.getSpec().getRenewTime()), Duration.ofSeconds(30), "the Lease renewed");
            } finally {
                // not SIGTERM: with leader election the operator's shutdown hook never ends (JOSDK calls System.exit
                // from it when it stops leading)
                operator.destroyForcibly().waitFor();
            }
            used = byNamespace(kube.takeRequests());
            // A Lease verb the operator did not use must be one JOSDK checks for before leader election
            for (String verb : List.of("get", "create", "update", "patch", "delete", "list", "watch")) {
                String permission = Permissions.of("coordination.k8s.io", "leases", verb);
                if (Permissions.of(roles.get(LEASES)).contains(permission) && !used.get(LEASES).contains(permission)) {
                    review.set(without(roles.get(LEASES), verb));
                    Path log = dir.resolve("operator-without-" + verb + ".log");
                    Process refused = startOperator(kube, log);
                    try {
                        eventually(() -> Files.readString(log), l -> l.contains("No permission to lease resource"),
                                Duration.ofSeconds(30),
                                "the operator refusing to elect a leader without " + verb);
                        checkedFirst.add(permission);
                    } finally {
                        refused.destroyForcibly().waitFor();
                    }
                }
            }
        }

        Map<String, Set<String>> allowed = new TreeMap<>();
        roles.forEach((ns, rules) -> allowed.put(ns, Permissions.of(rules)));
        assertEquals(Set.of(NS, IDLE, LEASES), allowed.keySet(), "a Role per watched namespace and one for the Lease");
        assertTrue(allowed.keySet().containsAll(used.keySet()), "requests outside the chart's namespaces: " + used);
        assertEquals(allowed.get(NS), used.get(NS), "what the operator did in a namespace it watches");
        assertTrue(allowed.get(IDLE).containsAll(used.get(IDLE)), "an idle namespace: " + used.get(IDLE));
        Set<String> leases = new TreeSet<>(used.get(LEASES));
        leases.addAll(checkedFirst);
        assertEquals(allowed.get(LEASES), leases, "leader election");
    }

    /**
     * OperatorMain in a JVM of its own, configured as the chart's Deployment configures it. Not in this JVM:
     * JOSDK ends the process when it stops leading.
     */
    private static Process startOperator(MockKube kube, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                OperatorMain.class.getName());
        pb.environment().putAll(Map.of("KUBERNETES_MASTER", kube.client.getMasterUrl().toString(),
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
                "KUBERNETES_USER_AGENT", AGENT, "KFDFS_WATCH_NAMESPACES", NS + "," + IDLE, "KFDFS_LEADER_ELECTION", "true",
                "POD_NAMESPACE", LEASES, "POD_NAME", "rbac-test", "KFDFS_BIND_ADDR", "127.0.0.1", "KFDFS_HTTP_PORT", "0"));
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Every path that touches the API server: a cluster and a group created, their pods as the controllers
     * would make them, members ACTIVE on a fake tracker, objects changed behind the operator's back and put
     * back, a rolling update that deletes a pod, a group deleted with a volume kept.
     */
    private static void scenario(KubernetesClient client, int trackerPort) throws Exception {
        FdfsCluster c = Resources.cluster(NS, "r");
        c.getMetadata().setUid(null);
        c.getSpec().trackers.port = trackerPort;
        c = client.resource(c).create();
        StorageGroup g = Resources.group(c, "r-g1", "group1", 2);
        g.getMetadata().setUid(null);
        client.resource(g).create();
        eventually(() -> client.apps().statefulSets().inNamespace(NS).withName("r-g1").get(), Objects::nonNull,
                Duration.ofSeconds(30), "the StatefulSet");
        client.resource(pod("r-tracker-0", Labels.trackerSelector(c), null)).create();
        for (int i = 0; i < 2; i++) {
            client.resource(pod("r-g1-" + i, Labels.groupSelector(g), "rev1")).create();
        }
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("store0-r-g1-0").withLabels(Labels.groupSelector(g)).endMetadata().build()).create();
        revision(client, "rev1");
        eventually(() -> client.resources(StorageGroup.class).inNamespace(NS).withName("r-g1").get(),
                x -> x.getStatus() != null && x.getStatus().activeMembers == 2, Duration.ofSeconds(30), "both members ACTIVE");

        List<HasMetadata> owned = List.of(client.configMaps().inNamespace(NS).withName("r-tracker-config").get(),
                client.services().inNamespace(NS).withName("r-tracker").get(),
                client.apps().deployments().inNamespace(NS).withName("r-tracker").get(),
                client.apps().statefulSets().inNamespace(NS).withName("r-g1").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("r-g1").get());
        for (HasMetadata o : owned) {
            o.getMetadata().getAnnotations().put(DESIRED_HASH, "changed by hand");
            client.resource(o).update();
        }
        for (HasMetadata o : owned) {
            eventually(() -> client.resource(o).get().getMetadata().getAnnotations().get(DESIRED_HASH),
                    h -> !h.equals("changed by hand"), Duration.ofSeconds(30),
                    o.getKind() + " " + o.getMetadata().getName() + " put back");
        }

        revision(client, "rev2");
        eventually(() -> client.pods().inNamespace(NS).withName("r-g1-1").get(), Objects::isNull,
                Duration.ofSeconds(30),
                "the outdated member's pod deleted (rolling update)");

        client.resources(StorageGroup.class).inNamespace(NS).withName("r-g1").delete();
        eventually(() -> client.v1().events().inNamespace(NS).list().getItems(),
                l -> l.stream().anyMatch(e -> "VolumesRetained".equals(e.getReason())), Duration.ofSeconds(30), "the VolumesRetained event");
    }

    /** What the operator's own requests needed, by namespace ("" for cluster-wide ones). */
    private static Map<String, Set<String>> byNamespace(List<RecordedRequest> requests) {
        Map<String, Set<String>> used = new HashMap<>();
        List<String> theirs = new ArrayList<>();
        for (RecordedRequest r : requests) {
            if (!AGENT.equals(r.getHeader("User-Agent"))) {
                continue;
            }
            theirs.add(r.getMethod() + " " + r.getPath());
            Permissions.Needed needed = Permissions.of(r.getMethod(), r.getPath());
            if (needed != null) {
                used.computeIfAbsent(Objects.requireNonNullElse(needed.namespace(), ""), k -> new TreeSet<>()).add(needed.permission());
            }
        }
        assertTrue(theirs.size() > 50, "the operator's requests were not recorded: " + theirs);
        return used;
    }
}
