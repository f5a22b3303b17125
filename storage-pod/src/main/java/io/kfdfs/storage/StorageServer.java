package io.kfdfs.storage;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.pod.FrameServer;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.pod.http.MeteredHandler;
import io.kfdfs.pod.http.PodHttpServer;
import io.kfdfs.pod.http.PodMetrics;
import io.kfdfs.storage.commands.StorageContext;
import io.kfdfs.storage.http.GatewayConfig;
import io.kfdfs.storage.report.Reporter;
import io.kfdfs.storage.stats.Counters;
import io.kfdfs.storage.stats.StatFile;
import io.kfdfs.storage.stats.StorageMeters;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.DataInitFlag;
import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.storage.store.FileCounts;
import io.kfdfs.storage.store.Identity;
import io.kfdfs.storage.store.Naming;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.kfdfs.storage.sync.Replication;
import io.kfdfs.storage.sync.SyncLag;
import io.kfdfs.storage.sync.SyncProgress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A kfdfs storage server: prepares the base and store paths (data directories, leftover temporary files,
 * identity and counters from the last run, the binlog), then serves the FastDFS storage protocol, reports
 * to the trackers and replicates to the other members of its group.
 *
 * <p>A store path whose files are gone while the storage had been running before (a replaced disk) makes
 * the storage ask for a full sync again, as a new member does: the group fills it back.
 */
public final class StorageServer {

    private static final System.Logger LOG = System.getLogger(StorageServer.class.getName());
    /** Written when the storage left its group (retirement): it must not join again by accident. */
    static final String RETIRED = ".retired";
    /** How often the sync-lag gauges take the peers' acknowledged positions. */
    private static final long SYNC_LAG_REFRESH_MILLIS = 2000;

    private final StorageConfig conf;
    private final StorageContext ctx;
    private final Path dataDir;
    private final SyncProgress progress = new SyncProgress();
    private final Reporter reporter;
    private final Replication replication;
    private final Promise<Void> retired = Promise.promise();
    private final PodMetrics metrics = new PodMetrics("storage");
    private final StorageMeters meters;
    private final SyncLag syncLag;
    private FrameServer server;
    private PodHttpServer http;
    private Retirement retirement;
    private long statTimer = -1;
    private long syncLagTimer = -1;

    private StorageServer(StorageConfig conf, StorageContext ctx, Path dataDir, DataInitFlag initFlag, NameResolver dns) {
        this.conf = conf;
        this.ctx = ctx;
        this.dataDir = dataDir;
        this.reporter = new Reporter(ctx.vertx, conf, ctx.identity, ctx.store, ctx.counters, progress, initFlag,
                dataDir.resolve(DataInitFlag.NAME), dns);
        this.replication = new Replication(ctx.vertx, ctx.store, ctx.binlog, ctx.counters, reporter);
        this.meters = new StorageMeters(metrics.registry(), ctx.store, ctx.store.fileCounts());
        this.syncLag = new SyncLag(ctx.binlog, meters);
    }

    /** Starts a storage with the real disk-space source. */
    public static Future<StorageServer> start(Vertx vertx, StorageConfig conf) {
        return start(vertx, conf, DiskSpace.SYSTEM);
    }

    public static Future<StorageServer> start(Vertx vertx, StorageConfig conf, DiskSpace disk) {
        return start(vertx, conf, disk, NameResolver.JDK);
    }

    /** @param dns resolves the tracker_server names and those of the storage IDs */
    public static Future<StorageServer> start(Vertx vertx, StorageConfig conf, DiskSpace disk, NameResolver dns) {
        Path dataDir = Path.of(conf.basePath()).resolve("data");
        // the reporter and replication run on a context of their own
        Context control = vertx.getOrCreateContext();
        return vertx.executeBlocking(() -> open(vertx, conf, disk, dataDir, dns), false)
                .compose(s -> s.listen(control).onFailure(e -> {
                    s.closeFiles();
                    s.ctx.close();
                }));
    }

