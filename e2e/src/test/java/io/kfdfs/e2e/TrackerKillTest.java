package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.FileRecord;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.report.Report;
import io.kfdfs.protocol.FileId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 3: 3 trackers, 2 groups of 2, under the mixed load: kill -9 of the leader (the others elect a
 * new one, clients go on through them), of a follower, a leader paused (SIGSTOP) and resumed, then kill -9
 * of every tracker at once, while the storages
 * go on serving downloads (binary protocol and HTTP, straight to them); the trackers restarted rebuild the
 * state (one leader, every member ACTIVE on every tracker) and the cluster converges.
 */
@Tag("long")
class TrackerKillTest {

    private static final Duration ELECTION = Duration.ofSeconds(45);

    @Test
    void trackersKilledAndRestarted() throws Exception {
        String scenario = "3 trackers: kill -9 leader, follower; SIGSTOP leader; kill -9 all";
        List<String> notes = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("3-tracker-kill")).trackers(3).build().start();
             FdfsClient client = cluster.client()) {
            Ledger ledger = new Ledger();
            LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.DEFAULT, 3);
            load.start();
            int served = 0;
            try {
                String leader = agreedLeader(cluster, cluster.trackers());
                // each 5 s pause of this scenario is load on the cluster as the step before left it: the time is the test
                Thread.sleep(5_000);

                Node killed = cluster.tracker(leader);
                long t0 = System.nanoTime();
                cluster.kill(killed);
                List<Node> others = cluster.trackers().stream().filter(t -> t != killed).toList();
                String next = eventually(() -> agreedLeader(cluster, others), l -> !l.equals(leader), ELECTION,
                        "a new leader named by " + others);
                notes.add("leader " + killed.name() + " killed: " + cluster.tracker(next).name() + " leads after "
                        + seconds(t0));
                Thread.sleep(5_000);
                cluster.start(killed, true);
                agreedLeader(cluster, cluster.trackers());

                Node follower = cluster.trackers().stream().filter(t -> !(t.address() + ":" + t.port()).equals(next))
                        .findFirst().orElseThrow();
                cluster.kill(follower);
                Thread.sleep(5_000);
                String still = agreedLeader(cluster, cluster.trackers().stream().filter(t -> t != follower).toList());
                notes.add("follower " + follower.name() + " killed: leader " + (still.equals(next) ? "unchanged" : "changed"));
                cluster.start(follower, true);
                String before = agreedLeader(cluster, cluster.trackers());
                Thread.sleep(5_000);

                Node frozen = cluster.tracker(before);
                frozen.process().pause();
                t0 = System.nanoTime();
                List<Node> awake = cluster.trackers().stream().filter(t -> t != frozen).toList();
                // a frozen leader still accepts connections: each round of the others waits out its reply
                // timeout (network_timeout, 10 s) before they agree on another (about a minute here)
                String meanwhile = eventually(() -> agreedLeader(cluster, awake, Duration.ofSeconds(120)),
                        l -> !l.equals(before), Duration.ofSeconds(120), "a leader other than the paused one");
                notes.add("leader " + frozen.name() + " paused (SIGSTOP): " + cluster.tracker(meanwhile).name()
                        + " leads after " + seconds(t0));
                frozen.process().resume();
                notes.add("resumed (SIGCONT): all three name " + cluster.tracker(agreedLeader(cluster, cluster.trackers()))
                        .name());
                Thread.sleep(5_000);

                for (Node t : cluster.trackers()) {
                    cluster.kill(t);
                }
                // no tracker, no new acknowledgement: once replication has settled, every member must serve
                Verifier.Convergence settled = Scenario.verifier(cluster, ledger, n -> true)
                        .awaitConverged(Duration.ofSeconds(60));
                notes.add("replicas settled without trackers in " + settled.elapsed().toSeconds() + " s"
                        + (settled.result().converged() ? "" : " (NOT: " + settled.result() + ")"));
                served = downloadsWithoutTrackers(cluster, client, ledger);
                notes.add("all trackers killed: " + served + " downloads straight from the storages (binary and HTTP)");
                t0 = System.nanoTime();
                for (Node t : cluster.trackers()) {
                    cluster.start(t, false);
                }
                for (Node t : cluster.trackers()) {
                    t.process().awaitReady(Duration.ofSeconds(60));
                }
                agreedLeader(cluster, cluster.trackers());
                for (Node t : cluster.trackers()) {
                    eventually(() -> activeMembers(client, t, cluster), n -> n == cluster.storages().size(),
                            Duration.ofSeconds(60), "every member ACTIVE on " + t.name());
                }
                notes.add("all restarted: one leader and every member ACTIVE on every tracker after " + seconds(t0));
                Thread.sleep(5_000);
            } finally {
                load.stop();
            }
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(90));
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, served > 0,
                    String.join("; ", notes) + "; failures: " + ledger.failureSummary());
            assertTrue(result.passed(), scenario + ": " + c.result() + "; " + notes + "; crashed " + cluster.crashed());
        }
    }

    private static String seconds(long since) {
        return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
    }

    /** The leader every one of {@code trackers} names, once they agree. */
    private static String agreedLeader(LocalCluster cluster, List<Node> trackers) throws Exception {
        return agreedLeader(cluster, trackers, ELECTION);
    }

    private static String agreedLeader(LocalCluster cluster, List<Node> trackers, Duration within) throws Exception {
        List<String> seen = eventually(() -> trackers.stream().map(cluster::leaderSeenBy).toList(),
                l -> l.stream().allMatch(x -> x != null && !x.isEmpty()) && l.stream().distinct().count() == 1,
                within, "one leader named by " + trackers);
        return seen.get(0);
    }

    private static int activeMembers(FdfsClient client, Node tracker, LocalCluster cluster) {
        return (int) cluster.storages().stream().filter(m -> LocalCluster.activeOn(client, tracker, m)).count();
    }

    /**
     * With no tracker up, every present file the ledger knows for sure (up to 100) is read straight from each
     * member of its group, over the binary protocol and over HTTP, and must be whole; returns how many reads.
     */
    private static int downloadsWithoutTrackers(LocalCluster cluster, FdfsClient client, Ledger ledger) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int reads = 0;
        List<String> wrong = new ArrayList<>();
        List<FileRecord> sample = ledger.files().stream().filter(FileRecord::certain)
                .filter(r -> r.acceptable().iterator().next().exists()).limit(100).toList();
        for (FileRecord r : sample) {
            FileRecord.State expected = r.acceptable().iterator().next();
            int g = Integer.parseInt(r.group().substring("group".length()));
            for (Node m : cluster.group(g)) {
                if (!Objects.equals(binary(client, m, r.fileId()), expected.sha256())) {
                    wrong.add("binary " + r.fileId() + " from " + m.name());
                }
                HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create("http://" + m.address() + ":"
                        + m.httpPort() + "/" + r.fileId())).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (resp.statusCode() != 200 || !Ledger.sha256(resp.body()).equals(expected.sha256())) {
                    wrong.add("HTTP " + resp.statusCode() + " " + r.fileId() + " from " + m.name());
                }
                reads += 2;
            }
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError("with every tracker down, reads straight from the storages failed: "
                    + wrong.subList(0, Math.min(10, wrong.size())));
        }
        return reads;
    }

    private static String binary(FdfsClient client, Node m, String fileId) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.storage().download(m.hostPort(), FileId.parse(fileId), 0, 0, out::write);
            return Ledger.sha256(out.toByteArray());
        } catch (Exception e) {
            return e.toString();
        }
    }
}
