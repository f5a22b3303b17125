package io.kfdfs.tracker.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The tracker's status page: {@code GET /} is one self-contained HTML page (inline CSS and script, no
 * external assets) that fetches {@code GET /api/cluster} every few seconds and draws trackers, groups and
 * storages from it.
 */
public final class Dashboard {

    private static final Buffer PAGE = load("dashboard.html");

    private Dashboard() {
    }

    /**
     * @param cluster the cluster as JSON, read on the tracker's event loop; a failed future (the state is
     *                not loaded yet) is answered 503
     */
    public static void mount(Router router, Supplier<Future<JsonObject>> cluster) {
        router.get("/").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(PAGE));
        router.get("/api/cluster").handler(ctx -> cluster.get().onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end(ar.result().encode());
            } else {
                unavailable(ctx, ar.cause().getMessage());
            }
        }));
    }

    private static void unavailable(RoutingContext ctx, String why) {
        ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(why + "\n");
    }

    private static Buffer load(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the tracker's jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
