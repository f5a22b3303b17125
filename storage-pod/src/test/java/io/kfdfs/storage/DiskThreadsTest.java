package io.kfdfs.storage;

import io.kfdfs.storage.commands.DiskThreads;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage's file threads: how many run, where results and failures arrive, and what closing does. */
class DiskThreadsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** Runs {@code task} on a fresh event-loop context, as a request handler would. */
    private static <T> T onContext(Context context, Supplier<Future<T>> task) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        context.runOnContext(v -> task.get().onComplete(ar -> {
            if (Vertx.currentContext() != context) {
                out.completeExceptionally(new AssertionError("completed off the caller's context"));
            } else if (ar.succeeded()) {
                out.complete(ar.result());
            } else {
                out.completeExceptionally(ar.cause());
            }
        }));
        return out.get(10, TimeUnit.SECONDS);
    }

    @Test
    void workRunsOnTheDiskThreadsAndItsResultOnTheCallersContext() throws Exception {
        DiskThreads disk = new DiskThreads(vertx, 2);
        Context context = vertx.getOrCreateContext();
        assertTrue(onContext(context, () -> disk.run(() -> Thread.currentThread().getName())).startsWith("kfdfs-disk-"));
        IOException failure = new IOException("disk full");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> onContext(context, () -> disk.run(() -> {
                    throw failure;
                })));
        assertSame(failure, e.getCause());
        disk.close();
    }

    @Test
    void asManyThreadsRunAtOnceAsConfigured() throws Exception {
        DiskThreads disk = new DiskThreads(vertx, 3);
        Set<String> names = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(3);
        Context context = vertx.getOrCreateContext();
        // each task waits for the other two: only three threads running together can finish them
        onContext(context, () -> Future.all(
                disk.run(() -> meet(all, names)), disk.run(() -> meet(all, names)), disk.run(() -> meet(all, names))));
        assertEquals(3, names.size());
        disk.close();
    }

    private static Void meet(CountDownLatch all, Set<String> names) throws InterruptedException {
        names.add(Thread.currentThread().getName());
        all.countDown();
        if (!all.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fewer threads than configured");
        }
        return null;
    }

    @Test
    void queuedWorkFinishesAfterCloseAndNewWorkIsRefused() throws Exception {
        DiskThreads disk = new DiskThreads(vertx, 1);
        Context context = vertx.getOrCreateContext();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> queued = new CompletableFuture<>();
        context.runOnContext(v -> {
            disk.run(() -> release.await(10, TimeUnit.SECONDS));
            disk.run(() -> "done").onSuccess(queued::complete);
            disk.close();
            release.countDown();
        });
        assertEquals("done", queued.get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> onContext(context, () -> disk.run(() -> "late")));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }
}
