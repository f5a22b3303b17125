package io.kfdfs.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.api.StorePath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's storages: a StatefulSet with a PVC per store path, a headless Service that gives each pod a
 * stable DNS name (the names in storage_ids.conf), the storage.conf ConfigMap and a PodDisruptionBudget of
 * one. Members are replaced one at a time by the operator ({@code OnDelete}), only once the previous one is
 * ACTIVE and caught up again; pods start in order (a new member full-syncs from one that is ready).
 */
public final class StorageGroupModel {

    private final FdfsCluster cluster;
    private final StorageGroup group;
    private final Defaults defaults;
    private final Map<String, String> labels;

    public StorageGroupModel(FdfsCluster cluster, StorageGroup group, Defaults defaults) {
        this.cluster = cluster;
        this.group = group;
        this.defaults = defaults;
        this.labels = Labels.group(group, defaults.release().version());
    }

    public ConfigMap config() {
        return new ConfigMapBuilder().withMetadata(PodParts.meta(Names.groupConfig(group), group, labels))
                .withData(Map.of(Names.STORAGE_CONF, storageConf())).build();
    }

    private String storageConf() {
        return ConfFiles.storageConf(cluster, group, defaults.clusterDomain());
    }

    public Service headlessService() {
        return new ServiceBuilder().withMetadata(PodParts.meta(Names.group(group), group, labels)).withNewSpec()
                .withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(new LinkedHashMap<>(Labels.groupSelector(group)))
                .addNewPort().withName("fdfs").withPort(Names.STORAGE_PORT).withTargetPort(new IntOrString("fdfs")).endPort()
                .addNewPort().withName("http").withPort(Names.STORAGE_HTTP_PORT).withTargetPort(new IntOrString("http")).endPort()
                .endSpec().build();
    }

    public PodDisruptionBudget pdb() {
        return PodParts.pdb(Names.group(group), group, labels, Labels.groupSelector(group));
    }

    /** The StatefulSet at {@code replicas} (the operator's step, which may differ from the spec's). */
    public StatefulSet statefulSet(int replicas) {
        List<StorePath> paths = Specs.storePaths(cluster, group);
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("config").withMountPath(Names.CONF_DIR).withReadOnly(true).build());
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            mounts.add(new VolumeMountBuilder().withName(Names.storePathVolume(i)).withMountPath(Names.storePathDir(i)).build());
            claims.add(claim(i, paths.get(i)));
        }
        List<EnvVar> env = PodParts.podEnv();
        SecretKeySelector secret = cluster.getSpec().http.antiStealSecret;
        if (secret != null) {
            env.add(new EnvVarBuilder().withName("KFDFS_HTTP_ANTI_STEAL_SECRET_KEY").withNewValueFrom()
                    .withSecretKeyRef(secret).endValueFrom().build());
        }
        Container c = new ContainerBuilder().withName("storage").withImage(Specs.storageImage(cluster, group, defaults.release()))
                .withImagePullPolicy(cluster.getSpec().image.pullPolicy)
                .withArgs("--conf", Names.CONF_DIR + "/" + Names.STORAGE_CONF)
                .withEnv(env)
                .addNewPort().withName("fdfs").withContainerPort(Names.STORAGE_PORT).endPort()
                .addNewPort().withName("http").withContainerPort(Names.STORAGE_HTTP_PORT).endPort()
                // ready = joined, ACTIVE on a tracker, every store path writable: a full sync can take long,
                // so readiness waits as long as it takes while liveness only asks that the process serves
                .withReadinessProbe(PodParts.httpProbe("/readyz", 5, 2))
                .withLivenessProbe(PodParts.httpProbe("/healthz", 10, 6))
                .withResources(Specs.storageResources(cluster, group))
                .withVolumeMounts(mounts)
                .build();
        PodParts.secure(c);
        PodSpec pod = new PodSpecBuilder().withContainers(c)
                .withImagePullSecrets(PodParts.pullSecrets(cluster.getSpec().image))
                .withTerminationGracePeriodSeconds(60L)
                .addNewVolume().withName("config").withNewConfigMap().withName(Names.groupConfig(group)).endConfigMap().endVolume()
                .build();
        String hash = Hashes.of(storageConf(), secret == null ? "" : secret.getName() + "/" + secret.getKey());
        ObjectMeta podMeta = new ObjectMetaBuilder().withLabels(new LinkedHashMap<>(labels))
                .withAnnotations(new LinkedHashMap<>(Map.of(Labels.CONFIG_HASH, hash))).build();
        PodParts.apply(Specs.storageTemplate(cluster, group), podMeta, pod);
        var retention = group.getSpec().pvcRetention;
        return new StatefulSetBuilder().withMetadata(PodParts.meta(Names.group(group), group, labels)).withNewSpec()
                .withReplicas(replicas)
                .withServiceName(Names.group(group))
                .withPodManagementPolicy("OrderedReady")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(new LinkedHashMap<>(Labels.groupSelector(group))).endSelector()
                .withNewTemplate().withMetadata(podMeta).withSpec(pod).endTemplate()
                .withVolumeClaimTemplates(claims)
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenScaled(retention.whenScaled)
                .withWhenDeleted(retention.whenDeleted).endPersistentVolumeClaimRetentionPolicy()
                .endSpec().build();
    }

    private PersistentVolumeClaim claim(int index, StorePath path) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(Names.storePathVolume(index))
                .withLabels(new LinkedHashMap<>(Labels.groupSelector(group))).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(path.storageClassName)
                .withNewResources().withRequests(Map.of("storage", new Quantity(path.size))).endResources()
                .endSpec().build();
    }
}
