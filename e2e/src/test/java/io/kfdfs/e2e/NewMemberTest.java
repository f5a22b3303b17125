package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 6: a third member joins a group of two under a steady mixed load (4 workers of small files, 20 ms
 * apart). Until it
 * has been ACTIVE and readable for 10 s (at most 5 minutes after it starts), no
 * tracker hands it to a client for a read of a file it lacks (checked against its disk each time a tracker
 * names it); then it converges with the others.
 */
@Tag("long")
class NewMemberTest {

    @Test
    void newMemberServesNoReadBeforeItIsComplete() throws Exception {
        String scenario = "6 new member under load";
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("6-new-member")).groups(1).spareMembers(1).build()
                .start(); FdfsClient client = cluster.client()) {
            Node newcomer = cluster.group(1).get(2);
            Ledger ledger = new Ledger();
            // a steady load (4 workers, 20 ms apart: ~150 operations/s): a full sync sends the source's own
            // records to the end of its binlog, so it never ends while the load writes faster than it syncs
            LoadGenerator load = new LoadGenerator(client, ledger, 4, LoadGenerator.Mix.SMALL, 6).pacedBy(20);
            load.start();
            List<String> violations = Collections.synchronizedList(new ArrayList<>());
            long[] firstActive = {0};
            long[] firstHanded = {0};
            int handed = 0;
            long t0;
            try {
                Thread.sleep(15_000); // files written before the newcomer comes, for its full sync to copy
                t0 = System.nanoTime();
                cluster.start(newcomer, false);
                // watched, not awaited: when it turns ACTIVE and readable are the results; reads handed to it are
                // checked for 10 s after the first (300 s at most), and a newcomer never read from fails below
                long deadline = t0 + Duration.ofSeconds(300).toNanos();
                while (System.nanoTime() < deadline && (firstHanded[0] == 0 || System.nanoTime() - firstHanded[0] < 10e9)) {
                    if (firstActive[0] == 0 && activeEverywhere(client, cluster, newcomer)) {
                        firstActive[0] = System.nanoTime();
                    }
                    handed += ReadChecks.handedTo(client, cluster, ledger, newcomer, violations);
                    if (handed > 0 && firstHanded[0] == 0) {
                        firstHanded[0] = System.nanoTime();
                    }
                    Thread.sleep(200);
                }
            } finally {
                load.stop();
            }
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(120));
            String notes = "ACTIVE on every tracker after " + since(t0, firstActive[0]) + ", first read handed to it after "
                    + since(t0, firstHanded[0]) + ", " + handed + " reads handed to it checked against its disk"
                    + (violations.isEmpty() ? "" : "; VIOLATIONS: " + violations.subList(0, Math.min(5, violations.size())))
                    + "; failures: " + ledger.failureSummary();
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, violations.isEmpty() && handed > 0, notes);
            assertTrue(result.passed(), notes + "; " + c.result());
        }
    }

    private static String since(long t0, long t) {
        return t == 0 ? "never" : String.format("%.1f s", (t - t0) / 1e9);
    }

    private static boolean activeEverywhere(FdfsClient client, LocalCluster cluster, Node member) {
        return cluster.trackers().stream().allMatch(t -> LocalCluster.activeOn(client, t, member));
    }
}
