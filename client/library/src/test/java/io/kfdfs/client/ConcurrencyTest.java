package io.kfdfs.client;

import io.kfdfs.client.fake.FakeCluster;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 32 threads share one client: every reply reaches the thread whose request it answers. */
class ConcurrencyTest {

    private static final int THREADS = 32;
    private static final int ROUNDS = 25;

    @Test
    void threadsSharingAClientNeverSeeEachOthersReplies() throws Exception {
        try (FakeCluster cluster = FakeCluster.start();
             FdfsClient client = FdfsClient.create(cluster.settings().build())) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit((Callable<Integer>) () -> {
                    int checked = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        String text = "thread " + thread + " round " + round + " " + "x".repeat(thread * 100);
                        String id = client.upload(null, Content.of(text.getBytes(StandardCharsets.UTF_8)), "txt",
                                Map.of("owner", "t" + thread));
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        client.download(id, out);
                        assertEquals(text, out.toString(StandardCharsets.UTF_8));
                        assertEquals(Map.of("owner", "t" + thread), client.getMetadata(id));
                        assertEquals(text.length(), client.fileInfo(id).info().size());
                        client.delete(id);
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(THREADS * ROUNDS, total);
            assertTrue(cluster.storageServer.connections() <= THREADS, cluster.storageServer.connections() + " connections");
            assertTrue(cluster.trackerServer.connections() <= THREADS, cluster.trackerServer.connections() + " connections");
        }
    }
}
