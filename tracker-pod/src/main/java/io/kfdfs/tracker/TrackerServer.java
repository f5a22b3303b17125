package io.kfdfs.tracker;

import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.pod.FrameServer;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.pod.http.MeteredHandler;
import io.kfdfs.pod.http.PodHttpServer;
import io.kfdfs.pod.http.PodMetrics;
import io.kfdfs.protocol.Version;
import io.kfdfs.tracker.http.Dashboard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A tracker: loads its state from {@code <base_path>/data}, serves the FastDFS tracker protocol, keeps
 * the state files current and takes storage_ids.conf again when it changes; optionally serves HTTP
 * (dashboard, {@code /api/cluster}, health, metrics).
 * Deployed as one verticle, so the {@link Cluster}, the connections, the HTTP requests and the timers all
 * run on one event loop.
 */
public final class TrackerServer extends VerticleBase {

    /** The FastDFS version this tracker speaks and reports. */
    public static final String VERSION = Version.KFDFS;

    private static final System.Logger LOG = System.getLogger(TrackerServer.class.getName());
    /** TRACKER_SYNC_STATUS_FILE_INTERVAL: how often .tracker_status is rewritten. */
    private static final long STATUS_FILE_MILLIS = 300_000;
    /** How often changed counters and space reports are saved (C: every 1000 updates). */
    private static final long STATS_SAVE_MILLIS = 10_000;

    private final TrackerConfig config;
    private final StorageIds ids;
    private final LongSupplier clock;
    private final NameResolver dns;
    /** -1: no HTTP port. */
    private final int httpPort;
    private PodMetrics metrics;
    private PodHttpServer http;
    private ClusterStatus status;
    private Cluster cluster;
    private StateStore store;
    private FrameServer frameServer;
    private Leadership leadership;
    private long startTime;
    private long lastCheckTime;
    private int connections;
    private int maxConnections;

    /**
     * @param ids storage_ids.conf when {@code use_storage_id} is on, else null
     * @param clock unix seconds
     * @param httpPort the HTTP port (0: any free one), or -1 for none
     * @param dns how the host names of storage_ids.conf are resolved
     */
    public TrackerServer(TrackerConfig config, StorageIds ids, LongSupplier clock, int httpPort, NameResolver dns) {
        this.config = config;
        this.ids = ids;
        this.clock = clock;
        this.httpPort = httpPort;
        this.dns = dns;
    }

    public TrackerServer(TrackerConfig config, StorageIds ids, LongSupplier clock, int httpPort) {
        this(config, ids, clock, httpPort, NameResolver.JDK);
    }

    public TrackerServer(TrackerConfig config, StorageIds ids, LongSupplier clock) {
        this(config, ids, clock, -1);
    }

    public TrackerServer(TrackerConfig config, StorageIds ids) {
        this(config, ids, () -> System.currentTimeMillis() / 1000);
    }

    /** Deploys a tracker without HTTP on its own event loop; the future completes once it listens. */
    public static Future<TrackerServer> deploy(Vertx vertx, TrackerConfig config, StorageIds ids) {
        return deploy(vertx, new TrackerServer(config, ids));
    }

    /** Deploys a tracker that also serves HTTP on {@code httpPort} (0: any free port). */
    public static Future<TrackerServer> deploy(Vertx vertx, TrackerConfig config, StorageIds ids, int httpPort) {
        return deploy(vertx, new TrackerServer(config, ids, () -> System.currentTimeMillis() / 1000, httpPort));
    }

    /** Deploys {@code server} on its own event loop; the future completes once it listens. */
    public static Future<TrackerServer> deploy(Vertx vertx, TrackerServer server) {
        return vertx.deployVerticle(server).map(id -> server);
    }

