package io.kfdfs.pod;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodVertxTest {

    @TempDir
    Path dir;

    @Test
    void oneEventLoopPerCoreAndSmallBlockingPools() {
        VertxOptions o = PodVertx.options();
        assertEquals(Runtime.getRuntime().availableProcessors(), o.getEventLoopPoolSize());
        assertEquals(PodVertx.BLOCKING_THREADS, o.getWorkerPoolSize());
        assertEquals(PodVertx.BLOCKING_THREADS, o.getInternalBlockingPoolSize());
    }

    @Test
    void fileNamesAreFileNamesNotClassPathResources() throws Exception {
        String resource = "io/kfdfs/pod/PodVertxTest.class";
        Vertx plain = Vertx.vertx();
        Vertx pod = PodVertx.create();
        try {
            assertTrue(plain.fileSystem().exists(resource).await(10, TimeUnit.SECONDS), "Vert.x's default finds it");
            assertFalse(pod.fileSystem().exists(resource).await(10, TimeUnit.SECONDS));
            Path file = Files.writeString(dir.resolve("f.txt"), "content");
            assertEquals("content", pod.fileSystem().readFile(file.toString()).await(10, TimeUnit.SECONDS).toString());
        } finally {
            plain.close().await(10, TimeUnit.SECONDS);
            pod.close().await(10, TimeUnit.SECONDS);
        }
    }
}
