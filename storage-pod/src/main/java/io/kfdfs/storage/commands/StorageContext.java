package io.kfdfs.storage.commands;

import io.kfdfs.storage.stats.Counters;
import io.kfdfs.storage.store.AppenderFiles;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.DataFiles;
import io.kfdfs.storage.store.Identity;
import io.kfdfs.storage.store.MetadataFiles;
import io.kfdfs.storage.store.Naming;
import io.kfdfs.storage.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the request handlers share: the store and its helpers, the binlog, counters and identity, and
 * the per-file queues.
 */
public final class StorageContext {

    public final Vertx vertx;
    public final Store store;
    public final Naming naming;
    public final Binlog binlog;
    public final Counters counters;
    public final Identity identity;
    public final DataFiles files;
    public final MetadataFiles metadata;
    public final AppenderFiles appenders;
    /** {@code fsync_after_written_bytes}: 0 never forces data files to disk. */
    public final long fsyncEvery;
    private final DiskThreads disk;
    private final Map<String, Future<Void>> queues = new ConcurrentHashMap<>();

    public StorageContext(Vertx vertx, Store store, Naming naming, Binlog binlog, Counters counters, Identity identity,
                   long fsyncEvery, int diskThreads) {
        this.vertx = vertx;
        this.disk = new DiskThreads(vertx, diskThreads);
        this.store = store;
        this.naming = naming;
        this.binlog = binlog;
        this.counters = counters;
        this.identity = identity;
        this.files = new DataFiles(store, binlog);
        this.metadata = new MetadataFiles(store, binlog);
        this.appenders = new AppenderFiles(store, files, naming, binlog);
        this.fsyncEvery = fsyncEvery;
    }

    /** Runs disk work on a disk thread; the result comes back on the caller's event loop. */
    public <T> Future<T> blocking(Callable<T> work) {
        return disk.run(work);
    }

    /** Lets the disk threads end once the work queued so far is done. */
    public void close() {
        disk.close();
    }

    /**
     * Runs {@code op} after every earlier operation queued on {@code name} has finished, so changes to one
     * file (appends, metadata merges, deletes) never interleave. {@code op} starts on the caller's
     * context (the connection's event loop) whichever connection finished the previous operation.
     */
    public <T> Future<T> serialized(String name, Supplier<Future<T>> op) {
        Context caller = vertx.getOrCreateContext();
        Promise<Void> mine = Promise.promise();
        Future<Void> previous = queues.put(name, mine.future());
        Future<Void> turn = previous == null ? Future.succeededFuture() : previous;
        return turn.transform(ignored -> Future.<T>future(p -> caller.runOnContext(v -> op.get().onComplete(p))))
                .andThen(r -> {
                    queues.remove(name, mine.future());
                    mine.complete();
                });
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
