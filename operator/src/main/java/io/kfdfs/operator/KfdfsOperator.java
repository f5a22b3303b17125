package io.kfdfs.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.kfdfs.operator.fdfs.Retirer;
import io.kfdfs.operator.fdfs.TrackerReader;
import io.kfdfs.operator.reconciler.EventRecorder;
import io.kfdfs.operator.reconciler.FdfsClusterReconciler;
import io.kfdfs.operator.reconciler.ReconcileMetrics;
import io.kfdfs.operator.reconciler.RetainedVolumes;
import io.kfdfs.operator.reconciler.StorageGroupReconciler;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Set;

/**
 * The operator: both reconcilers on one JOSDK {@link Operator}, over the given client. Main runs it against
 * the cluster it is in; tests run it against a mock API server.
 */
public final class KfdfsOperator implements AutoCloseable {

    /** FastDFS calls to the pods: short, so that a dead pod holds a reconcile up only briefly. */
    private static final Duration POD_TIMEOUT = Duration.ofSeconds(3);

    private final Operator operator;
    private final RetainedVolumes retainedVolumes;

    public KfdfsOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
                    // plain create/update and JSON patches: what the tests' mock API server answers too
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("kfdfs-operator",
                        settings.leaseNamespace(), settings.identity()));
            }
        });
        EventRecorder events = new EventRecorder(client);
        ReconcileMetrics metrics = new ReconcileMetrics(registry);
        TrackerReader trackers = new TrackerReader(POD_TIMEOUT);
        operator.register(new FdfsClusterReconciler(settings.defaults(), trackers, metrics, events),
                c -> namespaces(c, settings));
        operator.register(new StorageGroupReconciler(settings.defaults(), trackers, new Retirer(POD_TIMEOUT), metrics, events),
                c -> namespaces(c, settings));
        this.retainedVolumes = new RetainedVolumes(client, events, settings.namespaces());
    }

    private static void namespaces(io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> c,
                                   OperatorSettings settings) {
        if (settings.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
        } else {
            c.settingNamespaces(Set.copyOf(settings.namespaces()));
        }
    }

    public void start() {
        operator.start();
    }

    /** Every informer is connected and synced (and, with leader election, the controllers run or wait). */
    public boolean healthy() {
        return operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    public boolean started() {
        return operator.getRuntimeInfo().isStarted();
    }

    @Override
    public void close() {
        retainedVolumes.close();
        operator.stop();
    }
}
