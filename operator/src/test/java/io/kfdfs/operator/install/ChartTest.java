package io.kfdfs.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.ConfFiles;
import io.kfdfs.operator.model.Release;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.kfdfs.operator.install.Manifests.ofKind;
import static io.kfdfs.operator.install.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both charts through Helm's own lint and template: the objects they render, with the defaults and with the
 * production-like values of each chart's ci/ folder, and the values their schemas refuse. (That the RBAC
 * rules are exactly what the operator does: {@link RbacTest}.)
 */
class ChartTest {

    /** The operator's peak RSS (VmHWM) in make image-test, with one cluster and the chart's 256Mi limit. */
    static final long OPERATOR_PEAK_RSS_MIB = 130;

    private static final Release RELEASE = Release.current();
    private static final Path OPERATOR_PRODUCTION = Charts.OPERATOR.resolve("ci/production-values.yaml");
    private static final Path CLUSTER_PRODUCTION = Charts.CLUSTER.resolve("ci/production-values.yaml");

    private static Container operatorContainer(List<Manifests.Doc> docs) {
        Deployment d = (Deployment) one(docs, "Deployment").object();
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValueFrom() != null ? "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath() : e.getValue());
        }
        return env;
    }

    private static JsonNode chartYaml(Path chart) throws IOException {
        return new YAMLMapper().readTree(chart.resolve("Chart.yaml").toFile());
    }

    @Test
    void bothChartsLintWithoutWarnings() {
        for (Path chart : List.of(Charts.OPERATOR, Charts.CLUSTER)) {
            LintResult lint = new Helm(chart).lint().strict().call();
            assertFalse(lint.isFailed(), chart + ": " + lint.getMessages());
            assertTrue(lint.getMessages().stream().allMatch(m -> m.startsWith("[INFO]")), chart + ": " + lint.getMessages());
        }
    }

    @Test
    void theChartsAreOfThisReleaseAndItsImages() throws IOException {
        for (Path chart : List.of(Charts.OPERATOR, Charts.CLUSTER)) {
            JsonNode meta = chartYaml(chart);
            assertEquals(RELEASE.version(), meta.get("version").asText(), chart + " version: the parent pom's version");
            assertEquals(RELEASE.version(), meta.get("appVersion").asText(), chart + " appVersion: the parent pom's version");
        }
        Container c = operatorContainer(Charts.render(Charts.OPERATOR));
        assertEquals(RELEASE.operatorImage(), c.getImage(), "the operator image is the parent pom's kfdfs.image.registry and tag");
        assertEquals(RELEASE.trackerImage(), env(c).get("KFDFS_TRACKER_IMAGE"));
        assertEquals(RELEASE.storageImage(), env(c).get("KFDFS_STORAGE_IMAGE"));
    }

    @Test
    void defaultsWatchEveryNamespaceWithAClusterRoleAndOneReplicaWithoutLeaderElection() {
        List<Manifests.Doc> docs = Charts.render(Charts.OPERATOR);
        Deployment d = (Deployment) one(docs, "Deployment").object();
        assertEquals(1, d.getSpec().getReplicas());
        Container c = operatorContainer(docs);
        Map<String, String> env = env(c);
        assertEquals("", env.get("KFDFS_WATCH_NAMESPACES"));
        assertEquals("false", env.get("KFDFS_LEADER_ELECTION"));
        assertEquals("cluster.local", env.get("KFDFS_CLUSTER_DOMAIN"));
        assertEquals("fieldRef:metadata.name", env.get("POD_NAME"));
        assertEquals("fieldRef:metadata.namespace", env.get("POD_NAMESPACE"));
        assertEquals("fieldRef:status.podIP", env.get("POD_IP"));
        assertEquals(8080, c.getPorts().get(0).getContainerPort());
        assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", c.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertEquals(10001L, d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());
        assertTrue(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        long limitMib = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue() >> 20;
        assertTrue(limitMib >= OPERATOR_PEAK_RSS_MIB * 3 / 2, "memory limit " + limitMib + " MiB: less than 1.5 x the peak RSS");

        ClusterRole role = (ClusterRole) one(docs, "ClusterRole").object();
        ClusterRoleBinding binding = (ClusterRoleBinding) one(docs, "ClusterRoleBinding").object();
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        Subject subject = binding.getSubjects().get(0);
        assertEquals(d.getSpec().getTemplate().getSpec().getServiceAccountName(), subject.getName());
        assertEquals(Charts.NAMESPACE, subject.getNamespace());
        assertEquals(subject.getName(), one(docs, "ServiceAccount").name());
        assertTrue(ofKind(docs, "Role").isEmpty(), "no Lease without leader election");
        for (String optional : List.of("ServiceMonitor", "PodMonitor", "NetworkPolicy")) {
            assertTrue(ofKind(docs, optional).isEmpty(), optional + " is off by default");
        }
    }

    @Test
    void productionValuesWatchTheirNamespacesWithRolesAndElectALeader() {
        List<Manifests.Doc> docs = Charts.render(Charts.OPERATOR, OPERATOR_PRODUCTION, Map.of());
        Container c = operatorContainer(docs);
        Map<String, String> env = env(c);
        assertEquals("registry.example.com/kfdfs/kfdfs-operator:1.0.0", c.getImage());
        assertEquals("registry.example.com/kfdfs/kfdfs-tracker:1.0.0", env.get("KFDFS_TRACKER_IMAGE"));
        assertEquals("registry.example.com/kfdfs/kfdfs-storage:1.0.0", env.get("KFDFS_STORAGE_IMAGE"));
        assertEquals("files-a,files-b", env.get("KFDFS_WATCH_NAMESPACES"));
        assertEquals("true", env.get("KFDFS_LEADER_ELECTION"), "leader election: auto with 2 replicas");
        assertEquals("-Xlog:gc:stderr", env.get("JAVA_OPTS_APPEND"));
        assertTrue(ofKind(docs, "ClusterRole").isEmpty(), "namespaced: no ClusterRole");

        Set<String> clusterWide = Permissions.of(((ClusterRole) one(Charts.render(Charts.OPERATOR), "ClusterRole").object()).getRules());
        Map<String, Set<String>> byNamespace = ofKind(docs, "Role").stream().map(r -> (Role) r.object())
                .collect(Collectors.toMap(r -> r.getMetadata().getNamespace(), r -> Permissions.of(r.getRules())));
        assertEquals(Set.of("files-a", "files-b", Charts.NAMESPACE), byNamespace.keySet());
        assertEquals(clusterWide, byNamespace.get("files-a"), "the same rules as the ClusterRole");
        assertEquals(clusterWide, byNamespace.get("files-b"));
        assertEquals(Set.of("coordination.k8s.io leases get", "coordination.k8s.io leases create",
                "coordination.k8s.io leases update", "coordination.k8s.io leases patch"), byNamespace.get(Charts.NAMESPACE),
                "the Lease, in the operator's namespace only");
        for (Manifests.Doc b : ofKind(docs, "RoleBinding")) {
            RoleBinding binding = (RoleBinding) b.object();
            assertEquals(binding.getMetadata().getName(), binding.getRoleRef().getName());
            assertEquals(Charts.NAMESPACE, binding.getSubjects().get(0).getNamespace());
        }

        JsonNode monitor = one(docs, "PodMonitor").raw();
        assertEquals("[\"files-a\",\"files-b\"]", monitor.at("/spec/namespaceSelector/matchNames").toString());
        assertEquals("15s", monitor.at("/spec/podMetricsEndpoints/0/interval").asText());
        assertEquals("prometheus", one(docs, "ServiceMonitor").raw().at("/metadata/labels/release").asText());
        assertEquals(one(docs, "Service").raw().at("/spec/selector"), one(docs, "ServiceMonitor").raw().at("/spec/selector/matchLabels"));
    }

    @Test
    void theNetworkPolicyAdmitsTheProtocolPortsOnlyFromTheClusterTheOperatorAndClients() {
        List<Manifests.Doc> docs = Charts.render(Charts.OPERATOR, OPERATOR_PRODUCTION, Map.of());
        Deployment operator = (Deployment) one(docs, "Deployment").object();
        Map<String, String> operatorPod = operator.getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicy> policies = ofKind(docs, "NetworkPolicy").stream().map(p -> (NetworkPolicy) p.object()).toList();
        assertEquals(List.of("files-a", "files-b"), policies.stream().map(p -> p.getMetadata().getNamespace()).toList());
        for (NetworkPolicy p : policies) {
            assertEquals(Map.of("app.kubernetes.io/name", "kfdfs", "app.kubernetes.io/managed-by", "kfdfs-operator"),
                    p.getSpec().getPodSelector().getMatchLabels(), "every tracker and storage the operator made");
            assertEquals(List.of("Ingress"), p.getSpec().getPolicyTypes());
            var protocol = p.getSpec().getIngress().get(0);
            assertEquals("fdfs", protocol.getPorts().get(0).getPort().getStrVal(), "the tracker's and the storage's port");
            List<NetworkPolicyPeer> from = protocol.getFrom();
            assertEquals(3, from.size(), from.toString());
            assertEquals(p.getSpec().getPodSelector(), from.get(0).getPodSelector(), "the kfdfs pods of the namespace");
            assertNull(from.get(0).getNamespaceSelector());
            assertEquals(Map.of("kubernetes.io/metadata.name", Charts.NAMESPACE), from.get(1).getNamespaceSelector().getMatchLabels());
            assertTrue(operatorPod.entrySet().containsAll(from.get(1).getPodSelector().getMatchLabels().entrySet()),
                    "the operator's pods: " + from.get(1).getPodSelector());
            assertEquals(Map.of("files.example.com/client", "yes"), from.get(2).getPodSelector().getMatchLabels());
            assertTrue(from.get(2).getNamespaceSelector().getMatchLabels() == null
                    || from.get(2).getNamespaceSelector().getMatchLabels().isEmpty(), "clients from any namespace");
            var http = p.getSpec().getIngress().get(1);
            assertEquals("http", http.getPorts().get(0).getPort().getStrVal());
            assertEquals(2, http.getFrom().size(), "httpFrom: the ingress controller's and Prometheus's namespaces");
        }
        NetworkPolicy alone = (NetworkPolicy) one(Charts.render(Charts.OPERATOR, null, Map.of("networkPolicy.enabled", true)),
                "NetworkPolicy").object();
        assertEquals(Charts.NAMESPACE, alone.getMetadata().getNamespace(), "watching every namespace: the release's");
        assertTrue(alone.getSpec().getIngress().get(1).getFrom().isEmpty(), "HTTP from everywhere by default");
        assertEquals(Map.of("kfdfs.io/client", "true"),
                alone.getSpec().getIngress().get(0).getFrom().get(2).getPodSelector().getMatchLabels());
    }

    @Test
    void theCrdsAreThoseOfCrdsKeptOnUninstallAndUpgradedWithTheChart() throws IOException {
        List<Manifests.Doc> rendered = ofKind(Charts.render(Charts.OPERATOR), "CustomResourceDefinition");
        List<Path> files;
        try (Stream<Path> s = Files.list(CrdSchemas.CRDS)) {
            files = s.sorted().toList();
        }
        assertEquals(files.size(), rendered.size());
        for (Path file : files) {
            CustomResourceDefinition expected = one(Manifests.parse(Files.readString(file)), "CustomResourceDefinition")
                    .as(CustomResourceDefinition.class);
            CustomResourceDefinition crd = rendered.stream().filter(d -> d.name().equals(expected.getMetadata().getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("the chart lacks " + file)).as(CustomResourceDefinition.class);
            assertEquals("keep", crd.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
            assertEquals("kfdfs-operator", crd.getMetadata().getLabels().get("app.kubernetes.io/name"));
            for (CustomResourceDefinition c : List.of(expected, crd)) {
                c.getMetadata().setAnnotations(null);
                c.getMetadata().setLabels(null);
            }
            assertEquals(Manifests.SERIALIZATION.asYaml(expected), Manifests.SERIALIZATION.asYaml(crd), file + ": the chart's CRD differs");
        }
        assertTrue(ofKind(Charts.render(Charts.OPERATOR, null, Map.of("crds.install", false)), "CustomResourceDefinition").isEmpty());
    }

    @Test
    void theOperatorSchemaRefusesBadValues() {
        Map<String, Object> bad = Map.of(
                "replicas", -1,
                "leaderElection", "sometimes",
                "image.pullPolicy", "Sometimes",
                "watch.namespaces[0]", "Files_A",
                "replica", 2,
                "resources.limits.memory", "lots",
                "metrics.podMonitor.interval", "often");
        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            Exception refused = assertThrowsOrNull(() -> Charts.template(Charts.OPERATOR, null, Map.of(e.getKey(), e.getValue())));
            if (refused == null) {
                accepted.add(e.getKey() + "=" + e.getValue());
            } else {
                String leaf = e.getKey().substring(e.getKey().lastIndexOf('.') + 1).replaceAll("\\[.*", "");
                assertTrue(refused.getMessage().contains(leaf), e + ": " + refused.getMessage());
            }
        }
        assertEquals(List.of(), accepted, "values the schema should refuse");
    }

    @Test
    void theClusterChartRendersAClusterAndGroupsThatTheCrdsAndTheOperatorAccept() {
        CrdSchemas crds = new CrdSchemas();
        List<Manifests.Doc> defaults = Charts.render(Charts.CLUSTER);
        FdfsCluster cluster = one(defaults, "FdfsCluster").as(FdfsCluster.class);
        assertEquals(Charts.RELEASE, cluster.getMetadata().getName());
        StorageGroup group = one(defaults, "StorageGroup").as(StorageGroup.class);
        assertEquals(Charts.RELEASE + "-group1", group.getMetadata().getName());
        assertEquals(Charts.RELEASE, group.getSpec().cluster);
        assertEquals("group1", group.getSpec().groupName);
        assertEquals(2, group.getSpec().replicas);

        List<Manifests.Doc> production = Charts.render(Charts.CLUSTER, CLUSTER_PRODUCTION, Map.of());
        for (List<Manifests.Doc> docs : List.of(defaults, production)) {
            for (Manifests.Doc d : docs) {
                assertEquals(List.of(), crds.problems(d));
            }
        }
        cluster = one(production, "FdfsCluster").as(FdfsCluster.class);
        assertEquals("files", cluster.getMetadata().getName());
        assertEquals(3, cluster.getSpec().trackers.replicas);
        assertEquals("files-http-token", cluster.getSpec().http.antiStealSecret.getName());
        assertNull(ConfFiles.trackerConfigProblem(cluster));
        List<StorageGroup> groups = ofKind(production, "StorageGroup").stream().map(d -> d.as(StorageGroup.class)).toList();
        assertEquals(List.of("files-group1", "files-group2"), groups.stream().map(g -> g.getMetadata().getName()).toList());
        for (StorageGroup g : groups) {
            assertEquals("files", g.getSpec().cluster);
            assertEquals(3, g.getSpec().replicas);
            assertNull(ConfFiles.storageConfigProblem(cluster, g), g.getMetadata().getName());
        }
        assertEquals("standard-hdd", groups.get(1).getSpec().storePaths.get(0).storageClassName);
        assertEquals("Retain", groups.get(1).getSpec().pvcRetention.whenScaled);
    }

    @Test
    void theClusterChartRefusesBadGroups(@TempDir Path dir) throws IOException {
        Path twice = dir.resolve("twice.yaml");
        Files.writeString(twice, "groups:\n  - name: Group1\n  - name: group1\n");
        assertTrue(assertThrows(Exception.class, () -> Charts.template(Charts.CLUSTER, twice, Map.of()))
                .getMessage().contains("group1 is listed twice"));
        Path badName = dir.resolve("bad-name.yaml");
        Files.writeString(badName, "groups:\n  - name: group_1\n");
        assertTrue(assertThrows(Exception.class, () -> Charts.template(Charts.CLUSTER, badName, Map.of()))
                .getMessage().contains("name"));
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "groups:\n  - name: group1\n    replica: 3\n");
        assertTrue(assertThrows(Exception.class, () -> Charts.template(Charts.CLUSTER, typo, Map.of()))
                .getMessage().contains("replica"));
        Path none = dir.resolve("none.yaml");
        Files.writeString(none, "groups: []\n");
        assertTrue(assertThrows(Exception.class, () -> Charts.template(Charts.CLUSTER, none, Map.of()))
                .getMessage().contains("groups"));
    }

    /**
     * {@code make chart}: into the folder of {@code -Dkfdfs.chart.package}, the packaged charts and the operator
     * chart rendered with its defaults for {@code kubectl apply} (release kfdfs-operator in kfdfs-system).
     */
    @Test
    @org.junit.jupiter.api.Tag("package")
    void packagesTheChartsWhenAsked() throws IOException {
        String into = System.getProperty("kfdfs.chart.package");
        assertTrue(into != null, "-Dkfdfs.chart.package=<folder> names where make chart packages the charts");
        Path dir = Files.createDirectories(Path.of(into));
        for (Path chart : List.of(Charts.OPERATOR, Charts.CLUSTER)) {
            new Helm(chart).packageIt().withDestination(dir).call();
            Path tgz = dir.resolve(chart.getFileName() + "-" + RELEASE.version() + ".tgz");
            assertTrue(Files.size(tgz) > 0, tgz.toString());
        }
        String manifest = new Helm(Charts.OPERATOR).template().withName("kfdfs-operator").withNamespace(Charts.NAMESPACE).call();
        assertEquals("kfdfs-operator", one(Manifests.parse(manifest), "Deployment").name());
        Files.writeString(dir.resolve("kfdfs-operator.yaml"), manifest);
    }

    private static Exception assertThrowsOrNull(org.junit.jupiter.api.function.Executable e) {
        try {
            e.execute();
            return null;
        } catch (Throwable t) {
            return t instanceof Exception x ? x : new IllegalStateException(t);
        }
    }
}
