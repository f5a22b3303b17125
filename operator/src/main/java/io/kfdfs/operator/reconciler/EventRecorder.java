package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes Events on the resources, as {@code kubectl describe} shows them. The same reason and message
 * on the same object is recorded once (a reconcile repeats every few seconds while it waits).
 */
public final class EventRecorder {

    private static final System.Logger LOG = System.getLogger(EventRecorder.class.getName());
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    private final KubernetesClient client;
    private final Map<String, String> lastByObjectAndReason = new ConcurrentHashMap<>();

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    void record(HasMetadata on, String type, String reason, String message) {
        String key = on.getMetadata().getUid() + "/" + reason;
        if (message.equals(lastByObjectAndReason.put(key, message))) {
            return;
        }
        LOG.log(WARNING.equals(type) ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                on.getKind() + " " + on.getMetadata().getNamespace() + "/" + on.getMetadata().getName() + ": "
                        + reason + ": " + message);
        String now = Instant.now().toString();
        try {
            client.v1().events().inNamespace(on.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(on.getMetadata().getName() + ".").endMetadata()
                    .withNewInvolvedObject().withApiVersion(on.getApiVersion()).withKind(on.getKind())
                    .withName(on.getMetadata().getName()).withNamespace(on.getMetadata().getNamespace())
                    .withUid(on.getMetadata().getUid()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("kfdfs-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record event " + reason + " on " + on.getMetadata().getName()
                    + ": " + e.getMessage());
        }
    }

    /** Forget an object's events when it is gone. */
    void forget(HasMetadata on) {
        lastByObjectAndReason.keySet().removeIf(k -> k.startsWith(on.getMetadata().getUid() + "/"));
    }
}
