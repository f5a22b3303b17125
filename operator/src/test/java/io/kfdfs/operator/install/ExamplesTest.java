package io.kfdfs.operator.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kfdfs.operator.Resources;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.ConfFiles;
import io.kfdfs.operator.model.Names;
import io.kfdfs.operator.model.Release;
import io.kfdfs.operator.model.StorageGroupModel;
import io.kfdfs.operator.model.TrackerModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.kfdfs.operator.install.Manifests.ofKind;
import static io.kfdfs.operator.install.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/ as {@code kubectl apply} takes them: every object parses, every custom resource is valid against
 * the CRDs of crds/ (strictly: a misspelt field is an error), and the operator accepts what they ask for.
 */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    private static final CrdSchemas CRDS = new CrdSchemas();

    private static List<Manifests.Doc> example(String name) throws IOException {
        List<Manifests.Doc> docs = Manifests.parse(Files.readString(EXAMPLES.resolve(name)));
        for (Manifests.Doc d : docs) {
            // kubectl apply -n <namespace>: the examples name none, the operator's objects get the CR's
            d.object().getMetadata().setNamespace("examples");
            d.object().getMetadata().setUid("uid-" + d.name());
        }
        return docs;
    }

    private static FdfsCluster cluster(List<Manifests.Doc> docs) {
        Manifests.Doc d = one(docs, "FdfsCluster");
        FdfsCluster c = d.as(FdfsCluster.class);
        c.setMetadata(d.object().getMetadata());
        return c;
    }

    private static List<StorageGroup> groups(List<Manifests.Doc> docs) {
        return ofKind(docs, "StorageGroup").stream().map(d -> {
            StorageGroup g = d.as(StorageGroup.class);
            g.setMetadata(d.object().getMetadata());
            return g;
        }).toList();
    }

    @Test
    void everyExampleParsesAndItsCustomResourcesAreValid() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(List.of("app.yaml", "join.yaml", "minimal.yaml", "production.yaml"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path f : files) {
            List<Manifests.Doc> docs = example(f.getFileName().toString());
            assertFalse(docs.isEmpty(), f.toString());
            for (Manifests.Doc d : docs) {
                if (CRDS.knows(d)) {
                    assertEquals(List.of(), CRDS.problems(d), f.toString());
                } else {
                    assertFalse(d.object() instanceof GenericKubernetesResource, f + ": " + d + " is of no kind fabric8 knows");
                }
            }
        }
    }

    @Test
    void aMisspeltOrOutOfRangeFieldIsCaught() throws IOException {
        Manifests.Doc group = one(example("minimal.yaml"), "StorageGroup");
        Map<String, Consumer<ObjectNode>> bad = Map.of(
                "replica", spec -> spec.put("replica", 2),
                "minimum", spec -> spec.put("replicas", 0),
                "pattern", spec -> spec.put("groupName", "group_1"),
                "whenDeleted", spec -> spec.putObject("pvcRetention").put("whenDeleted", "Keep"));
        bad.forEach((expected, change) -> {
            ObjectNode raw = group.raw().deepCopy();
            change.accept((ObjectNode) raw.get("spec"));
            List<String> problems = CRDS.problems(new Manifests.Doc(raw, group.object()));
            assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + ": " + problems);
        });
    }

    @Test
    void theMinimalClusterIsOneTrackerAndGroup1OfTwo() throws IOException {
        List<Manifests.Doc> docs = example("minimal.yaml");
        FdfsCluster c = cluster(docs);
        assertNull(ConfFiles.trackerConfigProblem(c));
        assertEquals(1, new TrackerModel(c, Resources.DEFAULTS).deployment().getSpec().getReplicas());
        List<StorageGroup> groups = groups(docs);
        assertEquals(1, groups.size());
        StorageGroup g = groups.get(0);
        assertEquals("group1", g.getSpec().groupName);
        assertEquals(c.getMetadata().getName(), g.getSpec().cluster);
        assertNull(ConfFiles.storageConfigProblem(c, g));
        assertEquals(2, new StorageGroupModel(c, g, Resources.DEFAULTS).statefulSet(g.getSpec().replicas).getSpec().getReplicas());
    }

    @Test
    void theJoiningClusterRunsInIpModeAndItsStoragesListTheJoinedTrackers() throws IOException {
        List<Manifests.Doc> docs = example("join.yaml");
        FdfsCluster c = cluster(docs);
        assertNull(ConfFiles.trackerConfigProblem(c));
        assertTrue(ConfFiles.trackerConf(c).contains("use_storage_id = false\n"));
        StorageGroup g = groups(docs).get(0);
        assertNull(ConfFiles.storageConfigProblem(c, g));
        assertTrue(ConfFiles.storageConf(c, g, "cluster.local").contains("tracker_server = 10.0.0.5:22122\n"
                + "tracker_server = 10.0.0.6:22122\n"));
    }

    @Test
    void theProductionClusterSpreadsThreeTrackersAndTwoGroupsOfThreeAndNeedsTheToken() throws IOException {
        List<Manifests.Doc> docs = example("production.yaml");
        FdfsCluster c = cluster(docs);
        assertNull(ConfFiles.trackerConfigProblem(c));
        Deployment trackers = new TrackerModel(c, Resources.DEFAULTS).deployment();
        assertEquals(3, trackers.getSpec().getReplicas());
        assertTrue(new TrackerModel(c, Resources.DEFAULTS).pdb().isPresent());
        PodSpec trackerPod = trackers.getSpec().getTemplate().getSpec();
        assertEquals(trackerPod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0)
                .getLabelSelector().getMatchLabels(), trackers.getSpec().getSelector().getMatchLabels(),
                "the anti-affinity selects the trackers themselves");
        assertEquals("topology.kubernetes.io/zone", trackerPod.getTopologySpreadConstraints().get(0).getTopologyKey());

        List<StorageGroup> groups = groups(docs);
        assertEquals(List.of("group1", "group2"), groups.stream().map(g -> g.getSpec().groupName).toList());
        for (StorageGroup g : groups) {
            assertNull(ConfFiles.storageConfigProblem(c, g), g.getMetadata().getName());
            StatefulSet sts = new StorageGroupModel(c, g, Resources.DEFAULTS).statefulSet(g.getSpec().replicas);
            assertEquals(3, sts.getSpec().getReplicas());
            PodSpec pod = sts.getSpec().getTemplate().getSpec();
            assertEquals(sts.getSpec().getSelector().getMatchLabels().get("kfdfs.io/storage-group"),
                    pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0)
                            .getLabelSelector().getMatchLabels().get("kfdfs.io/storage-group"),
                    "members of one group on different nodes");
            assertEquals("topology.kubernetes.io/zone", pod.getTopologySpreadConstraints().get(0).getTopologyKey(),
                    "the cluster's default spread, kept when the group sets its affinity");
            Container storage = pod.getContainers().get(0);
            assertEquals(new Quantity("192Mi"), storage.getResources().getLimits().get("memory"));
            EnvVar token = storage.getEnv().stream().filter(e -> e.getName().equals("KFDFS_HTTP_ANTI_STEAL_SECRET_KEY"))
                    .findFirst().orElseThrow();
            assertEquals("files-http-token", token.getValueFrom().getSecretKeyRef().getName());
        }
        assertEquals(List.of("fast-ssd", "fast-ssd"), groups.get(0).getSpec().storePaths.stream().map(p -> p.storageClassName).toList());
        assertEquals("standard-hdd", groups.get(1).getSpec().storePaths.get(0).storageClassName);
    }

    @Test
    void theAppUsesTheTrackerServiceOfTheExampleClusterTheReleasesImageAndTheClientLabel() throws IOException {
        FdfsCluster files = cluster(example("minimal.yaml"));
        Deployment app = (Deployment) one(example("app.yaml"), "Deployment").object();
        Container probe = app.getSpec().getTemplate().getSpec().getContainers().get(0);
        files.getMetadata().setNamespace("$(POD_NAMESPACE)");
        assertEquals(Names.trackerServiceHost(files, "cluster.local") + ":" + files.getSpec().trackers.port,
                probe.getEnv().stream().filter(e -> e.getName().equals("TRACKER")).findFirst().orElseThrow().getValue());
        assertEquals(Release.current().storageImage(), probe.getImage(), "the storage image of this release");
        JsonNode clientLabel = new YAMLMapper().readTree(Charts.OPERATOR.resolve("values.yaml").toFile()).at("/networkPolicy/clientLabel");
        assertEquals(clientLabel.get("value").asText(),
                app.getSpec().getTemplate().getMetadata().getLabels().get(clientLabel.get("key").asText()),
                "the chart's NetworkPolicy admits it");
    }
}
