package io.kfdfs.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.operator.Resources;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.JoinSpec;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.api.StorePath;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTest {

    private final FdfsCluster cluster = Resources.cluster("prod", "files");
    private final StorageGroup group = Resources.group(cluster, "files-g1", "group1", 3);

    private static void ownedBy(HasMetadata o, HasMetadata owner) {
        OwnerReference ref = o.getMetadata().getOwnerReferences().get(0);
        assertEquals(owner.getKind(), ref.getKind(), o.getMetadata().getName());
        assertEquals(owner.getMetadata().getUid(), ref.getUid());
        assertEquals("kfdfs.io/v1alpha1", ref.getApiVersion());
        assertTrue(ref.getController());
        assertEquals(owner.getMetadata().getNamespace(), o.getMetadata().getNamespace());
    }

    @Test
    void trackerObjectsHaveTheirNamesLabelsAndOwner() {
        TrackerModel m = new TrackerModel(cluster, Resources.DEFAULTS);
        Deployment d = m.deployment();
        Service svc = m.service();
        Service headless = m.headlessService();
        assertEquals("files-tracker", d.getMetadata().getName());
        assertEquals("files-tracker", svc.getMetadata().getName());
        assertEquals("files-tracker-headless", headless.getMetadata().getName());
        assertEquals("files-tracker-config", m.config().getMetadata().getName());
        assertEquals("files-storage-ids", m.storageIds(List.of()).getMetadata().getName());
        for (HasMetadata o : List.of(d, svc, headless, m.config(), m.storageIds(List.of()))) {
            ownedBy(o, cluster);
            assertEquals(Map.of("app.kubernetes.io/name", "kfdfs", "app.kubernetes.io/instance", "files",
                    "app.kubernetes.io/component", "tracker", "app.kubernetes.io/managed-by", "kfdfs-operator",
                    "app.kubernetes.io/part-of", "kfdfs", "app.kubernetes.io/version", "1.2.3"), o.getMetadata().getLabels());
        }
        assertEquals("None", headless.getSpec().getClusterIP());
        assertTrue(headless.getSpec().getPublishNotReadyAddresses(), "storages JOIN trackers that are not ready yet");
        assertEquals("ClusterIP", svc.getSpec().getType());
        assertEquals(Labels.trackerSelector(cluster), svc.getSpec().getSelector());
        assertEquals(Labels.trackerSelector(cluster), d.getSpec().getSelector().getMatchLabels());
        assertEquals(List.of(22122, 8080), svc.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
        assertTrue(m.pdb().isEmpty(), "no PodDisruptionBudget for a single tracker");
        cluster.getSpec().trackers.replicas = 3;
        assertEquals(1, new TrackerModel(cluster, Resources.DEFAULTS).pdb().orElseThrow().getSpec().getMaxUnavailable().getIntVal());
    }

    @Test
    void trackerPodRunsTheConfigWithProbesAndNoVolumeOfItsOwn() {
        Deployment d = new TrackerModel(cluster, Resources.DEFAULTS).deployment();
        var pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertEquals("reg/kfdfs-tracker:1.2.3", c.getImage(), "the release's image by default");
        assertEquals(List.of("--conf", "/etc/kfdfs/tracker.conf"), c.getArgs());
        assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("$(POD_IP)", c.getEnv().stream().filter(e -> e.getName().equals("KFDFS_BIND_ADDR")).findFirst()
                .orElseThrow().getValue());
        assertEquals("status.podIP", c.getEnv().get(0).getValueFrom().getFieldRef().getFieldPath());
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("data") && v.getEmptyDir() != null));
        assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getPersistentVolumeClaim() != null));
        assertTrue(c.getVolumeMounts().stream().allMatch(v -> v.getSubPath() == null), "a subPath mount never updates");
        assertEquals("/etc/kfdfs/ids", c.getVolumeMounts().stream().filter(v -> v.getName().equals("storage-ids"))
                .findFirst().orElseThrow().getMountPath());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
    }

    @Test
    void trackerConfIsWhatTheTrackerParses() {
        cluster.getSpec().trackers.config.put("store_lookup", "2");
        cluster.getSpec().trackers.config.put("allow_hosts", "10.0.0.0/8; 192.168.1.[1-9]");
        String text = new TrackerModel(cluster, Resources.DEFAULTS).config().getData().get("tracker.conf");
        TrackerConfig t = TrackerConfig.from(ConfFile.parse(Path.of("tracker.conf"), text));
        assertEquals(22122, t.port());
        assertTrue(t.useStorageId());
        assertEquals("id", t.idTypeInFilename());
        assertEquals(2, t.storeLookup());
        assertEquals(Path.of("/etc/kfdfs/ids/storage_ids.conf"), t.storageIdsPath());
        assertTrue(text.contains("allow_hosts = 10.0.0.0/8\nallow_hosts = 192.168.1.[1-9]\n"), text);
        assertNull(ConfFiles.trackerConfigProblem(cluster));
    }

    @Test
    void badConfigIsNamedBeforeAnyPodSeesIt() {
        cluster.getSpec().trackers.config.put("port", "1");
        assertEquals("trackers.config sets port, which the operator owns", ConfFiles.trackerConfigProblem(cluster));
        cluster.getSpec().trackers.config.clear();
        cluster.getSpec().trackers.config.put("store_lookup", "7");
        assertTrue(ConfFiles.trackerConfigProblem(cluster).contains("store_lookup"), ConfFiles.trackerConfigProblem(cluster));
        cluster.getSpec().trackers.config.clear();
        cluster.getSpec().trackers.config.put("stor_lookup", "1");
        assertEquals("unknown keys stor_lookup", ConfFiles.trackerConfigProblem(cluster));
        group.getSpec().config.put("store_path1", "/x");
        assertEquals("config sets store_path1: store paths come from storePaths", ConfFiles.storageConfigProblem(cluster, group));
        group.getSpec().config.clear();
        group.getSpec().config.put("tracker_server", "x:1");
        assertEquals("config sets tracker_server, which the operator owns", ConfFiles.storageConfigProblem(cluster, group));
        group.getSpec().config.clear();
        group.getSpec().config.put("heart_beat_interval", "often");
        assertTrue(ConfFiles.storageConfigProblem(cluster, group).contains("heart_beat_interval"));
    }

    @Test
    void storageConfNamesTheTrackersHeadlessServiceAndEveryStorePath() {
        cluster.getSpec().storageDefaults.config.put("heart_beat_interval", "10");
        group.getSpec().config.put("heart_beat_interval", "5");
        group.getSpec().storePaths = List.of(new StorePath("100Gi", "fast"), new StorePath(null, null));
        String text = new StorageGroupModel(cluster, group, Resources.DEFAULTS).config().getData().get("storage.conf");
        StorageConfig s = StorageConfig.from(ConfFile.parse(Path.of("storage.conf"), text));
        assertEquals("group1", s.groupName());
        assertEquals("", s.serverId(), "learned from the trackers: one storage.conf for every member");
        assertEquals(List.of("files-tracker-headless.prod.svc.cluster.local"), s.trackerServers().stream()
                .map(h -> h.host()).toList());
        assertEquals(List.of("/var/lib/kfdfs/store0", "/var/lib/kfdfs/store1"), s.storePaths().stream().map(p -> p.path().toString()).toList());
        assertEquals(5, s.heartBeatInterval(), "the group's config over the cluster's defaults");
        assertNull(ConfFiles.storageConfigProblem(cluster, group));
    }

    @Test
    void statefulSetHasAClaimPerStorePathAndTheRetentionPolicy() {
        group.getSpec().storePaths = List.of(new StorePath("100Gi", "fast"), new StorePath(null, null));
        cluster.getSpec().storageDefaults.size = "20Gi";
        StatefulSet sts = new StorageGroupModel(cluster, group, Resources.DEFAULTS).statefulSet(2);
        ownedBy(sts, group);
        assertEquals("files-g1", sts.getMetadata().getName());
        assertEquals("files-g1", sts.getSpec().getServiceName());
        assertEquals(2, sts.getSpec().getReplicas(), "the operator's step, not the spec's 3");
        assertEquals("OnDelete", sts.getSpec().getUpdateStrategy().getType());
        assertEquals("OrderedReady", sts.getSpec().getPodManagementPolicy());
        var claims = sts.getSpec().getVolumeClaimTemplates();
        assertEquals(List.of("store0", "store1"), claims.stream().map(c -> c.getMetadata().getName()).toList());
        assertEquals("100Gi", claims.get(0).getSpec().getResources().getRequests().get("storage").toString());
        assertEquals("fast", claims.get(0).getSpec().getStorageClassName());
        assertEquals("20Gi", claims.get(1).getSpec().getResources().getRequests().get("storage").toString());
        assertNull(claims.get(1).getSpec().getStorageClassName(), "the cluster's default class");
        assertEquals("Delete", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled());
        assertEquals("Retain", sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        var mounts = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts();
        assertEquals(List.of("/etc/kfdfs", "/var/lib/kfdfs/store0", "/var/lib/kfdfs/store1"),
                mounts.stream().map(v -> v.getMountPath()).toList());
        assertEquals(Labels.groupSelector(group), sts.getSpec().getSelector().getMatchLabels());
        assertEquals("group1", sts.getSpec().getTemplate().getMetadata().getLabels().get(Labels.GROUP));
        assertEquals("storage-1", Names.pod(group, 1).replace("files-g1", "storage"));
        assertEquals("store1-files-g1-2", Names.storePathClaim(group, 1, 2));
    }

    @Test
    void aConfigChangeChangesThePodTemplateAndAnIdsChangeDoesNot() {
        StorageGroupModel before = new StorageGroupModel(cluster, group, Resources.DEFAULTS);
        String hash = before.statefulSet(3).getSpec().getTemplate().getMetadata().getAnnotations().get(Labels.CONFIG_HASH);
        group.getSpec().config.put("upload_priority", "3");
        String changed = new StorageGroupModel(cluster, group, Resources.DEFAULTS).statefulSet(3).getSpec().getTemplate()
                .getMetadata().getAnnotations().get(Labels.CONFIG_HASH);
        assertNotEquals(hash, changed);
        TrackerModel trackers = new TrackerModel(cluster, Resources.DEFAULTS);
        Deployment d1 = trackers.deployment();
        trackers.storageIds(StorageIdPlan.members(group, 0, 5, "cluster.local"));
        assertEquals(d1, trackers.deployment(), "storage_ids.conf is reloaded in place: no tracker restart");
    }

    @Test
    void antiStealSecretGoesToTheEnvNotTheConfigMap() {
        cluster.getSpec().http.antiStealSecret = new SecretKeySelector("token", "kfdfs-http", false);
        StorageGroupModel m = new StorageGroupModel(cluster, group, Resources.DEFAULTS);
        String conf = m.config().getData().get("storage.conf");
        assertTrue(conf.contains("http.anti_steal.check_token = true"));
        assertFalse(conf.contains("secret_key"));
        var env = m.statefulSet(3).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        var secret = env.stream().filter(e -> e.getName().equals("KFDFS_HTTP_ANTI_STEAL_SECRET_KEY")).findFirst().orElseThrow();
        assertEquals("kfdfs-http", secret.getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void podOverridesOfTheGroupWinOverTheClustersAndNeverTheOperatorsLabels() {
        cluster.getSpec().storageDefaults.template.labels = Map.of("team", "a", "app.kubernetes.io/name", "hijack");
        cluster.getSpec().storageDefaults.template.tolerations = List.of(new Toleration("NoSchedule", "x", "Exists", null, null));
        cluster.getSpec().storageDefaults.template.priorityClassName = "low";
        group.getSpec().template.labels = Map.of("team", "b");
        group.getSpec().template.priorityClassName = "high";
        var template = new StorageGroupModel(cluster, group, Resources.DEFAULTS).statefulSet(1).getSpec().getTemplate();
        assertEquals("b", template.getMetadata().getLabels().get("team"));
        assertEquals("kfdfs", template.getMetadata().getLabels().get("app.kubernetes.io/name"));
        assertEquals("high", template.getSpec().getPriorityClassName());
        assertEquals(1, template.getSpec().getTolerations().size());
    }

    @Test
    void storageIdsAreStableWhenAGroupIsAddedBeforeAnother() {
        StorageGroup g2 = Resources.group(cluster, "files-g2", "group2", 2);
        group.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        g2.getMetadata().setCreationTimestamp("2026-01-02T00:00:00Z");
        Map<String, Integer> blocks = StorageIdPlan.allocate(Map.of(), List.of(g2, group), 0);
        assertEquals(Map.of("group1", 0, "group2", 1), blocks, "by age, whatever the listing order");
        StorageGroup g0 = Resources.group(cluster, "files-g0", "group0", 2);
        g0.getMetadata().setCreationTimestamp("2026-01-03T00:00:00Z");
        Map<String, Integer> later = StorageIdPlan.allocate(blocks, List.of(g0, g2, group), 0);
        assertEquals(Map.of("group1", 0, "group2", 1, "group0", 2), later, "a new group takes a new block");
        Map<String, Integer> afterDelete = StorageIdPlan.allocate(Map.of("group1", 0, "group2", 1), List.of(g2), 0);
        assertEquals(Map.of("group1", 0, "group2", 1), afterDelete, "a deleted group's block stays taken");
        StorageGroup g3 = Resources.group(cluster, "files-g3", "group3", 1);
        assertEquals(2, StorageIdPlan.allocate(afterDelete, List.of(g2, g3), 0).get("group3"), "never another group's IDs");

        List<StorageIdPlan.Member> members = StorageIdPlan.members(g2, 1, 2, "cluster.local");
        assertEquals(List.of(100101, 100102), members.stream().map(StorageIdPlan.Member::id).toList());
        String text = ConfFiles.storageIds(cluster, members);
        StorageIds ids = StorageIds.parse("storage_ids.conf", text);
        assertEquals("files-g2-1.files-g2.prod.svc.cluster.local", ids.byId("100102").orElseThrow().hosts().get(0));
        assertEquals(23000, ids.byId("100102").orElseThrow().port());
        assertEquals("group2", ids.byId("100101").orElseThrow().group());
    }

    private static JoinSpec join(String storageIds, String... trackers) {
        JoinSpec j = new JoinSpec();
        j.trackers = List.of(trackers);
        j.storageIds = storageIds;
        return j;
    }

    @Test
    void aClusterJoinedInIpModeRunsInIpModeAndItsStoragesListTheJoinedTrackers() {
        cluster.getSpec().join = join(null, "10.0.0.5:22122", "10.0.0.6");
        TrackerConfig t = TrackerConfig.from(ConfFile.parse(Path.of("tracker.conf"),
                new TrackerModel(cluster, Resources.DEFAULTS).config().getData().get("tracker.conf")));
        assertFalse(t.useStorageId(), "file IDs carry the C storages' IPs");
        StorageConfig s = StorageConfig.from(ConfFile.parse(Path.of("storage.conf"),
                new StorageGroupModel(cluster, group, Resources.DEFAULTS).config().getData().get("storage.conf")));
        assertEquals(List.of("files-tracker-headless.prod.svc.cluster.local:22122", "10.0.0.5:22122", "10.0.0.6:22122"),
                s.trackerServers().stream().map(h -> h.host() + ":" + h.port()).toList());
        assertNull(ConfFiles.trackerConfigProblem(cluster));
        assertNull(ConfFiles.storageConfigProblem(cluster, group));
        assertEquals(1, s.syncBinlogBuffInterval(), "as docs/migration.md asks of every member of a mixed group");
        group.getSpec().config.put("sync_binlog_buff_interval", "5");
        assertEquals(5, StorageConfig.from(ConfFile.parse(Path.of("storage.conf"), new StorageGroupModel(cluster,
                group, Resources.DEFAULTS).config().getData().get("storage.conf"))).syncBinlogBuffInterval(),
                "the group's own value wins");
    }

    @Test
    void aClusterJoinedWithStorageIdsKeepsThemAndGivesItsOwnMembersIdsAboveThem() {
        String theirs = "# their file\n100001 group1 10.0.0.7\n100002 group1 10.0.0.8\n100150 group2 10.0.0.9\n";
        cluster.getSpec().join = join(theirs, "10.0.0.5:22122");
        cluster.getSpec().join.idTypeInFilename = "ip";
        TrackerConfig t = TrackerConfig.from(ConfFile.parse(Path.of("tracker.conf"),
                new TrackerModel(cluster, Resources.DEFAULTS).config().getData().get("tracker.conf")));
        assertTrue(t.useStorageId());
        assertEquals("ip", t.idTypeInFilename(), "theirs: file names already written carry it");
        int first = StorageIdPlan.firstBlockAbove(ConfFiles.joinedIds(cluster).stream().map(StorageIds.Entry::id).toList());
        assertEquals(2, first, "100150 is in block 1");
        Map<String, Integer> blocks = StorageIdPlan.allocate(Map.of(), List.of(group), first);
        List<StorageIdPlan.Member> members = StorageIdPlan.members(group, blocks.get("group1"), 2, "cluster.local");
        String text = ConfFiles.storageIds(cluster, members);
        StorageIds ids = StorageIds.parse("storage_ids.conf", text);
        assertEquals(List.of("100001", "100002", "100150", "100201", "100202"), ids.entries().stream().map(StorageIds.Entry::id).toList());
        assertEquals("10.0.0.7", ids.byId("100001").orElseThrow().hosts().get(0));
        assertEquals(0, ids.byId("100201").orElseThrow().port(), "their lines have no port, so neither do ours");
        assertNull(ConfFiles.trackerConfigProblem(cluster));
    }

    @Test
    void theFirstFreeBlockIsAboveEveryJoinedId() {
        assertEquals(0, StorageIdPlan.firstBlockAbove(List.of()));
        assertEquals(0, StorageIdPlan.firstBlockAbove(List.of("7", "100000", "abc")));
        assertEquals(1, StorageIdPlan.firstBlockAbove(List.of("100001")));
        assertEquals(1, StorageIdPlan.firstBlockAbove(List.of("100100")));
        assertEquals(2, StorageIdPlan.firstBlockAbove(List.of("100101", "100001")));
    }

    @Test
    void aBadJoinIsNamedBeforeAnyPodSeesIt() {
        cluster.getSpec().join = join(null, "10.0.0.5:99999");
        assertTrue(ConfFiles.trackerConfigProblem(cluster).startsWith("join.trackers: \"10.0.0.5:99999\""),
                ConfFiles.trackerConfigProblem(cluster));
        cluster.getSpec().join = join("100001 group1 10.0.0.7\n100001 group1 10.0.0.8\n", "10.0.0.5:22122");
        assertTrue(ConfFiles.trackerConfigProblem(cluster).contains("duplicate storage ID 100001"),
                ConfFiles.trackerConfigProblem(cluster));
        cluster.getSpec().join = join("# nothing\n");
        assertEquals("join.storageIds lists no storage; leave it unset for a cluster in IP mode",
                ConfFiles.trackerConfigProblem(cluster));
        cluster.getSpec().join = join("100001 group1 10.0.0.7\n");
        cluster.getSpec().join.idTypeInFilename = "name";
        assertEquals("join.idTypeInFilename is \"name\", not id or ip", ConfFiles.trackerConfigProblem(cluster));
    }
}
