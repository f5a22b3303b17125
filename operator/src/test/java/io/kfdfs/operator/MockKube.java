package io.kfdfs.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1 with the CRDs of {@code crds/}, a client for it and the
 * operator running against it, as in production (plain create, update and JSON patches).
 */
public final class MockKube implements AutoCloseable {

    public final KubernetesMockServer server;
    public final KubernetesClient client;
    public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private KfdfsOperator operator;

    public MockKube() throws Exception {
        this(crud -> crud);
    }

    /** @param dispatcher the CRUD dispatcher wrapped, to answer what it cannot (SelfSubjectRulesReview) */
    public MockKube(UnaryOperator<Dispatcher> dispatcher) throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher.apply(new KubernetesCrudDispatcher(List.of())), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        try (Stream<Path> crds = Files.list(CrdsTest.CRDS)) {
            for (Path p : crds.sorted().toList()) {
                client.apiextensions().v1().customResourceDefinitions()
                        .resource(client.getKubernetesSerialization().unmarshal(Files.readString(p), CustomResourceDefinition.class))
                        .create();
            }
        }
    }

    public MockKube startOperator(OperatorSettings settings) {
        operator = new KfdfsOperator(client, settings, registry);
        operator.start();
        return this;
    }

    /** Every request the API server has seen so far (taken from its log). */
    public List<RecordedRequest> takeRequests() throws InterruptedException {
        List<RecordedRequest> all = new java.util.ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            all.add(r);
        }
        return all;
    }

    @Override
    public void close() {
        if (operator != null) {
            operator.close();
        }
        client.close();
        server.destroy();
    }
}
