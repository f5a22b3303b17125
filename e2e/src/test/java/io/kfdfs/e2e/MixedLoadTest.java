package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 1: 2 trackers, 2 groups of 2 members, 8 workers of mixed operations for a bounded time (60 s
 * in {@code make e2e}); then every acknowledged file is on both members of its group, byte for byte with
 * its metadata, every acknowledged delete is gone, and nothing else is there.
 */
class MixedLoadTest {

    @Test
    void mixedLoadConverges() throws Exception {
        String scenario = "1 mixed load " + Scenario.pick("20 s", "60 s");
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("1-mixed-load")).build().start();
             FdfsClient client = cluster.client()) {
            Ledger ledger = new Ledger();
            new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.DEFAULT, 1)
                    .runFor(Duration.ofSeconds(Scenario.pick(20, 60)));
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(60));
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, true,
                    "failures: " + ledger.failureSummary() + "; stale reads " + ledger.staleReads());
            assertTrue(result.passed(), scenario + ": " + c.result() + "; failures: " + ledger.failureSummary()
                    + "; crashed: " + cluster.crashed());
        }
    }
}
