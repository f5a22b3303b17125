package io.kfdfs.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code java io.kfdfs.operator.OperatorMain}: the operator against the Kubernetes cluster of its
 * environment (in a pod: its service account; outside: the current kubeconfig), configured by
 * {@link OperatorSettings}. Runs until it is stopped.
 */
public final class OperatorMain {

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("kfdfs-operator: " + e.getMessage());
            System.exit(1);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        KubernetesClient client = new KubernetesClientBuilder().build();
        KfdfsOperator operator = new KfdfsOperator(client, settings, registry);
        OperatorHttp http = new OperatorHttp(settings.bindAddr(), settings.httpPort(),
                () -> operator.started() && operator.healthy(), registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.close();
            operator.close();
            client.close();
        }, "kfdfs-operator-shutdown"));
        System.err.println("kfdfs-operator " + settings.defaults().release().version() + ": watching "
                + (settings.namespaces().isEmpty() ? "all namespaces" : String.join(", ", settings.namespaces()))
                + (settings.leaderElection() ? ", leader election in " + settings.leaseNamespace() : "")
                + "; HTTP on " + settings.bindAddr() + ":" + http.port());
        try {
            operator.start();
        } catch (RuntimeException e) {
            // the HTTP server's thread would keep a process that reconciles nothing alive and "healthy"
            System.err.println("kfdfs-operator: cannot start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }
}
