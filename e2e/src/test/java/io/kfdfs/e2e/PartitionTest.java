package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.net.LinkProxy;
import io.kfdfs.e2e.net.Nft;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 5, with nftables rules between the members' loopback addresses (this kernel has no netem):
 * <ul>
 * <li>a member cut off from its peer and the trackers under load, then healed: while cut off no tracker
 * sends a client to it for a file it lacks; healed, it converges;</li>
 * <li>a member whose replication links (both ways) go through a proxy adding 50 ms per chunk and 5% "loss"
 * (a 200 ms retransmission stall), with an occasional reset: replication keeps up or lags boundedly, and
 * catches up once the load stops.</li>
 * </ul>
 * The load has no deletes or metadata changes here: while a file's source is unreachable those go to
 * another member and are undone when it comes back (scenario 2's finding); this scenario is about reads and
 * catching up. Without nft, or without the right to use it, it is reported as not run.
 */
@Tag("long")
class PartitionTest {

    @Test
    void partitionedMemberIsNotReadFromAndConverges() throws Exception {
        String scenario = "5a member partitioned, healed";
        String why = Nft.unavailable();
        notRunWithout(scenario, why);
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("5a-partition")).groups(1).build().start();
             FdfsClient client = cluster.client(); Nft nft = new Nft()) {
            nft.create();
            Node cut = cluster.group(1).get(1);
            List<String> others = Stream.concat(cluster.trackers().stream(), Stream.of(cluster.group(1).get(0)))
                    .map(Node::address).toList();
            Ledger ledger = new Ledger();
            LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.DEFAULT.withoutDeletesAndMetadata(), 5);
            List<String> violations = new ArrayList<>();
            int handed = 0;
            load.start();
            try {
                // 5 s of load on the whole group, 30 s with the member cut off (its reads checked), 10 s healed
                Thread.sleep(5_000);
                nft.cut(cut.address(), others);
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < until) {
                    handed += ReadChecks.handedTo(client, cluster, ledger, cut, violations);
                    Thread.sleep(200);
                }
                nft.heal();
                Thread.sleep(10_000);
            } finally {
                load.stop();
            }
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(120));
            String notes = "cut off 30 s: a tracker named it for " + handed + " reads, each checked against its disk"
                    + (violations.isEmpty() ? "" : "; VIOLATIONS: " + violations.subList(0, Math.min(5, violations.size())))
                    + "; failures: " + ledger.failureSummary();
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, violations.isEmpty(), notes);
            assertTrue(result.passed(), notes + "; " + c.result());
        }
    }

    @Test
    void slowLossyReplicationLinkCatchesUp() throws Exception {
        String scenario = "5b replication over 50 ms, 5% loss";
        String why = Nft.unavailable();
        notRunWithout(scenario, why);
        LocalCluster cluster = LocalCluster.builder(Scenario.dir("5b-slow-link")).trackers(1).groups(1).build();
        Node a = cluster.group(1).get(0);
        Node b = cluster.group(1).get(1);
        try (cluster; Nft nft = new Nft();
             LinkProxy toB = new LinkProxy(cluster.spareAddress(1), new InetSocketAddress(b.address(), b.port()), 50, 5, 2_000);
             LinkProxy toA = new LinkProxy(cluster.spareAddress(1), new InetSocketAddress(a.address(), a.port()), 50, 5, 2_000)) {
            nft.create();
            nft.redirect(a.address(), b.address(), b.port(), toB.address().getHostString(), toB.address().getPort());
            nft.redirect(b.address(), a.address(), a.port(), toA.address().getHostString(), toA.address().getPort());
            cluster.start();
            try (FdfsClient client = cluster.client()) {
                Ledger ledger = new Ledger();
                LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.DEFAULT.withoutDeletesAndMetadata(), 55);
                load.runFor(Duration.ofSeconds(60));
                Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(180));
                String notes = "through the proxies: " + (toA.chunks() + toB.chunks()) + " chunks, " + (toA.resets() + toB.resets())
                        + " connections reset; caught up " + c.elapsed().toSeconds() + " s after 60 s of load; failures: "
                        + ledger.failureSummary();
                Report.Result result = Scenario.report(scenario, cluster, ledger, c, toA.chunks() + toB.chunks() > 0, notes);
                assertTrue(result.passed(), notes + "; " + c.result());
            }
        }
    }

    private static void notRunWithout(String scenario, String why) {
        if (why != null) {
            Report.add(new Report.Row(scenario, 0, 0, 0, 0, 0, 0, 0, null, 0, 0, Report.Result.notRun(why), ""));
            Assumptions.abort("nftables unavailable: " + why);
        }
    }
}
