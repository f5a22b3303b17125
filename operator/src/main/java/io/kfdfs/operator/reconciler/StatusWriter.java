package io.kfdfs.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.net.HttpURLConnection;
import java.time.Duration;

/**
 * Writes a resource's status whole (PUT on the status subresource, without a resourceVersion): it is
 * computed afresh from what each reconcile observed, and only its own reconciler writes it. JOSDK's status
 * patch is a JSON patch against its cached copy, which fails when the cache lags behind the last write
 * (an array index that no longer exists), and a merge patch could not remove a field that became empty.
 */
final class StatusWriter {

    private StatusWriter() {
    }

    static <T extends HasMetadata> UpdateControl<T> replace(KubernetesClient client, T resource, Duration again) {
        String version = resource.getMetadata().getResourceVersion();
        resource.getMetadata().setResourceVersion(null);
        try {
            client.resource(resource).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            // deleted while it was reconciled: nothing left to write to
        } finally {
            resource.getMetadata().setResourceVersion(version);
        }
        return UpdateControl.<T>noUpdate().rescheduleAfter(again);
    }
}
