package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Labels;

import java.util.List;

/**
 * Says which volumes still hold a deleted group's files (kept by {@code pvcRetention.whenDeleted: Retain},
 * the default), in an Event on the deleted StorageGroup. Watching deletions needs no finalizer, so no
 * deletion can hang on the operator; a group deleted while the operator is down gets no Event.
 */
public final class RetainedVolumes implements ResourceEventHandler<StorageGroup>, AutoCloseable {

    private final KubernetesClient client;
    private final EventRecorder events;
    private final List<SharedIndexInformer<StorageGroup>> informers;

    /** @param namespaces the namespaces to watch, or empty for all */
    public RetainedVolumes(KubernetesClient client, EventRecorder events, List<String> namespaces) {
        this.client = client;
        this.events = events;
        var groups = client.resources(StorageGroup.class);
        this.informers = namespaces.isEmpty() ? List.of(groups.inAnyNamespace().inform(this))
                : namespaces.stream().map(ns -> groups.inNamespace(ns).inform(this)).toList();
    }

    @Override
    public void onAdd(StorageGroup group) {
    }

    @Override
    public void onUpdate(StorageGroup before, StorageGroup after) {
    }

    @Override
    public void onDelete(StorageGroup group, boolean finalStateUnknown) {
        if (!"Retain".equals(group.getSpec().pvcRetention.whenDeleted)) {
            return;
        }
        List<String> claims = client.persistentVolumeClaims().inNamespace(group.getMetadata().getNamespace())
                .withLabels(Labels.groupSelector(group)).list().getItems().stream()
                .map(PersistentVolumeClaim::getMetadata).map(m -> m.getName()).sorted().toList();
        if (!claims.isEmpty()) {
            events.record(group, EventRecorder.NORMAL, "VolumesRetained", "StorageGroup deleted; the volumes "
                    + String.join(", ", claims) + " keep the files of group " + group.getSpec().groupName
                    + " (pvcRetention.whenDeleted: Retain): re-create the group to serve them, delete them to free the space");
        }
        events.forget(group);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
