package io.kfdfs.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP port: {@code /healthz} (the process serves), {@code /readyz} (started, every
 * informer synced) and Prometheus {@code /metrics}. The JDK's own server: three tiny endpoints need no
 * HTTP stack on the operator's classpath.
 */
final class OperatorHttp implements AutoCloseable {

    private final HttpServer server;

    OperatorHttp(String bindAddr, int port, BooleanSupplier ready, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddr, port), 16);
        server.createContext("/healthz", x -> reply(x, 200, "ok\n", "text/plain"));
        server.createContext("/readyz", x -> {
            boolean ok = ready.getAsBoolean();
            reply(x, ok ? 200 : 503, ok ? "ready\n" : "not ready: informers not synced or controllers not started\n",
                    "text/plain");
        });
        server.createContext("/metrics", x -> reply(x, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange x, int code, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
