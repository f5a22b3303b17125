package io.kfdfs.pod;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * The Vert.x instance of a tracker or storage process, sized for a small pod. Vert.x's defaults (two
 * event loops per core, 20 worker and 20 internal blocking threads) cost memory and context switches
 * and buy nothing when the pod has a core or two; resolving every file name against the class path
 * (a readlink per path component) slows each file open and sendFile.
 */
public final class PodVertx {

    /** Threads for blocking disk work: enough to keep a disk busy, few enough to stay small. */
    static final int BLOCKING_THREADS = 8;

    private PodVertx() {
    }

    public static VertxOptions options() {
        return new VertxOptions()
                .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
                .setWorkerPoolSize(BLOCKING_THREADS)
                .setInternalBlockingPoolSize(BLOCKING_THREADS)
                .setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions()
                        .setClassPathResolvingEnabled(false)
                        .setFileCachingEnabled(false));
    }

    public static Vertx create() {
        return Vertx.vertx(options());
    }
}
