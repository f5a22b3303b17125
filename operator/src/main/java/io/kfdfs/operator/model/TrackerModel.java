package io.kfdfs.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.TrackerSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster's trackers: a Deployment (a tracker rebuilds its state from its peers and the storages'
 * reports, so it needs no volume of its own: its state files live on an emptyDir), a ClusterIP Service for
 * clients, a headless Service through which the storages find every tracker pod (ready or not: a storage
 * must JOIN a tracker before either is of use), the tracker.conf and storage_ids.conf ConfigMaps, and a
 * PodDisruptionBudget when there is more than one.
 */
public final class TrackerModel {

    private final FdfsCluster cluster;
    private final Defaults defaults;
    private final Map<String, String> labels;

    public TrackerModel(FdfsCluster cluster, Defaults defaults) {
        this.cluster = cluster;
        this.defaults = defaults;
        this.labels = Labels.tracker(cluster, defaults.release().version());
    }

    private TrackerSpec spec() {
        return cluster.getSpec().trackers;
    }

    public ConfigMap config() {
        return new ConfigMapBuilder().withMetadata(PodParts.meta(Names.trackerConfig(cluster), cluster, labels))
                .withData(Map.of(Names.TRACKER_CONF, ConfFiles.trackerConf(cluster))).build();
    }

    public ConfigMap storageIds(List<StorageIdPlan.Member> members) {
        return new ConfigMapBuilder().withMetadata(PodParts.meta(Names.storageIds(cluster), cluster, labels))
                .withData(Map.of(Names.STORAGE_IDS_CONF, ConfFiles.storageIds(cluster, members))).build();
    }

    public Service service() {
        return new ServiceBuilder().withMetadata(PodParts.meta(Names.tracker(cluster), cluster, labels)).withNewSpec()
                .withType("ClusterIP").withSelector(new LinkedHashMap<>(Labels.trackerSelector(cluster)))
                .withPorts(ports()).endSpec().build();
    }

    public Service headlessService() {
        return new ServiceBuilder().withMetadata(PodParts.meta(Names.trackerHeadless(cluster), cluster, labels))
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true)
                .withSelector(new LinkedHashMap<>(Labels.trackerSelector(cluster))).withPorts(ports()).endSpec().build();
    }

    private List<ServicePort> ports() {
        return List.of(
                new ServicePortBuilder().withName("fdfs").withPort(spec().port).withTargetPort(new IntOrString("fdfs")).build(),
                new ServicePortBuilder().withName("http").withPort(spec().httpPort).withTargetPort(new IntOrString("http")).build());
    }

    public Optional<PodDisruptionBudget> pdb() {
        return spec().replicas > 1
                ? Optional.of(PodParts.pdb(Names.tracker(cluster), cluster, labels, Labels.trackerSelector(cluster)))
                : Optional.empty();
    }

    /**
     * Rolling updates start a new tracker before stopping an old one and wait for it to be ready; the
     * config hash rolls the pods when tracker.conf changes (storage_ids.conf is reloaded in place).
     */
    public Deployment deployment() {
        String conf = ConfFiles.trackerConf(cluster);
        Container c = new ContainerBuilder().withName("tracker").withImage(Specs.trackerImage(cluster, defaults.release()))
                .withImagePullPolicy(cluster.getSpec().image.pullPolicy)
                .withArgs("--conf", Names.CONF_DIR + "/" + Names.TRACKER_CONF)
                .withEnv(PodParts.podEnv())
                .addNewPort().withName("fdfs").withContainerPort(spec().port).endPort()
                .addNewPort().withName("http").withContainerPort(spec().httpPort).endPort()
                .withReadinessProbe(PodParts.httpProbe("/readyz", 5, 3))
                .withLivenessProbe(PodParts.httpProbe("/healthz", 10, 6))
                .withResources(spec().resources)
                .addNewVolumeMount().withName("config").withMountPath(Names.CONF_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("storage-ids").withMountPath(Names.IDS_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath(Names.DATA_DIR).endVolumeMount()
                .build();
        PodParts.secure(c);
        PodSpec pod = new PodSpecBuilder().withContainers(c)
                .withImagePullSecrets(PodParts.pullSecrets(cluster.getSpec().image))
                .withTerminationGracePeriodSeconds(30L)
                .addNewVolume().withName("config").withNewConfigMap().withName(Names.trackerConfig(cluster)).endConfigMap().endVolume()
                .addNewVolume().withName("storage-ids").withNewConfigMap().withName(Names.storageIds(cluster)).endConfigMap().endVolume()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .build();
        ObjectMeta podMeta = new ObjectMetaBuilder().withLabels(new LinkedHashMap<>(labels))
                .withAnnotations(new LinkedHashMap<>(Map.of(Labels.CONFIG_HASH, Hashes.of(conf)))).build();
        PodParts.apply(spec().template, podMeta, pod);
        return new DeploymentBuilder().withMetadata(PodParts.meta(Names.tracker(cluster), cluster, labels)).withNewSpec()
                .withReplicas(spec().replicas)
                .withNewSelector().withMatchLabels(new LinkedHashMap<>(Labels.trackerSelector(cluster))).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
                .withNewTemplate().withMetadata(podMeta).withSpec(pod).endTemplate()
                .endSpec().build();
    }
}
