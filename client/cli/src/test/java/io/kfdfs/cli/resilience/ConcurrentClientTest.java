package io.kfdfs.cli.resilience;

import io.kfdfs.cli.LocalCluster;
import io.kfdfs.client.FdfsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 32 threads share one client: every reply reaches the request it answers. */
class ConcurrentClientTest {

    @Test
    void thirtyTwoThreadsMixedOperations(@TempDir Path dir) throws Exception {
        try (LocalCluster cluster = LocalCluster.in(dir).start();
             FdfsClient client = FdfsClient.create(cluster.settings().maxConnectionsPerServer(16).build())) {
            // fewer connections than threads: connections change hands between threads all the time
            Workload w = new Workload(client, 32, 15);
            w.join();
            assertEquals(List.of(), w.failures.stream().map(Workload.Failure::error).toList());
            assertEquals(32 * 15, w.rounds.get());
        }
    }
}
