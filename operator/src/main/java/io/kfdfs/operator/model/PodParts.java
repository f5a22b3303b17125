package io.kfdfs.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kfdfs.operator.api.Images;
import io.kfdfs.operator.api.PodOverrides;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What tracker and storage pods share: metadata, probes, env, security, the user's overrides. */
final class PodParts {

    /** The user the images run as (not root). */
    static final long USER = 10001;

    private PodParts() {
    }

    static ObjectMeta meta(String name, HasMetadata owner, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(name).withNamespace(owner.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(labels)).withOwnerReferences(ownerOf(owner)).build();
    }

    /** Garbage collection deletes what {@code owner} made when it is deleted. */
    static OwnerReference ownerOf(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** The pod's own IP as KFDFS_BIND_ADDR: the servers bind it, and trackers and peers know it by it. */
    static List<EnvVar> podEnv() {
        List<EnvVar> env = new ArrayList<>();
        env.add(field("POD_IP", "status.podIP"));
        env.add(field("POD_NAME", "metadata.name"));
        env.add(field("POD_NAMESPACE", "metadata.namespace"));
        env.add(new EnvVarBuilder().withName("KFDFS_BIND_ADDR").withValue("$(POD_IP)").build());
        return env;
    }

    private static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }

    static Probe httpProbe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(3).withFailureThreshold(failureThreshold).build();
    }

    static void secure(Container c) {
        c.setSecurityContext(new SecurityContextBuilder().withAllowPrivilegeEscalation(false).withNewCapabilities()
                .withDrop("ALL").endCapabilities().build());
    }

    static List<LocalObjectReference> pullSecrets(Images images) {
        return images.pullSecrets.stream().map(LocalObjectReference::new).toList();
    }

    /** The user's scheduling and security choices; the operator's labels win over the user's. */
    static void apply(PodOverrides o, ObjectMeta podMeta, PodSpec spec) {
        if (o.labels != null) {
            Map<String, String> labels = new LinkedHashMap<>(o.labels);
            labels.putAll(podMeta.getLabels());
            podMeta.setLabels(labels);
        }
        if (o.annotations != null) {
            Map<String, String> annotations = new LinkedHashMap<>(o.annotations);
            if (podMeta.getAnnotations() != null) {
                annotations.putAll(podMeta.getAnnotations());
            }
            podMeta.setAnnotations(annotations);
        }
        spec.setAffinity(o.affinity);
        spec.setTolerations(o.tolerations);
        spec.setNodeSelector(o.nodeSelector);
        spec.setTopologySpreadConstraints(o.topologySpreadConstraints);
        spec.setPriorityClassName(o.priorityClassName);
        spec.setSecurityContext(o.securityContext != null ? o.securityContext : defaultSecurity());
    }

    private static PodSecurityContext defaultSecurity() {
        return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(USER)
                .withFsGroup(USER).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    /** At most one pod of {@code selector} down by eviction (a node drain) at a time. */
    static PodDisruptionBudget pdb(String name, HasMetadata owner, Map<String, String> labels, Map<String, String> selector) {
        return new PodDisruptionBudgetBuilder().withMetadata(meta(name, owner, labels)).withNewSpec()
                .withMaxUnavailable(new IntOrString(1)).withNewSelector().withMatchLabels(new LinkedHashMap<>(selector))
                .endSelector().endSpec().build();
    }
}
