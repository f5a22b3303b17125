package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfdfs.e2e.process.PodRuntime;
import io.kfdfs.operator.MockKube;
import io.kfdfs.operator.OperatorSettings;
import io.kfdfs.operator.model.Defaults;
import io.kfdfs.operator.model.Release;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small Kubernetes on one machine, for the operator end to end: fabric8's mock API server (CRUD mode, the
 * CRDs of {@code crds/}), the {@link Controllers} a controller manager would run, a {@link Kubelet} whose
 * pods are processes on their own loopback addresses, cluster DNS as a hosts file ({@link ClusterDns}) and a
 * {@link KubeProxy} for ClusterIP Services, all driven by one loop every {@value #PERIOD_MS} ms; and the
 * operator itself, unchanged, against a client of that API server.
 *
 * <p>It is not Kubernetes: no scheduler or nodes (every pod runs here), no network policy, no storage
 * classes (a PVC is a folder), no admission (CEL rules and OpenAPI schemas are not checked), no
 * graceful-deletion phase (a deleted pod is gone from the API at once; its process gets SIGTERM). Needs root
 * for mount namespaces, and the test JVM started with {@code -Djdk.net.hosts.file} naming the file it writes.
 */
public final class StandIn implements AutoCloseable {

    static final int PERIOD_MS = 200;

    /** The mock API server and the operator on it; null on a real cluster. */
    public final MockKube kube;
    public final KubernetesClient client;
    public final EventLog log = new EventLog();
    /** The process kubelet; null on a real cluster. */
    private final Kubelet kubelet;
    private final Controllers controllers;
    private final ClusterDns dns;
    private final KubeProxy proxy;
    private final Thread loop;
    private final Set<String> errorsSeen = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    private StandIn(Path dir, Path hosts) throws Exception {
        kube = new MockKube();
        client = kube.client;
        controllers = new Controllers(client, log);
        dns = new ClusterDns(client, hosts);
        proxy = new KubeProxy(client, AddressPool.services());
        kubelet = new Kubelet(client, dir, PodRuntime.ofCheckout(), hosts, log, AddressPool.pods());
        loop = new Thread(this::run, "stand-in");
        loop.setDaemon(true);
        loop.start();
    }

    /** A real cluster, from the current kubeconfig, where the operator was installed with its chart. */
    private StandIn(KubernetesClient real) {
        kube = null;
        client = real;
        kubelet = null;
        controllers = null;
        dns = null;
        proxy = null;
        loop = null;
    }

    /**
     * Starts the stand-in with its files under {@code dir}; the scenario does not run (a JUnit abort with the
     * reason, never a pass) where this machine cannot give pods a mount namespace. With
     * {@code -Dkube.real=true} the scenarios run on the cluster of the current kubeconfig instead (the
     * kfdfs images pushed, the operator installed with its chart, the tests run from a pod of that cluster so
     * that Service names and pod IPs reach): "not run: no cluster" where there is none.
     */
    public static StandIn start(Path dir) throws Exception {
        if (Boolean.getBoolean("kube.real")) {
            return real();
        }
        String hosts = System.getProperty("jdk.net.hosts.file");
        if (hosts == null) {
            throw new IllegalStateException("the test JVM must run with -Djdk.net.hosts.file (the e2e pom sets it)");
        }
        int canMount = Kubelet.run("unshare", "--mount", "--propagation", "private", "--", "true");
        if (canMount != 0) {
            throw new TestAbortedException("not run: the stand-in needs mount namespaces (root and unshare -m), "
                    + "and unshare --mount answered " + canMount + " here");
        }
        Files.createDirectories(dir);
        return new StandIn(dir, Path.of(hosts));
    }

    private static StandIn real() {
        KubernetesClient real = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
        try {
            real.getKubernetesVersion();
        } catch (RuntimeException e) {
            real.close();
            throw new TestAbortedException("not run: no cluster (kube.real=true, current kubeconfig: " + e.getMessage() + ")");
        }
        if (real.apiextensions().v1().customResourceDefinitions().withName("storagegroups.kfdfs.io").get() == null) {
            real.close();
            throw new TestAbortedException("not run: the kfdfs operator is not installed in this cluster (helm install, docs/operator.md)");
        }
        return new StandIn(real);
    }

    /** The stand-in's own processes, for faults: a scenario that needs them does not run on a real cluster. */
    public Kubelet kubelet() {
        if (kubelet == null) {
            throw new TestAbortedException("not run on a real cluster: the scenario needs the stand-in's control of pod processes");
        }
        return kubelet;
    }

    /**
     * Evicts a pod as {@code kubectl drain} would: refused (false) while a PodDisruptionBudget that selects it
     * allows no more disruption.
     */
    public boolean evict(String namespace, String pod) {
        kubelet();
        var p = client.pods().inNamespace(namespace).withName(pod).get();
        return p != null && controllers.evict(p);
    }

    /** The operator as the chart runs it, against this API server. */
    public StandIn startOperator() {
        if (kube == null) {
            return this; // a real cluster runs the operator its chart installed
        }
        Release built = Release.current();
        kube.startOperator(new OperatorSettings(List.of(), false, "kfdfs-system", "stand-in", "127.0.0.1", 0,
                new Defaults(built, "cluster.local")));
        return this;
    }

    /** As {@code kubectl apply -f}: each document created, or replaced when it exists. */
    public List<HasMetadata> apply(Path yaml) throws IOException {
        return apply(yaml, o -> { });
    }

    /** As {@link #apply(Path)}, each object changed by {@code edit} first (the scenario's variation). */
    public List<HasMetadata> apply(Path yaml, java.util.function.Consumer<HasMetadata> edit) throws IOException {
        try (InputStream in = Files.newInputStream(yaml)) {
            List<HasMetadata> applied = new ArrayList<>();
            for (HasMetadata loaded : client.load(in).items()) {
                HasMetadata o = typed(loaded);
                edit.accept(o);
                if (o.getMetadata().getNamespace() == null) {
                    o.getMetadata().setNamespace("default");
                }
                applied.add(client.resource(o).createOr(r -> r.update()));
            }
            return applied;
        }
    }

    /** kfdfs's own kinds as their Java classes (the loader gives generic resources for custom kinds). */
    private HasMetadata typed(HasMetadata o) {
        var serialization = client.getKubernetesSerialization();
        return switch (o.getKind()) {
            case "FdfsCluster" -> serialization.convertValue(o, io.kfdfs.operator.api.FdfsCluster.class);
            case "StorageGroup" -> serialization.convertValue(o, io.kfdfs.operator.api.StorageGroup.class);
            default -> o;
        };
    }

    private void run() {
        while (running) {
            try {
                controllers.sync();
                kubelet.sync();
                proxy.sync();
                dns.sync(proxy);
            } catch (RuntimeException e) {
                if (running && errorsSeen.add(String.valueOf(e.getMessage()))) {
                    System.err.println("stand-in: " + e);
                    e.printStackTrace();
                }
            }
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (kube == null) {
            client.close();
            return;
        }
        running = false;
        loop.interrupt();
        loop.join(10_000);
        kube.close();
        kubelet.close();
        proxy.close();
    }
}
