package io.kfdfs.storage;

import io.kfdfs.storage.store.AppenderFiles;
import io.kfdfs.storage.store.DataFiles;
import io.kfdfs.storage.store.MetadataFiles;
import io.kfdfs.storage.store.Naming;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.sync.Binlog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What the request handlers share: the store and its helpers, the binlog, counters and identity, and
 * the per-file queues, which live on the server's event loop.
 */
final class StorageContext {

    final Vertx vertx;
    final Store store;
    final Naming naming;
    final Binlog binlog;
    final Counters counters;
    final Identity identity;
    final DataFiles files;
    final MetadataFiles metadata;
    final AppenderFiles appenders;
    /** {@code fsync_after_written_bytes}: 0 never forces data files to disk. */
    final long fsyncEvery;
    private final Map<String, Future<Void>> queues = new HashMap<>();

    StorageContext(Vertx vertx, Store store, Naming naming, Binlog binlog, Counters counters, Identity identity,
                   long fsyncEvery) {
        this.vertx = vertx;
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

    /** Runs disk work on a worker thread; the result comes back on the caller's event loop. */
    <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /**
     * Runs {@code op} after every earlier operation queued on {@code name} has finished, so changes to one
     * file (appends, metadata merges, deletes) never interleave. Call on the server's event loop.
     */
    <T> Future<T> serialized(String name, Supplier<Future<T>> op) {
        Future<Void> previous = queues.getOrDefault(name, Future.succeededFuture());
        Promise<Void> mine = Promise.promise();
        queues.put(name, mine.future());
        return previous.transform(ignored -> op.get()).andThen(r -> {
            mine.complete();
            if (queues.get(name) == mine.future()) {
                queues.remove(name);
            }
        });
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
