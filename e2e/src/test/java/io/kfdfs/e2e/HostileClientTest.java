package io.kfdfs.e2e;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.abuse.HostileClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 8: hostile clients against a live tracker and two storages while a well-behaved client keeps
 * working: random and mutated frames (100 000 per server in {@code make e2e}, 3 000 in {@code make test}),
 * lengths that lie, half-closed sockets, slowloris, idle connections (2 000 per server, or what the file
 * limit allows), and downloads nobody reads. The servers stay up, answer as C would or close, their memory
 * stays bounded, and the well-behaved client sees no failure at all.
 */
class HostileClientTest {

    /** Peak RSS a pod may reach under abuse: a few times its size at rest, far from "grows with the abuse". */
    private static final long RSS_BOUND_KB = 300 * 1024;

    @Test
    void serversSurviveHostileClients() throws Exception {
        int frames = Scenario.pick(3_000, 100_000);
        int idle = Math.min(Scenario.pick(500, 2_000), idleBudget());
        String scenario = "8 hostile clients (" + frames + " frames/server)";
        List<String> notes = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("8-hostile")).trackers(1).groups(1).build().start();
             FdfsClient client = cluster.client()) {
            Map<Node, HostileClient.Target> servers = new LinkedHashMap<>();
            servers.put(cluster.trackers().get(0), HostileClient.Target.TRACKER);
            cluster.group(1).forEach(m -> servers.put(m, HostileClient.Target.STORAGE));
            Map<String, PodProcess.Memory> before = memory(servers.keySet());

            byte[] big = new byte[16 << 20];
            new Random(8).nextBytes(big);
            String bigFile = client.upload(cluster.groupName(1), Content.of(big), "bin", Map.of());

            Ledger ledger = new Ledger();
            LoadGenerator good = new LoadGenerator(client, ledger, 2, LoadGenerator.Mix.SMALL, 8);
            good.start();
            List<String> violations = new ArrayList<>();
            try {
                abuseInParallel(servers, frames, violations, notes);
                phase("random, mutated, lying and half-closed frames", servers.keySet(), notes);
                Duration slow = Duration.ofSeconds(Scenario.pick(10, 60));
                ConcurrentLinkedQueue<String> slowNotes = new ConcurrentLinkedQueue<>();
                inParallel(servers, (node, hostile) -> slowNotes.add(node.name() + ": slowloris closed by the server "
                        + hostile.slowloris(20, slow) + " of 20 in " + slow.toSeconds() + " s"));
                notes.addAll(slowNotes);
                phase("slowloris", servers.keySet(), notes);

                List<Socket> held = new ArrayList<>();
                for (Map.Entry<Node, HostileClient.Target> e : servers.entrySet()) {
                    held.addAll(hostile(e.getKey(), e.getValue(), cluster).idle(idle,
                            limit -> notes.add(e.getKey().name() + ": idle connections " + limit)));
                }
                Thread.sleep(5_000); // held 5 s while the good clients work: the time is the abuse
                phase(idle + " idle connections per server", servers.keySet(), notes);
                for (Node m : cluster.group(1)) {
                    held.addAll(hostile(m, HostileClient.Target.STORAGE, cluster)
                            .downloadsNeverRead(bigFile.substring(bigFile.indexOf('/') + 1), 8));
                }
                Thread.sleep(5_000); // likewise
                phase("and 8 unread 16 MiB downloads per storage", servers.keySet(), notes);
                for (Socket s : held) {
                    s.close();
                }
            } catch (IOException e) {
                notes.add("abuse stopped by " + e);
                violations.add("a hostile client could not go on: " + e);
            } finally {
                good.stop();
            }
            try {
                client.delete(bigFile);
            } catch (RuntimeException e) {
                violations.add("the 16 MiB file could not be deleted after the abuse: " + e.getMessage());
                ledger.acknowledgedUpload(bigFile, big, Map.of());
            }
            Map<String, PodProcess.Memory> after = memory(servers.keySet());
            boolean bounded = true;
            for (Node n : servers.keySet()) {
                long peak = n.process().peakHwmKb();
                bounded &= peak < RSS_BOUND_KB;
                notes.add(n.name() + " RSS " + before.get(n.name()).rssKb() / 1024 + " -> " + after.get(n.name()).rssKb() / 1024
                        + " MiB, VmHWM " + peak / 1024 + " MiB");
            }
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(60));
            boolean clean = violations.isEmpty() && ledger.refused() + ledger.unknown() == 0 && bounded;
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, clean, String.join("; ", notes)
                    + (violations.isEmpty() ? "" : "; VIOLATIONS: " + violations)
                    + (ledger.refused() + ledger.unknown() == 0 ? "" : "; the good client failed: " + ledger.failureSummary()));
            assertTrue(result.passed(), scenario + ": violations " + violations + "; good client failures "
                    + ledger.failureSummary() + "; RSS bounded " + bounded + "; " + c.result() + "; crashed "
                    + cluster.crashed() + "; " + notes);
        }
    }

    private static HostileClient hostile(Node n, HostileClient.Target target, LocalCluster cluster) {
        return new HostileClient(n.hostPort(), target, cluster.groupName(1));
    }

    private interface Abuse {
        void run(Node node, HostileClient hostile) throws Exception;
    }

    private static void abuseInParallel(Map<Node, HostileClient.Target> servers, int frames, List<String> violations,
                                        List<String> notes) throws Exception {
        ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> tallies = new ConcurrentLinkedQueue<>();
        inParallel(servers, (node, hostile) -> {
            HostileClient.Tally random = hostile.randomFrames(frames, new Random(node.name().hashCode()));
            HostileClient.Tally lying = hostile.lyingLengths();
            HostileClient.Tally half = hostile.halfClosed(20);
            for (HostileClient.Tally t : List.of(random, lying, half)) {
                t.violations().forEach(v -> found.add(node.name() + ": " + v));
            }
            tallies.add(node.name() + ": random/mutated " + random);
        });
        violations.addAll(found);
        notes.addAll(tallies);
    }

    private static void inParallel(Map<Node, HostileClient.Target> servers, Abuse abuse) throws Exception {
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (Map.Entry<Node, HostileClient.Target> e : servers.entrySet()) {
            HostileClient h = new HostileClient(e.getKey().hostPort(), e.getValue(), "group1");
            Thread t = new Thread(() -> {
                try {
                    abuse.run(e.getKey(), h);
                } catch (Throwable x) {
                    errors.add(x);
                }
            }, "hostile-" + e.getKey().name());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a hostile client failed to run");
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** After one kind of abuse: which servers still run, and their resident memory. */
    private static void phase(String what, Iterable<Node> servers, List<String> notes) {
        StringBuilder s = new StringBuilder("after " + what + ":");
        for (Node n : servers) {
            s.append(' ').append(n.name()).append(' ').append(n.process().isAlive()
                    ? n.process().sampleMemory().rssKb() / 1024 + " MiB" : "DEAD");
        }
        notes.add(s.toString());
    }

    private static Map<String, PodProcess.Memory> memory(Iterable<Node> nodes) {
        Map<String, PodProcess.Memory> m = new LinkedHashMap<>();
        for (Node n : nodes) {
            m.put(n.name(), n.process().sampleMemory());
        }
        return m;
    }

    /**
     * Idle connections per server that this JVM's open-file limit leaves room for (each end of a loopback
     * connection is a descriptor here, and three servers are abused at once), with 500 to spare.
     */
    private static int idleBudget() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Integer.MAX_VALUE : Math.max(0, (Integer.parseInt(soft) - 500) / 3);
            }
        }
        return Integer.MAX_VALUE;
    }
}
