package io.kfdfs.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
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

    private static final System.Logger LOG = System.getLogger(KfdfsOperator.class.getName());

    private final Operator operator;
    private final RetainedVolumes retainedVolumes;
    private volatile boolean closing;

    public KfdfsOperator(KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
                    // plain create/update and JSON patches: what the tests' mock API server answers too
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withCloseClientOnStop(false);
            if (settings.leaderElection()) {
                // JOSDK's own exit on losing the lease runs System.exit from inside the shutdown hook when the
                // process is stopped (SIGTERM), which never returns: the pod then waits for SIGKILL
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("kfdfs-operator",
                        settings.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, settings.identity(),
                        new LeaderCallbacks(() -> { }, this::lostLease, leader -> LOG.log(System.Logger.Level.INFO,
                                "the kfdfs-operator lease is held by " + leader)), false));
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

    /** Another replica leads now: exit, to be started again as a candidate (unless this one is stopping). */
    private void lostLease() {
        if (!closing) {
            LOG.log(System.Logger.Level.WARNING, "lost the kfdfs-operator lease: exiting");
            new Thread(() -> System.exit(1), "lost-lease").start();
        }
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
        closing = true;
        retainedVolumes.close();
        operator.stop();
    }
}
