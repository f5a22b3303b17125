package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Cluster DNS as one hosts file that every pod JVM and the test JVM read ({@code -Djdk.net.hosts.file}; the
 * pods resolve names with the JDK): pod host names ({@code <pod>.<subdomain>.<ns>.svc.cluster.local}), a
 * headless Service's name to every pod it selects, a ClusterIP Service's name to its {@link KubeProxy}
 * address. The JDK reads no other source once that property is set, so the file lists localhost too. It is
 * replaced atomically whenever an answer changes.
 */
final class ClusterDns {

    static final String DOMAIN = "svc.cluster.local";

    private final KubernetesClient client;
    private final Path file;
    private String written;

    ClusterDns(KubernetesClient client, Path file) {
        this.client = client;
        this.file = file;
        write("");
    }

    void sync(KubeProxy proxy) {
        StringBuilder b = new StringBuilder();
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> Kubelet.ip(p) != null).sorted(Comparator.comparing(Controllers::name)).toList();
        for (Pod p : pods) {
            if (p.getSpec().getHostname() != null && p.getSpec().getSubdomain() != null) {
                b.append(Kubelet.ip(p)).append(' ').append(p.getSpec().getHostname()).append('.')
                        .append(p.getSpec().getSubdomain()).append('.').append(Controllers.ns(p)).append('.')
                        .append(DOMAIN).append('\n');
            }
        }
        for (Service svc : client.services().inAnyNamespace().list().getItems()) {
            String host = Controllers.name(svc) + "." + Controllers.ns(svc) + "." + DOMAIN;
            if ("None".equals(svc.getSpec().getClusterIP())) {
                boolean notReadyToo = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
                Map<String, String> selector = svc.getSpec().getSelector();
                pods.stream().filter(p -> Controllers.ns(p).equals(Controllers.ns(svc)) && Controllers.matches(p, selector)
                                && (notReadyToo || Kubelet.isReady(p)))
                        .forEach(p -> b.append(Kubelet.ip(p)).append(' ').append(host).append('\n'));
            } else {
                String vip = proxy.address(svc);
                if (vip != null) {
                    b.append(vip).append(' ').append(host).append('\n');
                }
            }
        }
        write(b.toString());
    }

    private synchronized void write(String records) {
        String text = "127.0.0.1 localhost\n::1 localhost\n" + records;
        if (text.equals(written)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
