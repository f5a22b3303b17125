package io.kfdfs.pod.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pod's HTTP port: {@code /healthz} (the process serves requests: 200), {@code /readyz} (200, or 503
 * with the reason), {@code /metrics} (Prometheus text format), then whatever routes the pod adds (the
 * storage's file gateway, the tracker's status page). Every response is counted in
 * {@code kfdfs_http_requests_total}.
 */
public final class PodHttpServer {

    /** Prometheus text exposition format 0.0.4, what {@code PrometheusMeterRegistry.scrape()} writes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** A keep-alive connection idle this long is closed, so abandoned clients do not pin resources. */
    private static final int IDLE_TIMEOUT_SECONDS = 120;

    private final HttpServer server;

    private PodHttpServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one).
     *
     * @param routes adds the pod's own routes; they come after the built-in ones, so a catch-all route
     *               there does not hide {@code /healthz}, {@code /readyz} or {@code /metrics}
     */
    public static Future<PodHttpServer> start(Vertx vertx, String host, int port, PodMetrics metrics,
                                              ReadinessCheck readiness, Consumer<Router> routes) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.addEndHandler(v -> metrics.httpRequest(ctx.request().method().name(),
                    ctx.response().getStatusCode(), ctx.response().bytesWritten()));
            ctx.next();
        });
        router.get("/healthz").handler(ctx -> text(ctx, 200, "ok\n"));
        router.get("/readyz").handler(ctx -> {
            Optional<String> reason = readiness.notReadyReason();
            if (reason.isEmpty()) {
                text(ctx, 200, "ready\n");
            } else {
                text(ctx, 503, "not ready: " + reason.get() + "\n");
            }
        });
        // collecting the JVM and process meters reads /proc: off the event loop
        router.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(body -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(body))
                .onFailure(ctx::fail));
        routes.accept(router);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setReuseAddress(true);
        return vertx.createHttpServer(options).requestHandler(router).listen().map(PodHttpServer::new);
    }

    public int actualPort() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server.close();
    }

    private static void text(RoutingContext ctx, int code, String body) {
        ctx.response().setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(body);
    }
}
