package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 2: under the mixed load, kill -9 of a storage at a random moment and a restart on the same
 * data, 5 times in {@code make e2e} (twice in {@code make test}); then the cluster converges with nothing
 * acknowledged lost.
 *
 * <p>While a file's source is down the tracker answers EAGAIN to changes to it (they would be undone when
 * the source comes back and sends again the records after its last mark) and to reads of an appender file
 * (another member's copy may be half way through the source's records). {@code make e2e} runs the full
 * mix; {@code make test} leaves appender files out: a kill in the middle of an append leaves the file with
 * part of it, a content no client was told of (docs/e2e.md, finding 14, open). A second copy of an
 * acknowledged upload (the client library sent an upload again after a kill it took for "not sent") is an
 * orphan in {@code make e2e}, in {@code make test} only reported.
 */
class StorageKillTest {

    @Test
    void killedStoragesComeBackAndConverge() throws Exception {
        int kills = Scenario.pick(2, 5);
        String scenario = "2 kill -9 a storage x" + kills + Scenario.pick(" (no appender files)", "");
        Random random = new Random(2);
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("2-storage-kill")).build().start();
             FdfsClient client = cluster.client()) {
            Ledger ledger = new Ledger();
            LoadGenerator load = new LoadGenerator(client, ledger, 8, Scenario.LONG ? LoadGenerator.Mix.DEFAULT
                    : LoadGenerator.Mix.DEFAULT.withoutChanges(), 2);
            List<String> killed = new ArrayList<>();
            load.start();
            try {
                for (int i = 0; i < kills; i++) {
                    // kills at random moments under load: the timing is the fault being injected
                    Thread.sleep(2_000 + random.nextInt(Scenario.pick(3_000, 8_000)));
                    Node victim = cluster.storages().get(random.nextInt(cluster.storages().size()));
                    cluster.kill(victim);
                    killed.add(victim.name());
                    Thread.sleep(random.nextInt(3_000));
                    cluster.start(victim, true);
                }
                Thread.sleep(3_000);
            } finally {
                load.stop();
            }
            Verifier verifier = Scenario.verifier(cluster, ledger, n -> true);
            // make test: a second copy of an acknowledged upload is reported, not failed (docs/e2e.md, findings)
            Verifier.Convergence c = (Scenario.LONG ? verifier : verifier.allowingDuplicates())
                    .awaitConverged(Duration.ofSeconds(90));
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, true, "killed " + killed
                    + "; failures: " + ledger.failureSummary() + "; stale reads " + ledger.staleReads());
            assertTrue(result.passed(), scenario + ": " + c.result() + "; failures: " + ledger.failureSummary()
                    + "; crashed: " + cluster.crashed());
        }
    }
}