    private static StorageServer open(Vertx vertx, StorageConfig conf, DiskSpace disk, Path dataDir, NameResolver dns)
            throws IOException {
        Files.createDirectories(dataDir);
        if (Files.exists(dataDir.resolve(RETIRED))) {
            startOver(conf, dataDir);
        }
        boolean startedBefore = Files.exists(dataDir.resolve(DataInitFlag.NAME));
        DataInitFlag initFlag = DataInitFlag.loadOrCreate(dataDir.resolve(DataInitFlag.NAME), StorageContext.now(),
                conf.port());
        List<StorePath> paths = conf.storePaths().stream()
                .map(p -> new StorePath(p.index(), Path.of(p.path()), p.readonly()))
                .toList();
        Store store = new Store(paths, conf.subdirCountPerPath(), disk);
        Counters counters = new Counters();
        Naming.DistState dist = StatFile.load(dataDir.resolve(StatFile.NAME), counters, store.fileCounts());
        List<StorePath> emptied = store.prepare();
        settleFileCounts(store, emptied);
        if (startedBefore && initFlag.syncOldDone() && !emptied.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "store path(s) " + emptied.stream().map(p -> p.root().toString()).toList()
                    + " lost their files: asking the group for a full sync to fill them again");
            initFlag = initFlag.withSyncPending();
            initFlag.save(dataDir.resolve(DataInitFlag.NAME));
        }
        // the random bits of file names, as C's rand(): not a secret (anti-steal tokens protect files), so
        // not a SecureRandom, which costs microseconds per name; seeded unpredictably all the same
        Naming naming = new Naming(conf.fileDistributePathMode(), conf.fileDistributeRotateCount(),
                conf.subdirCountPerPath(), new SplittableRandom(new SecureRandom().nextLong()), dist);
        Binlog binlog = Binlog.open(dataDir.resolve("sync"), conf.binlogFsync());
        String bindIp = HostPort.isIpv4Literal(conf.bindAddr()) ? conf.bindAddr() : "";
        Identity identity = new Identity(conf.groupName(), conf.serverId(), bindIp);
        StorageContext ctx = new StorageContext(vertx, store, naming, binlog, counters, identity,
                conf.fsyncAfterWrittenBytes(), conf.diskThreads());
        return new StorageServer(conf, ctx, dataDir, initFlag, dns);
    }

    /**
     * This storage retired earlier, so every other member had all its changes when it left, and the
     * trackers deleted it: what it holds may be stale. It starts over as a new member (a volume kept after a
     * scale-in, a pod started on it again): its files, binlog and marks are deleted, and it full-syncs from
     * the group like any new member. Serving the old files, or refusing to start, would both be wrong.
     */
    private static void startOver(StorageConfig conf, Path dataDir) throws IOException {
        LOG.log(System.Logger.Level.WARNING, "this storage retired on " + Files.readString(dataDir.resolve(RETIRED)).strip()
                + " (" + dataDir.resolve(RETIRED) + "): starting over as a new member, its old files deleted");
        List<Path> trees = new java.util.ArrayList<>(List.of(dataDir));
        conf.storePaths().forEach(p -> trees.add(Path.of(p.path()).resolve("data")));
        for (Path tree : trees) {
            if (!Files.exists(tree)) {
                continue;
            }
            try (var walk = Files.walk(tree)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dataDir)) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /**
     * A store path whose directories were just created holds no file, whatever the stat file says; one
     * the stat file has no count of (data from before kfdfs kept counts) is counted once, here, before
     * the storage serves.
     */
    private static void settleFileCounts(Store store, List<StorePath> created) {
        FileCounts counts = store.fileCounts();
        for (StorePath p : store.paths()) {
            if (created.contains(p)) {
                counts.set(p.index(), 0);
            } else if (counts.get(p.index()) < 0) {
                LOG.log(System.Logger.Level.INFO, "counting the files of " + p.data() + " once");
                counts.set(p.index(), FileCounts.count(p.data(), store.subdirCount()));
            }
        }
    }

    private Future<StorageServer> listen(Context control) {
        String host = host();
        PodLimits limits = limits();
        retirement = new Retirement(ctx, reporter, replication, control, this::leave);
        return FrameServer.start(ctx.vertx, host, conf.port(),
                        new MeteredHandler(new StorageHandler(ctx, conf.buffSize(), conf.syncBinlogBuffInterval(), progress, retirement), metrics), limits,
                        conf.allowHosts())
                .map(s -> {
                    server = s;
                    statTimer = ctx.vertx.setPeriodic(conf.syncStatFileInterval() * 1000L,
                            id -> ctx.blocking(this::saveStat));
                    // storage IDs and the group are known once the trackers answered: read them per change
                    reporter.onMembers(members -> replication.membersChanged(members, reporter.myId(),
                            new Replication.Settings(ctx.identity.group(), reporter.useStorageId(), conf.port(),
                                    conf.heartBeatInterval() * 1000L, conf.writeMarkFileFreq(), limits)));
                    reporter.onVersions(replication::peerVersions);
                    replication.start(control);
                    reporter.start(control);
                    syncLagTimer = ctx.vertx.setPeriodic(SYNC_LAG_REFRESH_MILLIS,
                            id -> control.runOnContext(v -> syncLag.refresh(replication.peers())));
                    LOG.log(System.Logger.Level.INFO, "storage of group " + ctx.identity.group() + " listening on "
                            + host + ":" + s.actualPort() + ", " + ctx.store.paths().size() + " store path(s)");
                    return this;
                });
    }

    private String host() {
        return conf.bindAddr().isEmpty() ? "0.0.0.0" : conf.bindAddr();
    }

    private PodLimits limits() {
        return PodLimits.of(conf);
    }

    /**
     * Serves HTTP at {@code bind_addr:port} (0: any free port): the files, {@code /healthz},
     * {@code /readyz} and {@code /metrics}. Stopped by {@link #close()}.
     *
     * @return the port
     */
    public Future<Integer> startHttp(GatewayConfig gateway, int port) {
        return StorageHttp.start(ctx, reporter, metrics, limits(), gateway, host(), port).map(s -> {
            http = s;
            LOG.log(System.Logger.Level.INFO, "storage HTTP (files, /healthz, /readyz, /metrics) on " + host() + ":"
                    + s.actualPort());
            return s.actualPort();
        });
    }

    public int port() {
        return server.actualPort();
    }

    /** Where the sync code registers its per-peer lag gauges. */
    public StorageMeters meters() {
        return meters;
    }

    public Identity identity() {
        return ctx.identity;
    }

    public Counters counters() {
        return ctx.counters;
    }

    public Store store() {
        return ctx.store;
    }

    public Binlog binlog() {
        return ctx.binlog;
    }

    public Reporter reporter() {
        return reporter;
    }

    public Path dataDir() {
        return dataDir;
    }

    public SyncProgress syncProgress() {
        return progress;
    }

    /** Completes when the storage has left its group (retirement): its process may end. */
    public Future<Void> retired() {
        return retired.future();
    }

    /** Retirement's last step: remembered on disk, then no more reports or sync; files are still served. */
    private void leave() {
        ctx.blocking(() -> Files.writeString(dataDir.resolve(RETIRED), StorageContext.now() + "\n"))
                .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "cannot write " + RETIRED + ": " + e))
                .transform(x -> reporter.stop())
                .transform(x -> replication.stop())
                .onComplete(ar -> {
                    LOG.log(System.Logger.Level.INFO, "left group " + ctx.identity.group() + ": retired");
                    retired.tryComplete();
                });
    }

    /**
     * Readies a stop: takes no more changes and waits, for at most {@code max}, until every ACTIVE peer has
     * all of this storage's and has had a heartbeat to tell the trackers (then {@link #close()}).
     */
    public Future<Void> drain(Duration max) {
        return retirement == null ? Future.succeededFuture()
                : retirement.drain(max, Duration.ofSeconds(conf.heartBeatInterval()));
    }

    /** Stops listening, saves the counters and closes the binlog. */
    public Future<Void> close() {
        if (statTimer >= 0) {
            ctx.vertx.cancelTimer(statTimer);
        }
        if (syncLagTimer >= 0) {
            ctx.vertx.cancelTimer(syncLagTimer);
        }
        Future<Void> httpClosed = http == null ? Future.succeededFuture() : http.close();
        return httpClosed.transform(x -> reporter.stop()).transform(x -> replication.stop()).transform(x -> server.close())
                .transform(ar -> ctx.<Void>blocking(() -> {
                    closeFiles();
                    return null;
                }))
                .andThen(ar -> {
                    ctx.close();
                    metrics.close();
                });
    }

    private Void saveStat() throws IOException {
        StatFile.save(dataDir.resolve(StatFile.NAME), ctx.counters, ctx.naming.state(), ctx.store.fileCounts());
        return null;
    }

    private void closeFiles() {
        try {
            saveStat();
            ctx.binlog.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing storage files: " + e);
        }
    }
}
