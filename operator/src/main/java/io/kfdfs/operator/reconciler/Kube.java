package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.fdfs.TrackerPod;
import io.kfdfs.operator.model.Labels;

import java.util.Comparator;
import java.util.List;

/** The reads both reconcilers make of the API server. */
final class Kube {

    private Kube() {
    }

    static FdfsCluster cluster(KubernetesClient client, String namespace, String name) {
        return client.resources(FdfsCluster.class).inNamespace(namespace).withName(name).get();
    }

    /** The cluster's StorageGroups, oldest first. */
    static List<StorageGroup> groups(KubernetesClient client, FdfsCluster c) {
        return client.resources(StorageGroup.class).inNamespace(c.getMetadata().getNamespace()).list().getItems().stream()
                .filter(g -> c.getMetadata().getName().equals(g.getSpec().cluster))
                .sorted(Comparator.comparing((StorageGroup g) -> String.valueOf(g.getMetadata().getCreationTimestamp()))
                        .thenComparing(g -> g.getMetadata().getName()))
                .toList();
    }

    static List<TrackerPod> trackerPods(KubernetesClient client, FdfsCluster c) {
        return client.pods().inNamespace(c.getMetadata().getNamespace()).withLabels(Labels.trackerSelector(c)).list()
                .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .map(p -> new TrackerPod(p.getMetadata().getName(), p.getStatus() == null ? null : p.getStatus().getPodIP(),
                        ready(p))).toList();
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean ownedBy(HasMetadata o, HasMetadata owner) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()));
    }
}
