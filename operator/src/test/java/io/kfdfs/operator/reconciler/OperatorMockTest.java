package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kfdfs.operator.MockKube;
import io.kfdfs.operator.OperatorSettings;
import io.kfdfs.operator.Resources;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.JoinSpec;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Labels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator against the mock API server with no pods behind its objects: what it creates, how it says
 * what is wrong, what pausing does. Each test has a namespace of its own. (Pods, trackers and storages as
 * real processes: the e2e module's Kubernetes stand-in.)
 */
class OperatorMockTest {

    private static MockKube kube;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        kube = new MockKube().startOperator(new OperatorSettings(List.of(), false, "kfdfs-system", "test", "127.0.0.1", 0,
                Resources.DEFAULTS));
        client = kube.client;
    }

    @AfterAll
    static void stop() {
        kube.close();
    }

    private static FdfsCluster create(FdfsCluster c) {
        c.getMetadata().setUid(null);
        return client.resource(c).create();
    }

    private static StorageGroup create(StorageGroup g) {
        g.getMetadata().setUid(null);
        return client.resource(g).create();
    }

    private static StorageGroup group(String ns, String name) {
        return client.resources(StorageGroup.class).inNamespace(ns).withName(name).get();
    }

    private static FdfsCluster cluster(String ns, String name) {
        return client.resources(FdfsCluster.class).inNamespace(ns).withName(name).get();
    }

    /**
     * Changes a spec as {@code kubectl edit} does: a patch of what changed. The patch carries the
     * resourceVersion it was made from, so a status the operator wrote in between fails it (409); it is
     * then made again from the object as it is now, as a user would edit again.
     */
    private static void editGroup(String ns, String name, Consumer<StorageGroup> change) {
        edit(() -> client.resources(StorageGroup.class).inNamespace(ns).withName(name).edit(g -> {
            change.accept(g);
            return g;
        }));
    }

    private static void editCluster(String ns, String name, Consumer<FdfsCluster> change) {
        edit(() -> client.resources(FdfsCluster.class).inNamespace(ns).withName(name).edit(c -> {
            change.accept(c);
            return c;
        }));
    }

    private static void edit(Runnable patch) {
        for (int attempt = 1; ; attempt++) {
            try {
                patch.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static String condition(HasMetadata o, String type) {
        List<io.fabric8.kubernetes.api.model.Condition> conditions = o instanceof StorageGroup g
                ? (g.getStatus() == null ? List.of() : g.getStatus().conditions)
                : ((FdfsCluster) o).getStatus() == null ? List.of() : ((FdfsCluster) o).getStatus().conditions;
        return conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).orElse(null);
    }

    private static List<String> events(String ns, String name) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(name))
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    @Test
    void createsTheTrackersAndTheGroupWithOwnersAndStorageIds() throws Exception {
        String ns = "create";
        FdfsCluster c = create(Resources.cluster(ns, "files"));
        StorageGroup g = create(Resources.group(c, "files-g1", "group1", 2));
        Deployment d = eventually(() -> client.apps().deployments().inNamespace(ns).withName("files-tracker").get(),
                Objects::nonNull, Duration.ofSeconds(20), "the tracker Deployment");
        assertEquals(c.getMetadata().getUid(), d.getMetadata().getOwnerReferences().get(0).getUid());
        for (String svc : List.of("files-tracker", "files-tracker-headless", "files-g1")) {
            eventually(() -> client.services().inNamespace(ns).withName(svc).get(), Objects::nonNull,
                    Duration.ofSeconds(20), "Service " + svc);
        }
        StatefulSet sts = eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("files-g1").get(),
                Objects::nonNull, Duration.ofSeconds(20), "the group's StatefulSet");
        assertEquals(2, sts.getSpec().getReplicas());
        assertEquals(g.getMetadata().getUid(), sts.getMetadata().getOwnerReferences().get(0).getUid());
        ConfigMap ids = eventually(() -> client.configMaps().inNamespace(ns).withName("files-storage-ids").get(),
                m -> m != null && m.getData().get("storage_ids.conf").contains("100002"), Duration.ofSeconds(20), "storage_ids.conf");
        assertTrue(ids.getData().get("storage_ids.conf").contains(
                "100001 group1 files-g1-0.files-g1.create.svc.cluster.local:23000\n"
                        + "100002 group1 files-g1-1.files-g1.create.svc.cluster.local:23000\n"), ids.getData().toString());
        StorageGroup seen = eventually(() -> group(ns, "files-g1"), x -> x.getStatus() != null
                && Integer.valueOf(100001).equals(x.getStatus().storageIdBase), Duration.ofSeconds(20), "the group's storage IDs in its status");
        assertTrue(seen.getMetadata().getOwnerReferences().stream().anyMatch(r -> r.getUid().equals(c.getMetadata().getUid())),
                "deleting the cluster deletes its groups");
        assertEquals(1L, seen.getStatus().observedGeneration);
        assertTrue(condition(seen, "Ready").startsWith("False"), condition(seen, "Ready"));
        assertTrue(condition(seen, "Degraded").contains("TrackersUnreachable"), condition(seen, "Degraded"));
        FdfsCluster cs = eventually(() -> cluster(ns, "files"),
                x -> x.getStatus() != null && x.getStatus().trackersReady != null,
                Duration.ofSeconds(20), "cluster status");
        assertEquals(0, cs.getStatus().storageIdBlocks.get("group1"));
        assertTrue(condition(cs, "Ready").startsWith("False TrackersNotReady"), condition(cs, "Ready"));
        assertEquals("0/1", cs.getStatus().trackersReady);

        StorageGroup g2 = create(Resources.group(c, "files-g2", "group2", 1));
        eventually(() -> client.configMaps().inNamespace(ns).withName("files-storage-ids").get().getData().get("storage_ids.conf"),
                t -> t.contains("100101 group2 files-g2-0.files-g2.create.svc.cluster.local:23000"), Duration.ofSeconds(20), "group2 listed");
        assertEquals(1, eventually(() -> cluster(ns, "files"), x -> x.getStatus().storageIdBlocks.size() == 2,
                Duration.ofSeconds(20), "two blocks")
                .getStatus().storageIdBlocks.get("group2"));
        assertEquals(g2.getMetadata().getName(), "files-g2");
    }

    @Test
    void aClusterThatJoinsAnIpModeClusterMakesItsGroupWithoutStorageIds() throws Exception {
        String ns = "join-ip";
        FdfsCluster c = Resources.cluster(ns, "moved");
        c.getSpec().join = new JoinSpec();
        c.getSpec().join.trackers = List.of("10.0.0.5:22122");
        create(c);
        create(Resources.group(c, "moved-g1", "group1", 2));
        StatefulSet sts = eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("moved-g1").get(),
                Objects::nonNull, Duration.ofSeconds(20), "the group's StatefulSet, with no storage IDs to wait for");
        assertEquals(2, sts.getSpec().getReplicas());
        String storageConf = client.configMaps().inNamespace(ns).withName("moved-g1-config").get().getData().get("storage.conf");
        assertTrue(storageConf.contains("tracker_server = moved-tracker-headless.join-ip.svc.cluster.local:22122\n"
                + "tracker_server = 10.0.0.5:22122\n"), storageConf);
        String trackerConf = eventually(() -> client.configMaps().inNamespace(ns).withName("moved-tracker-config").get(),
                Objects::nonNull, Duration.ofSeconds(20), "tracker.conf").getData().get("tracker.conf");
        assertTrue(trackerConf.contains("use_storage_id = false\n"), trackerConf);
        String ids = client.configMaps().inNamespace(ns).withName("moved-storage-ids").get().getData().get("storage_ids.conf");
        assertFalse(ids.contains("group1"), "IP mode: no storage IDs\n" + ids);
        StorageGroup seen = eventually(() -> group(ns, "moved-g1"), x -> x.getStatus() != null && x.getStatus().members.size() == 2,
                Duration.ofSeconds(20), "the group's status");
        assertNull(seen.getStatus().storageIdBase);
        assertNull(seen.getStatus().members.get(0).storageId, "its pod's IP, once it has one");
    }

    @Test
    void aGroupWaitsForItsClusterAndSaysSo() throws Exception {
        String ns = "waiting";
        FdfsCluster c = Resources.cluster(ns, "later");
        create(Resources.group(c, "later-g1", "group1", 1));
        StorageGroup g = eventually(() -> group(ns, "later-g1"), x -> condition(x, "Ready") != null,
                Duration.ofSeconds(20), "a condition");
        assertEquals("False ClusterNotFound: FdfsCluster later does not exist (yet)", condition(g, "Ready"));
        assertNull(client.apps().statefulSets().inNamespace(ns).withName("later-g1").get());
        create(c);
        eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("later-g1").get(), Objects::nonNull,
                Duration.ofSeconds(20),
                "the StatefulSet once the cluster exists");
    }

    @Test
    void anInvalidSpecIsReportedWithAConditionAndAnEvent() throws Exception {
        String ns = "invalid";
        FdfsCluster c = Resources.cluster(ns, "bad");
        c.getSpec().trackers.config.put("base_path", "/elsewhere");
        c = create(c);
        FdfsCluster seen = eventually(() -> cluster(ns, "bad"), x -> condition(x, "Degraded") != null,
                Duration.ofSeconds(20), "Degraded");
        assertEquals("True InvalidSpec: trackers.config sets base_path, which the operator owns", condition(seen, "Degraded"));
        assertTrue(events(ns, "bad").contains("InvalidSpec: trackers.config sets base_path, which the operator owns"),
                events(ns, "bad").toString());
        assertNull(client.apps().deployments().inNamespace(ns).withName("bad-tracker").get(), "nothing applied");

        StorageGroup g = Resources.group(c, "bad-g1", "group1", 1);
        g.getSpec().config.put("heart_beat_interval", "soon");
        create(g);
        StorageGroup sg = eventually(() -> group(ns, "bad-g1"), x -> condition(x, "Degraded") != null
                && condition(x, "Degraded").contains("InvalidSpec"), Duration.ofSeconds(20), "the group Degraded");
        assertTrue(condition(sg, "Degraded").contains("heart_beat_interval"), condition(sg, "Degraded"));
        StorageGroup dup = Resources.group(c, "bad-g1-again", "group1", 1);
        create(dup);
        StorageGroup d = eventually(() -> group(ns, "bad-g1-again"), x -> condition(x, "Degraded") != null
                && condition(x, "Degraded").contains("InvalidSpec"), Duration.ofSeconds(20), "the duplicate refused");
        assertEquals("True InvalidSpec: group group1 is already StorageGroup bad-g1's", condition(d, "Degraded"));

        // fixed: the cluster goes on
        editCluster(ns, "bad", fixed -> fixed.getSpec().trackers.config.clear());
        eventually(() -> client.apps().deployments().inNamespace(ns).withName("bad-tracker").get(), Objects::nonNull,
                Duration.ofSeconds(20),
                "the Deployment once the spec is fixed");
    }

    /** What the CRD's CEL rules refuse, checked again by the reconciler (the mock server evaluates no CEL). */
    @Test
    void immutableFieldsChangedAreRefused() throws Exception {
        String ns = "immutable";
        FdfsCluster c = create(Resources.cluster(ns, "i"));
        create(Resources.group(c, "i-g1", "group1", 1));
        eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("i-g1").get(), Objects::nonNull,
                Duration.ofSeconds(20), "sts");
        eventually(() -> group(ns, "i-g1"), x -> x.getStatus() != null && x.getStatus().storePathCount != null,
                Duration.ofSeconds(20), "status");
        editGroup(ns, "i-g1", renamed -> renamed.getSpec().groupName = "group9");
        StorageGroup g = eventually(() -> group(ns, "i-g1"), x -> condition(x, "Degraded") != null
                && condition(x, "Degraded").contains("InvalidSpec"), Duration.ofSeconds(20), "the rename refused");
        assertEquals("True InvalidSpec: groupName cannot change: this group was created as group1", condition(g, "Degraded"));
        editGroup(ns, "i-g1", more -> {
            more.getSpec().groupName = "group1";
            more.getSpec().storePaths = List.of(new io.kfdfs.operator.api.StorePath("1Gi", null),
                    new io.kfdfs.operator.api.StorePath("1Gi", null));
        });
        g = eventually(() -> group(ns, "i-g1"), x -> condition(x, "Degraded") != null
                && condition(x, "Degraded").contains("store paths"), Duration.ofSeconds(20), "a second store path refused");
        assertEquals("True InvalidSpec: the number of store paths cannot change: created with 1, now 2", condition(g, "Degraded"));
        assertEquals(1, client.apps().statefulSets().inNamespace(ns).withName("i-g1").get().getSpec()
                .getVolumeClaimTemplates().size(), "the StatefulSet as it was");
    }

    @Test
    void pausedChangesNothingButStatus() throws Exception {
        String ns = "paused";
        FdfsCluster c = create(Resources.cluster(ns, "p"));
        create(Resources.group(c, "p-g1", "group1", 2));
        eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("p-g1").get(), Objects::nonNull,
                Duration.ofSeconds(20), "sts");
        editCluster(ns, "p", paused -> paused.getSpec().paused = true);
        eventually(() -> group(ns, "p-g1"),
                x -> condition(x, "Ready") != null && condition(x, "Ready").contains("Paused"), Duration.ofSeconds(20),
                "the group paused");
        editGroup(ns, "p-g1", g -> g.getSpec().replicas = 3);
        StorageGroup seen = eventually(() -> group(ns, "p-g1"),
                x -> Long.valueOf(2).equals(x.getStatus().observedGeneration),
                Duration.ofSeconds(20), "status of generation 2");
        assertTrue(condition(seen, "Ready").contains("Paused"), condition(seen, "Ready"));
        assertEquals(2, client.apps().statefulSets().inNamespace(ns).withName("p-g1").get().getSpec().getReplicas());
        editCluster(ns, "p", resumed -> resumed.getSpec().paused = false);
        eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("p-g1").get().getSpec().getReplicas(),
                r -> r == 3, Duration.ofSeconds(20), "scaled once resumed");
    }

    @Test
    void aDeletedGroupNamesTheVolumesItKept() throws Exception {
        String ns = "deleted";
        FdfsCluster c = create(Resources.cluster(ns, "d"));
        StorageGroup g = create(Resources.group(c, "d-g1", "group1", 1));
        eventually(() -> client.apps().statefulSets().inNamespace(ns).withName("d-g1").get(), Objects::nonNull,
                Duration.ofSeconds(20), "sts");
        // what the StatefulSet controller would have made
        client.persistentVolumeClaims().inNamespace(ns).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("store0-d-g1-0").withLabels(Labels.groupSelector(g)).endMetadata().build()).create();
        client.resource(group(ns, "d-g1")).delete();
        List<String> events = eventually(() -> events(ns, "d-g1"),
                l -> l.stream().anyMatch(e -> e.startsWith("VolumesRetained")),
                Duration.ofSeconds(20), "the VolumesRetained event");
        assertTrue(events.stream().anyMatch(e -> e.contains("store0-d-g1-0 keep the files of group group1")), events.toString());
    }

    @Test
    void reconcilesAreCountedPerKind() throws Exception {
        eventually(() -> kube.registry.scrape(),
                s -> s.contains("kfdfs_operator_reconcile_seconds_count{kind=\"FdfsCluster\""),
                Duration.ofSeconds(20), "reconcile metrics");
        Event any = client.v1().events().inAnyNamespace().list().getItems().stream().findFirst().orElse(null);
        assertTrue(any == null || "kfdfs-operator".equals(any.getSource().getComponent()));
    }
}
