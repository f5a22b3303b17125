package io.kfdfs.storage;

import io.kfdfs.pod.http.ReadinessCheck;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.storage.report.Reporter;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A storage is ready when it has joined a tracker, the trackers report it ACTIVE (clients are sent to it
 * for reads), and every store path takes a write. The write check creates and deletes a probe file on a
 * worker thread; its result is kept for a few seconds and renewed when a check finds it older, so
 * {@code /readyz} never waits for a disk.
 */
final class StorageReadiness implements ReadinessCheck {

    private static final long PROBE_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private record Probe(long at, Optional<String> failure) {
    }

    private final Vertx vertx;
    private final Reporter reporter;
    private final Store store;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Probe probe;

    StorageReadiness(Vertx vertx, Reporter reporter, Store store) {
        this.vertx = vertx;
        this.reporter = reporter;
        this.store = store;
    }

    @Override
    public Optional<String> notReadyReason() {
        Probe last = probe;
        if (last == null || System.nanoTime() - last.at > PROBE_MAX_AGE_NANOS) {
            probeStorePaths();
        }
        if (reporter.joinedTrackers() == 0) {
            return Optional.of("not joined to any tracker yet");
        }
        if (reporter.status() != StorageStatus.ACTIVE) {
            return Optional.of("the trackers report it " + StorageStatus.name(reporter.status()) + ", not ACTIVE");
        }
        if (last == null) {
            return Optional.of("store paths not checked yet");
        }
        return last.failure;
    }

    private void probeStorePaths() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(this::writeProbes, false).onComplete(ar -> {
            probe = new Probe(System.nanoTime(), ar.succeeded() ? ar.result()
                    : Optional.of("store path check failed: " + ar.cause()));
            probing.set(false);
        });
    }

    /** A temporary-file name, so a probe left by a crash is removed at the next start. */
    private Optional<String> writeProbes() {
        for (StorePath p : store.paths()) {
            Path file = Store.tempFile(p);
            try {
                Files.write(file, new byte[] {1});
                Files.delete(file);
            } catch (IOException e) {
                return Optional.of("store path " + p.root() + " is not writable: " + e);
            }
        }
        return Optional.empty();
    }
}
