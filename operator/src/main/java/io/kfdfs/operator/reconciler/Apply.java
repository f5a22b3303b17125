package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kfdfs.operator.model.Hashes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates or updates one object as the model builds it, with plain create and update (PUT with the
 * resourceVersion read, so a concurrent change fails and the reconcile is retried). The desired object's
 * hash is kept in an annotation and an update is sent only when it changes: the API server adds defaults to
 * what it stores, so comparing the stored object with the desired one would find a difference every time.
 */
final class Apply {

    private static final System.Logger LOG = System.getLogger(Apply.class.getName());
    static final String DESIRED_HASH = "kfdfs.io/desired-hash";

    private final KubernetesClient client;

    Apply(KubernetesClient client) {
        this.client = client;
    }

    /** The object as stored after this call. */
    <T extends HasMetadata> T apply(T desired) {
        String hash = hash(desired);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (desired.getMetadata().getAnnotations() != null) {
            annotations.putAll(desired.getMetadata().getAnnotations());
        }
        annotations.put(DESIRED_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
        T existing = client.resource(desired).get();
        if (existing == null) {
            LOG.log(System.Logger.Level.INFO, "creating " + describe(desired));
            return client.resource(desired).create();
        }
        if (existing.getMetadata().getAnnotations() != null
                && hash.equals(existing.getMetadata().getAnnotations().get(DESIRED_HASH))) {
            return existing;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        keepWhatCannotChange(existing, desired);
        LOG.log(System.Logger.Level.INFO, "updating " + describe(desired));
        return client.resource(desired).update();
    }

    /** Fields the API server assigns or refuses to change: carried over from the stored object. */
    private static void keepWhatCannotChange(HasMetadata existing, HasMetadata desired) {
        if (existing instanceof Service e && desired instanceof Service d) {
            d.getSpec().setClusterIP(e.getSpec().getClusterIP());
            d.getSpec().setClusterIPs(e.getSpec().getClusterIPs());
        }
        if (existing instanceof StatefulSet e && desired instanceof StatefulSet d) {
            // a volume claim template cannot change: a PVC is resized by editing it (docs/operator.md)
            d.getSpec().setVolumeClaimTemplates(e.getSpec().getVolumeClaimTemplates());
        }
    }

    static String describe(HasMetadata o) {
        return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private static String hash(HasMetadata desired) {
        return Hashes.of(Serialization.asJson(desired));
    }
}
