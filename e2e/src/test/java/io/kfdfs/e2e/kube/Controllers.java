package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Hashes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * What Kubernetes's controller manager would do, for the kinds the operator makes, against the mock API
 * server (which runs no controller): Deployments as pods without ReplicaSets, with their rolling update;
 * StatefulSets with ordinals, OrderedReady, OnDelete and RollingUpdate, claims from volumeClaimTemplates and
 * the retention policy; Endpoints of Services; garbage collection by owner references; PodDisruptionBudgets
 * for the stand-in's own evictions. One pass ({@link #sync()}) looks at everything and takes the steps that
 * are due; status is written again after every pass, since the mock server does not keep the status of
 * built-in kinds apart from their spec (the operator's update of a StatefulSet wipes it).
 */
final class Controllers {

    static final String POD_INDEX = "apps.kubernetes.io/pod-index";
    static final String REVISION = "controller-revision-hash";
    static final String TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final EventLog log;

    Controllers(KubernetesClient client, EventLog log) {
        this.client = client;
        this.log = log;
    }

    /** One pass of every controller. */
    void sync() {
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            deployment(d, owned(pods, d));
        }
        for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
            statefulSet(s, owned(pods, s));
        }
        collectGarbage();
        endpoints(client.pods().inAnyNamespace().list().getItems());
    }

    private static List<Pod> owned(List<Pod> pods, HasMetadata owner) {
        return pods.stream().filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences()
                .stream().anyMatch(r -> r.getUid().equals(owner.getMetadata().getUid()))).toList();
    }

    // ---- Deployment: pods named <deployment>-<template hash>-<random>, rolled by maxSurge / maxUnavailable

    private void deployment(Deployment d, List<Pod> pods) {
        String hash = Hashes.of(client.getKubernetesSerialization().asJson(d.getSpec().getTemplate())).substring(0, 10);
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var rolling = d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
        int surge = rolling == null || rolling.getMaxSurge() == null ? 1 : rolling.getMaxSurge().getIntVal();
        int unavailable = rolling == null || rolling.getMaxUnavailable() == null ? 0 : rolling.getMaxUnavailable().getIntVal();
        List<Pod> current = pods.stream().filter(p -> hash.equals(label(p, TEMPLATE_HASH))).toList();
        List<Pod> old = pods.stream().filter(p -> !hash.equals(label(p, TEMPLATE_HASH))).toList();
        long ready = pods.stream().filter(Kubelet::isReady).count();
        if (current.size() > desired) {
            delete(worstFirst(current).get(0), "scale-in of Deployment " + name(d));
        } else if (current.size() < desired && pods.size() < desired + Math.max(surge, old.isEmpty() ? 1 : 0)) {
            Map<String, String> labels = new LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
            labels.put(TEMPLATE_HASH, hash);
            createPod(d, name(d) + "-" + hash + "-" + UUID.randomUUID().toString().substring(0, 5), labels,
                    d.getSpec().getTemplate(), null, null);
        } else if (!old.isEmpty() && ready - 1 >= desired - unavailable) {
            delete(worstFirst(old).get(0), "rolling update of Deployment " + name(d));
        }
        d.setStatus(new DeploymentStatusBuilder().withReplicas(pods.size()).withReadyReplicas((int) ready)
                .withAvailableReplicas((int) ready).withUpdatedReplicas(current.size())
                .withUnavailableReplicas(Math.max(0, desired - (int) ready))
                .withObservedGeneration(d.getMetadata().getGeneration()).build());
        writeStatus(d, x -> client.apps().deployments().inNamespace(ns(x)).resource(x).updateStatus());
    }

    /** Not-ready pods go first, then the youngest. */
    private static List<Pod> worstFirst(List<Pod> pods) {
        List<Pod> sorted = new ArrayList<>(pods);
        sorted.sort(Comparator.comparing((Pod p) -> Kubelet.isReady(p))
                .thenComparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp()), Comparator.reverseOrder()));
        return sorted;
    }

    // ---- StatefulSet: <name>-<ordinal>, claims <template>-<name>-<ordinal>

    private void statefulSet(StatefulSet s, List<Pod> pods) {
        String revision = name(s) + "-" + Hashes.of(client.getKubernetesSerialization().asJson(s.getSpec().getTemplate()))
                .substring(0, 10);
        int desired = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
        boolean ordered = !"Parallel".equals(s.getSpec().getPodManagementPolicy());
        boolean rolling = s.getSpec().getUpdateStrategy() == null
                || !"OnDelete".equals(s.getSpec().getUpdateStrategy().getType());
        Map<Integer, Pod> byOrdinal = new LinkedHashMap<>();
        pods.forEach(p -> byOrdinal.put(Integer.parseInt(label(p, POD_INDEX)), p));
        boolean stepTaken = false;
        // scale in: the highest ordinal first, one at a time when ordered
        for (int i = byOrdinal.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1); i >= desired && !stepTaken; i--) {
            Pod p = byOrdinal.get(i);
            if (p != null) {
                delete(p, "scale-in of StatefulSet " + name(s));
                if ("Delete".equals(retention(s, true))) {
                    deleteClaims(s, i);
                }
                stepTaken = ordered;
            }
        }
        for (int i = 0; i < desired && !stepTaken; i++) {
            Pod p = byOrdinal.get(i);
            if (p == null) {
                createMember(s, i, revision);
                stepTaken = ordered;
            } else if (ordered && !Kubelet.isReady(p)) {
                stepTaken = true;
            }
        }
        if (!stepTaken && rolling) {
            // RollingUpdate: the highest outdated member, once every member is ready
            byOrdinal.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
                    .filter(e -> !revision.equals(label(e.getValue(), REVISION))).findFirst()
                    .filter(e -> byOrdinal.values().stream().allMatch(Kubelet::isReady))
                    .ifPresent(e -> delete(e.getValue(), "rolling update of StatefulSet " + name(s)));
        }
        long ready = pods.stream().filter(Kubelet::isReady).count();
        long updated = pods.stream().filter(p -> revision.equals(label(p, REVISION))).count();
        String currentRevision = updated == pods.size() ? revision
                : pods.stream().map(p -> label(p, REVISION)).filter(r -> !revision.equals(r)).findFirst().orElse(revision);
        long onCurrent = pods.stream().filter(p -> currentRevision.equals(label(p, REVISION))).count();
        s.setStatus(new StatefulSetStatusBuilder().withReplicas(pods.size()).withReadyReplicas((int) ready)
                .withAvailableReplicas((int) ready).withCurrentReplicas((int) onCurrent)
                .withUpdatedReplicas((int) updated).withUpdateRevision(revision).withCurrentRevision(currentRevision)
                .withObservedGeneration(s.getMetadata().getGeneration()).build());
        writeStatus(s, x -> client.apps().statefulSets().inNamespace(ns(x)).resource(x).updateStatus());
    }

    private void createMember(StatefulSet s, int ordinal, String revision) {
        String pod = name(s) + "-" + ordinal;
        List<Volume> claims = new ArrayList<>();
        for (PersistentVolumeClaim template : s.getSpec().getVolumeClaimTemplates()) {
            String claim = template.getMetadata().getName() + "-" + pod;
            if (client.persistentVolumeClaims().inNamespace(ns(s)).withName(claim).get() == null) {
                PersistentVolumeClaimBuilder pvc = new PersistentVolumeClaimBuilder(template).editMetadata()
                        .withName(claim).withNamespace(ns(s)).withUid(null).endMetadata();
                if ("Delete".equals(retention(s, false))) {
                    pvc.editMetadata().withOwnerReferences(ownerRef(s, false)).endMetadata();
                }
                client.resource(pvc.build()).create();
                log.record(claim, "claim created");
            }
            claims.add(new VolumeBuilder().withName(template.getMetadata().getName()).withNewPersistentVolumeClaim()
                    .withClaimName(claim).endPersistentVolumeClaim().build());
        }
        Map<String, String> labels = new LinkedHashMap<>(s.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(REVISION, revision);
        labels.put(POD_INDEX, String.valueOf(ordinal));
        labels.put("statefulset.kubernetes.io/pod-name", pod);
        createPod(s, pod, labels, s.getSpec().getTemplate(), s.getSpec().getServiceName(), claims);
    }

    /** The policy for {@code whenScaled} (true) or {@code whenDeleted}; Retain when none is set. */
    private static String retention(StatefulSet s, boolean whenScaled) {
        var p = s.getSpec().getPersistentVolumeClaimRetentionPolicy();
        String v = p == null ? null : whenScaled ? p.getWhenScaled() : p.getWhenDeleted();
        return v == null ? "Retain" : v;
    }

    private void deleteClaims(StatefulSet s, int ordinal) {
        for (PersistentVolumeClaim template : s.getSpec().getVolumeClaimTemplates()) {
            String claim = template.getMetadata().getName() + "-" + name(s) + "-" + ordinal;
            if (!client.persistentVolumeClaims().inNamespace(ns(s)).withName(claim).delete().isEmpty()) {
                log.record(claim, "claim deleted (whenScaled: Delete)");
            }
        }
    }

    private void createPod(HasMetadata owner, String name, Map<String, String> labels, PodTemplateSpec template,
                           String subdomain, List<Volume> extraVolumes) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns(owner)).withLabels(labels)
                .withAnnotations(template.getMetadata().getAnnotations()).withOwnerReferences(ownerRef(owner, true))
                .endMetadata().withSpec(template.getSpec());
        if (subdomain != null) {
            b.editSpec().withHostname(name).withSubdomain(subdomain).endSpec();
        }
        if (extraVolumes != null) {
            b.editSpec().addAllToVolumes(extraVolumes).endSpec();
        }
        try {
            client.resource(b.build()).create();
            log.record(name, "created");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private static OwnerReference ownerRef(HasMetadata owner, boolean controller) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(name(owner)).withUid(owner.getMetadata().getUid()).withController(controller)
                .withBlockOwnerDeletion(true).build();
    }

    private void delete(Pod p, String why) {
        client.pods().inNamespace(ns(p)).withName(name(p)).delete();
        log.record(name(p), "deleted: " + why);
    }

    /**
     * Evicts a pod as {@code kubectl drain} does: refused while a PodDisruptionBudget that selects it has no
     * disruption left (its pods ready minus one would fall below what it allows).
     */
    boolean evict(Pod pod) {
        List<Pod> all = client.pods().inNamespace(ns(pod)).list().getItems();
        for (PodDisruptionBudget pdb : client.policy().v1().podDisruptionBudget().inNamespace(ns(pod)).list().getItems()) {
            Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
            if (!matches(pod, selector)) {
                continue;
            }
            // as the disruption controller: healthy pods against what their controllers expect, so a pod
            // already gone (evicted a moment ago, not yet made again) counts as down
            long healthy = all.stream().filter(p -> matches(p, selector) && Kubelet.isReady(p)).count();
            int maxUnavailable = pdb.getSpec().getMaxUnavailable() == null ? 0 : pdb.getSpec().getMaxUnavailable().getIntVal();
            if (healthy - (Kubelet.isReady(pod) ? 1 : 0) < expected(ns(pod), selector) - maxUnavailable) {
                log.record(name(pod), "eviction refused by PodDisruptionBudget " + name(pdb));
                return false;
            }
        }
        delete(pod, "evicted");
        return true;
    }

    /** The pods the controllers of {@code selector}'s pods want: their replicas. */
    private int expected(String namespace, Map<String, String> selector) {
        int replicas = 0;
        for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            if (containsAll(s.getSpec().getTemplate().getMetadata().getLabels(), selector)) {
                replicas += s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
            }
        }
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            if (containsAll(d.getSpec().getTemplate().getMetadata().getLabels(), selector)) {
                replicas += d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            }
        }
        return replicas;
    }

    private static boolean containsAll(Map<String, String> labels, Map<String, String> selector) {
        return labels != null && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static boolean matches(HasMetadata o, Map<String, String> selector) {
        return selector != null && !selector.isEmpty() && containsAll(o.getMetadata().getLabels(), selector);
    }

    // ---- garbage collection: an object whose every owner is gone goes too (the mock server keeps it)

    private void collectGarbage() {
        Set<String> alive = new HashSet<>();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.resources(FdfsCluster.class).inAnyNamespace().list().getItems());
        all.addAll(client.resources(StorageGroup.class).inAnyNamespace().list().getItems());
        all.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
        all.addAll(client.apps().statefulSets().inAnyNamespace().list().getItems());
        all.addAll(client.services().inAnyNamespace().list().getItems());
        all.addAll(client.configMaps().inAnyNamespace().list().getItems());
        all.addAll(client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems());
        all.addAll(client.pods().inAnyNamespace().list().getItems());
        all.addAll(client.persistentVolumeClaims().inAnyNamespace().list().getItems());
        all.forEach(o -> alive.add(o.getMetadata().getUid()));
        for (HasMetadata o : all) {
            List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
            if (owners != null && !owners.isEmpty() && owners.stream().noneMatch(r -> alive.contains(r.getUid()))) {
                client.resource(o).delete();
                log.record(name(o), o.getKind() + " garbage-collected (owner " + owners.get(0).getKind() + " "
                        + owners.get(0).getName() + " is gone)");
            }
        }
    }

    // ---- Endpoints: the ready pods of each Service's selector (every pod with publishNotReadyAddresses)

    private void endpoints(List<Pod> pods) {
        for (Service svc : client.services().inAnyNamespace().list().getItems()) {
            Map<String, String> selector = svc.getSpec().getSelector();
            boolean notReadyToo = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
            List<Pod> selected = pods.stream().filter(p -> ns(p).equals(ns(svc)) && matches(p, selector))
                    .filter(p -> Kubelet.ip(p) != null && (notReadyToo || Kubelet.isReady(p)))
                    .sorted(Comparator.comparing(Controllers::name)).toList();
            Endpoints desired = new EndpointsBuilder().withNewMetadata().withName(name(svc)).withNamespace(ns(svc))
                    .withLabels(svc.getMetadata().getLabels()).endMetadata()
                    .addNewSubset().withAddresses(selected.stream().map(p -> new EndpointAddressBuilder()
                            .withIp(Kubelet.ip(p)).withHostname(p.getSpec().getHostname()).withNewTargetRef()
                            .withKind("Pod").withName(name(p)).withNamespace(ns(p)).endTargetRef().build()).toList())
                    .withPorts(svc.getSpec().getPorts().stream().map(sp -> new EndpointPortBuilder().withName(sp.getName())
                            .withPort(targetPort(sp, selected)).build()).toList())
                    .endSubset().build();
            Endpoints existing = client.endpoints().inNamespace(ns(svc)).withName(name(svc)).get();
            if (existing == null || !Objects.equals(existing.getSubsets(), desired.getSubsets())) {
                client.resource(desired).createOr(r -> r.update());
            }
        }
    }

    /** A Service port's target on the pods: a number, or a named container port. */
    static int targetPort(ServicePort sp, List<Pod> pods) {
        if (sp.getTargetPort() == null) {
            return sp.getPort();
        }
        if (sp.getTargetPort().getIntVal() != null) {
            return sp.getTargetPort().getIntVal();
        }
        for (Pod p : pods) {
            for (var c : p.getSpec().getContainers()) {
                for (ContainerPort cp : c.getPorts()) {
                    if (sp.getTargetPort().getStrVal().equals(cp.getName())) {
                        return cp.getContainerPort();
                    }
                }
            }
        }
        return sp.getPort();
    }

    private <T extends HasMetadata> void writeStatus(T o, Function<T, T> update) {
        try {
            update.apply(o);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
            // gone, or changed since it was read: the next pass writes it again
        }
    }

    static String label(HasMetadata o, String key) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
    }

    static String name(HasMetadata o) {
        return o.getMetadata().getName();
    }

    static String ns(HasMetadata o) {
        return o.getMetadata().getNamespace();
    }
}
