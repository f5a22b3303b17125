package io.kfdfs.pod.http;

import io.kfdfs.pod.FrameConnection;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pod's metrics, exposed in Prometheus text format on {@code /metrics} by {@link PodHttpServer}. The
 * servers call the recording methods from their event loops; every method is thread-safe and cheap (the
 * meters of each command and status are created once and cached).
 *
 * <p>Names as Prometheus sees them: {@code kfdfs_requests_total{cmd,status}},
 * {@code kfdfs_request_duration_seconds{cmd}} (histogram), {@code kfdfs_network_received_bytes_total},
 * {@code kfdfs_network_sent_bytes_total}, {@code kfdfs_connections_open},
 * {@code kfdfs_http_requests_total{method,code}}, {@code kfdfs_http_sent_bytes_total}, plus the JVM, process and uptime meters of Micrometer's
 * binders. Every series carries {@code role} ("tracker", "storage").
 */
public final class PodMetrics implements AutoCloseable {

    /** Histogram buckets of request latency: a local metadata call takes microseconds, a large transfer seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AtomicLong openConnections = new AtomicLong();
    private final Counter received;
    private final Counter sent;
    private final Counter httpSent;
    private final Map<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final Map<Integer, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> httpRequests = new ConcurrentHashMap<>();

    /** @param role the pod's role, a label on every series */
    public PodMetrics(String role) {
        registry.config().commonTags("role", role);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("kfdfs.connections.open", openConnections, AtomicLong::get)
                .description("Open client and peer connections of the binary protocol")
                .register(registry);
        received = Counter.builder("kfdfs.network.received").baseUnit(BaseUnits.BYTES)
                .description("Bytes read from binary-protocol connections").register(registry);
        sent = Counter.builder("kfdfs.network.sent").baseUnit(BaseUnits.BYTES)
                .description("Bytes written to binary-protocol connections").register(registry);
        httpSent = Counter.builder("kfdfs.http.sent").baseUnit(BaseUnits.BYTES)
                .description("Response bytes written by the HTTP server (headers included)").register(registry);
    }

    /** For the pod's own meters (disk usage, sync lag, cluster state). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** One binary-protocol request answered with {@code status} after {@code durationNanos}. */
    public void request(int cmd, int status, long durationNanos) {
        int c = cmd & 0xFF;
        int s = status & 0xFF;
        requests.computeIfAbsent(c << 8 | s, k -> Counter.builder("kfdfs.requests")
                        .description("Binary-protocol requests by command and answered status")
                        .tag("cmd", Cmd.name(c))
                        .tag("status", Status.name(s))
                        .register(registry))
                .increment();
        durations.computeIfAbsent(c, k -> Timer.builder("kfdfs.request.duration")
                        .description("Time from a request's header to the end of its answer")
                        .tag("cmd", Cmd.name(c))
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry))
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** From {@code FrameHandler.onDone}: the request, and the connection's traffic since the last call. */
    public void answered(FrameConnection conn, int cmd, int status, long durationNanos) {
        request(cmd, status, durationNanos);
        received(conn.takeBytesRead());
        sent(conn.takeBytesWritten());
    }

    /** From {@code FrameHandler.onClose}: one connection fewer, and the traffic after its last answer. */
    public void closed(FrameConnection conn) {
        connectionClosed();
        received(conn.takeBytesRead());
        sent(conn.takeBytesWritten());
    }

    public void received(long bytes) {
        received.increment(bytes);
    }

    public void sent(long bytes) {
        sent.increment(bytes);
    }

    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** One HTTP request (files, health, metrics) answered with {@code code}; recorded by {@link PodHttpServer}. */
    void httpRequest(String method, int code, long bytesWritten) {
        httpSent.increment(bytesWritten);
        httpRequests.computeIfAbsent(method + " " + code, k -> Counter.builder("kfdfs.http.requests")
                        .description("HTTP requests by method and response code")
                        .tag("method", method)
                        .tag("code", Integer.toString(code))
                        .register(registry))
                .increment();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