    @Override
    public Future<?> start() {
        startTime = clock.getAsLong();
        cluster = new Cluster(config, ids, clock);
        store = new StateStore(vertx, Path.of(config.basePath(), "data"));
        metrics = new PodMetrics("tracker");
        return startHttp().compose(v -> vertx.executeBlocking(() -> {
                    store.removeStaleTemporaryFiles();
                    return new String[] {store.read(StateFiles.GROUPS), store.read(StateFiles.SERVERS),
                            store.read(StateFiles.SYNC_TIMESTAMPS), store.read(StateFiles.CHANGELOG),
                            store.read(StateFiles.STATUS)};
                }))
                .compose(files -> {
                    StateFiles.load(cluster, store.dir, files[0], files[1], files[2], files[3]);
                    if (files[4] != null) {
                        lastCheckTime = ConfFile.parse(store.dir.resolve(StateFiles.STATUS), files[4])
                                .getLong("last_check_time", 0, 0, Long.MAX_VALUE);
                    }
                    PodLimits limits = PodLimits.of(config);
                    leadership = new Leadership(vertx, cluster, this, limits);
                    status = new ClusterStatus(this, cluster, leadership, metrics.registry());
                    return FrameServer.start(vertx, listenHost(), config.port(),
                            new MeteredHandler(new TrackerService(this, cluster, leadership,
                                    new SysFileCopy(vertx, cluster, this, leadership, limits, config.peerDataWait()),
                                    ids == null ? null : new StorageIdLookup(vertx, cluster, dns)), metrics), limits,
                            config.allowHosts());
                })
                .compose(fs -> {
                    frameServer = fs;
                    vertx.setPeriodic(config.checkActiveInterval() * 1000L, id -> {
                        cluster.expireHeartbeats();
                        saveChanges(false);
                    });
                    vertx.setPeriodic(STATS_SAVE_MILLIS, id -> saveChanges(cluster.takeStatsChanged()));
                    vertx.setPeriodic(1000, id -> leadership.tick());
                    vertx.setPeriodic(1000, id -> status.refresh());
                    vertx.setPeriodic(STATUS_FILE_MILLIS, id -> store.saveStatus(startTime, clock.getAsLong()));
                    if (ids != null) {
                        new StorageIdsReload(vertx, config.storageIdsPath(), cluster).start();
                    }
                    LOG.log(Level.INFO, "tracker listening on " + host() + ":" + fs.actualPort() + " with "
                            + cluster.groups.size() + " groups loaded from " + store.dir);
                    return store.saveStatus(startTime, clock.getAsLong());
                });
    }

    /**
     * HTTP first, so that health and readiness answer while the state loads. Started on this verticle's
     * context, its requests run on the cluster's event loop.
     */
    private Future<Void> startHttp() {
        if (httpPort < 0) {
            return Future.succeededFuture();
        }
        return PodHttpServer.start(vertx, listenHost(), httpPort, metrics,
                        () -> frameServer != null ? Optional.empty() : Optional.of("loading the cluster state"),
                        router -> Dashboard.mount(router, this::clusterJson))
                .map(s -> {
                    http = s;
                    LOG.log(Level.INFO, "tracker HTTP (dashboard, /api/cluster, /healthz, /readyz, /metrics) on "
                            + host() + ":" + s.actualPort());
                    return null;
                });
    }

    /** The cluster as the dashboard shows it, read on the cluster's event loop. */
    private Future<JsonObject> clusterJson() {
        return Future.future(p -> context.runOnContext(v -> {
            if (frameServer == null) {
                p.fail("loading the cluster state");
            } else {
                p.complete(status.json());
            }
        }));
    }

    /** Saves everything and closes the store, whatever failed before: a stopped tracker writes nothing more. */
    @Override
    public Future<?> stop() {
        if (leadership != null) {
            leadership.close();
        }
        Future<Void> httpClosed = http == null ? Future.succeededFuture() : http.close();
        Future<Void> closed = frameServer == null ? Future.succeededFuture() : frameServer.close();
        return Future.join(httpClosed, closed)
                .transform(ar -> store.save(cluster, cluster.takeChanges(), true))
                .transform(ar -> store.saveStatus(startTime, clock.getAsLong()))
                .transform(ar -> store.close())
                .onComplete(ar -> {
                    metrics.close();
                    LOG.log(Level.INFO, "tracker stopped");
                });
    }

    private Future<Void> saveChanges(boolean stats) {
        return store.save(cluster, cluster.takeChanges(), stats)
                .onFailure(e -> LOG.log(Level.ERROR, "cannot save the tracker state", e));
    }

    private String host() {
        return config.bindAddr().isEmpty() ? "*" : config.bindAddr();
    }

    private String listenHost() {
        return config.bindAddr().isEmpty() ? "0.0.0.0" : config.bindAddr();
    }

    /** The port it listens on (the configured one, or the one the OS chose for port 0). */
    public int port() {
        return frameServer.actualPort();
    }

    /** The HTTP port it listens on; -1 without HTTP. */
    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    /** {@code host:port} of the binary protocol, for pages that cannot name the tracker as storages do. */
    String address() {
        return listenHost() + ":" + port();
    }

    long startTime() {
        return startTime;
    }

    long lastCheckTime() {
        return lastCheckTime;
    }

    StateStore store() {
        return store;
    }

    void connectionOpened() {
        maxConnections = Math.max(maxConnections, ++connections);
    }

    void connectionClosed() {
        connections--;
    }

    int connections() {
        return connections;
    }

    int maxConnections() {
        return maxConnections;
    }
}
