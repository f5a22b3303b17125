package io.kfdfs.e2e.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small kube-proxy: every ClusterIP Service gets a loopback address of its own, written into its
 * {@code spec.clusterIP}, with a listener per port that passes each connection to one of the Service's
 * ready pods in turn, byte for byte. A connection to a Service with no ready pod is closed at once.
 */
final class KubeProxy implements AutoCloseable {

    private final KubernetesClient client;
    private final AddressPool addresses;
    /** Service uid -> its listeners. */
    private final Map<String, ServiceListeners> services = new ConcurrentHashMap<>();
    private volatile List<Pod> pods = List.of();

    KubeProxy(KubernetesClient client, AddressPool addresses) {
        this.client = client;
        this.addresses = addresses;
    }

    /** The Service's address, or null before it has one. */
    String address(Service svc) {
        ServiceListeners l = services.get(svc.getMetadata().getUid());
        return l == null ? null : l.address;
    }

    void sync() {
        pods = client.pods().inAnyNamespace().list().getItems();
        List<Service> all = client.services().inAnyNamespace().list().getItems();
        for (Service svc : all) {
            if ("None".equals(svc.getSpec().getClusterIP()) || services.containsKey(svc.getMetadata().getUid())) {
                continue;
            }
            ServiceListeners l = new ServiceListeners(svc, addresses.next());
            services.put(svc.getMetadata().getUid(), l);
            if (!l.address.equals(svc.getSpec().getClusterIP())) {
                client.services().inNamespace(Controllers.ns(svc)).withName(Controllers.name(svc))
                        .edit(s -> {
                            s.getSpec().setClusterIP(l.address);
                            s.getSpec().setClusterIPs(List.of(l.address));
                            return s;
                        });
            }
        }
        for (String uid : List.copyOf(services.keySet())) {
            if (all.stream().noneMatch(s -> s.getMetadata().getUid().equals(uid))) {
                services.remove(uid).close();
            }
        }
    }

    @Override
    public void close() {
        services.values().forEach(ServiceListeners::close);
        services.clear();
    }

    /** The listeners of one Service. */
    private final class ServiceListeners implements AutoCloseable {

        final String address;
        final String namespace;
        final Map<String, String> selector;
        final List<ServerSocket> sockets = new ArrayList<>();
        final AtomicInteger turn = new AtomicInteger();

        ServiceListeners(Service svc, String address) {
            this.address = address;
            this.namespace = Controllers.ns(svc);
            this.selector = svc.getSpec().getSelector();
            for (ServicePort port : svc.getSpec().getPorts()) {
                try {
                    ServerSocket s = new ServerSocket();
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(address, port.getPort()));
                    sockets.add(s);
                    Thread t = new Thread(() -> accept(s, port), "kube-proxy " + address + ":" + port.getPort());
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    throw new IllegalStateException("kube-proxy cannot listen on " + address + ":" + port.getPort(), e);
                }
            }
        }

        private void accept(ServerSocket server, ServicePort port) {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    List<Pod> ready = pods.stream().filter(p -> Controllers.ns(p).equals(namespace)
                            && Controllers.matches(p, selector) && Kubelet.isReady(p) && Kubelet.ip(p) != null).toList();
                    if (ready.isEmpty()) {
                        in.close();
                        continue;
                    }
                    Pod target = ready.get(Math.floorMod(turn.getAndIncrement(), ready.size()));
                    Socket out = new Socket();
                    try {
                        out.connect(new InetSocketAddress(Kubelet.ip(target), Controllers.targetPort(port, List.of(target))), 2000);
                    } catch (IOException e) {
                        closeQuietly(in);
                        closeQuietly(out);
                        continue;
                    }
                    AtomicInteger open = new AtomicInteger(2);
                    pipe(in, out, open);
                    pipe(out, in, open);
                } catch (IOException e) {
                    // the listener closed, or one connection failed: the others go on
                }
            }
        }

        /** Copies one direction; an end of stream half-closes the other side, both close when both ended. */
        private void pipe(Socket from, Socket to, AtomicInteger open) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        out.write(buf, 0, n);
                    }
                    to.shutdownOutput();
                    if (open.decrementAndGet() > 0) {
                        return;
                    }
                } catch (IOException e) {
                    // either side went away: close both
                }
                closeQuietly(from);
                closeQuietly(to);
            }, "kube-proxy pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            sockets.forEach(KubeProxy::closeQuietly);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
