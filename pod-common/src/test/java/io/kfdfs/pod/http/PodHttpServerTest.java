package io.kfdfs.pod.http;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.kfdfs.pod.http.Prometheus.find;
import static io.kfdfs.pod.http.Prometheus.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod HTTP endpoints over 127.0.0.1, and the meters {@link PodMetrics} records as Prometheus reads them. */
class PodHttpServerTest {

    Vertx vertx;
    PodMetrics metrics;
    PodHttpServer server;
    final AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("no tracker joined"));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        metrics = new PodMetrics("storage");
        server = PodHttpServer.start(vertx, "127.0.0.1", 0, metrics, notReady::get, router -> {
            router.get("/hello").handler(ctx -> ctx.end("hi"));
            router.route().handler(ctx -> ctx.response().setStatusCode(418).end());
        }).await(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
        metrics.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOk() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
    }

    @Test
    void readyzFollowsTheCheck() throws Exception {
        HttpResponse<String> r = get("/readyz");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("no tracker joined"), r.body());
        notReady.set(Optional.empty());
        assertEquals(200, get("/readyz").statusCode());
    }

    @Test
    void podRoutesComeAfterTheBuiltInOnes() throws Exception {
        assertEquals("hi", get("/hello").body());
        assertEquals(418, get("/anything/else").statusCode());
        assertEquals(200, get("/healthz").statusCode());
    }

    @Test
    void metricsExposeRecordedRequestsInPrometheusFormat() throws Exception {
        metrics.request(Cmd.UPLOAD_FILE, Status.OK, TimeUnit.MILLISECONDS.toNanos(2));
        metrics.request(Cmd.UPLOAD_FILE, Status.OK, TimeUnit.MILLISECONDS.toNanos(3));
        metrics.request(Cmd.DOWNLOAD_FILE, Status.ENOENT, TimeUnit.MILLISECONDS.toNanos(700));
        metrics.received(100);
        metrics.received(23);
        metrics.sent(4096);
        metrics.connectionOpened();
        metrics.connectionOpened();
        metrics.connectionClosed();
        get("/healthz");

        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        String text = r.body();

        assertEquals(2.0, value(text, "kfdfs_requests_total", "cmd", "UPLOAD_FILE", "status", "OK", "role", "storage"));
        assertEquals(1.0, value(text, "kfdfs_requests_total", "cmd", "DOWNLOAD_FILE", "status", "ENOENT"));
        assertEquals(2.0, value(text, "kfdfs_request_duration_seconds_count", "cmd", "UPLOAD_FILE"));
        assertEquals(0.005, value(text, "kfdfs_request_duration_seconds_sum", "cmd", "UPLOAD_FILE"), 1e-9);
        assertEquals(0.0, value(text, "kfdfs_request_duration_seconds_bucket", "cmd", "UPLOAD_FILE", "le", "0.001"));
        assertEquals(2.0, value(text, "kfdfs_request_duration_seconds_bucket", "cmd", "UPLOAD_FILE", "le", "0.005"));
        assertEquals(0.0, value(text, "kfdfs_request_duration_seconds_bucket", "cmd", "DOWNLOAD_FILE", "le", "0.5"));
        assertEquals(1.0, value(text, "kfdfs_request_duration_seconds_bucket", "cmd", "DOWNLOAD_FILE", "le", "1.0"));
        assertEquals(123.0, value(text, "kfdfs_network_received_bytes_total"));
        assertEquals(4096.0, value(text, "kfdfs_network_sent_bytes_total"));
        assertEquals(1.0, value(text, "kfdfs_connections_open"));
        assertEquals(1.0, value(text, "kfdfs_http_requests_total", "method", "GET", "code", "200"));
        assertTrue(value(text, "kfdfs_http_sent_bytes_total") > 0);

        for (String jvm : new String[]{"jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "system_cpu_count", "process_uptime_seconds"}) {
            assertTrue(find(text, jvm, Map.of()).isPresent(), jvm + " missing");
        }
    }
}
