package io.kfdfs.e2e;

import io.kfdfs.client.Content;
import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 7: replication lag under sustained load. A group of two; first what one storage takes (4 KiB
 * uploads from 8 threads for 10 s, straight to the first member), then 70% of that offered at a fixed rate
 * for 60 s, while the second member's disk is watched for each file: the lag from acknowledgement to the
 * file on the replica, p50 / p99 / max, per 10 s window. It measures; it fails only when the lag grows
 * over the whole run (every window's median above the one before, ending above a second).
 */
@Tag("long")
class ReplicationLagTest {

    private static final int SIZE = 4096;
    private static final int THREADS = 8;

    private record Acked(String name, long ackNanos) {
    }

    @Test
    void replicaLagAtSeventyPercentOfCapacity() throws Exception {
        String scenario = "7 replication lag at 70% load";
        try (LocalCluster cluster = LocalCluster.builder(Scenario.dir("7-replication-lag")).trackers(1).groups(1).build()
                .start(); FdfsClient client = cluster.client()) {
            Node source = cluster.group(1).get(0);
            Node replica = cluster.group(1).get(1);
            Ledger ledger = new Ledger();
            ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();

            long capacityRun = Duration.ofSeconds(10).toNanos();
            int measured = upload(client, source, ledger, acked, 0, capacityRun);
            double capacity = measured / 10.0;
            List<Acked> warm = new ArrayList<>(acked);
            acked.clear();
            eventually(() -> warm.stream().filter(a -> !Files.exists(onReplica(replica, a.name()))).count(),
                    n -> n == 0, Duration.ofSeconds(120), "the replica to have the capacity run's files");

            double rate = 0.7 * capacity;
            long run = Duration.ofSeconds(60).toNanos();
            long start = System.nanoTime();
            List<long[]> lags = new ArrayList<>();
            Thread watcher = new Thread(() -> watch(replica, acked, lags, start + run), "lag-watcher");
            watcher.start();
            int offered = upload(client, source, ledger, acked, rate, run);
            watcher.join();
            long drainStart = System.nanoTime();
            eventually(() -> {
                watchOnce(replica, acked, lags);
                return acked.size();
            }, n -> n == 0, Duration.ofSeconds(180), "the replica to catch up");
            Duration drain = Duration.ofNanos(System.nanoTime() - drainStart);

            List<Double> all = lags.stream().map(l -> l[1] / 1e9).sorted().toList();
            List<String> windows = new ArrayList<>();
            List<Double> medians = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                long from = start + w * run / 6;
                long to = from + run / 6;
                List<Double> in = lags.stream().filter(l -> l[0] >= from && l[0] < to).map(l -> l[1] / 1e9).sorted().toList();
                double median = in.isEmpty() ? 0 : in.get(in.size() / 2);
                medians.add(median);
                windows.add(String.format("%.2f/%.2f", median, in.isEmpty() ? 0 : in.get(in.size() - 1)));
            }
            boolean grows = medians.get(medians.size() - 1) > 1.0;
            for (int i = 1; i < medians.size(); i++) {
                grows &= medians.get(i) > medians.get(i - 1);
            }
            String notes = String.format("one storage took %.0f uploads/s of 4 KiB; offered %.0f/s, made %d (%.0f/s); lag"
                            + " p50 %.2f s, p99 %.2f s, max %.2f s; per 10 s window p50/max: %s; %s; replica caught up %.1f s"
                            + " after the load", capacity, rate, offered, offered / 60.0, pct(all, 0.5), pct(all, 0.99),
                    all.isEmpty() ? 0 : all.get(all.size() - 1), String.join(" ", windows),
                    grows ? "GROWS over the whole run" : "does not grow over the whole run", drain.toMillis() / 1000.0);
            Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(60));
            Report.Result result = Scenario.report(scenario, cluster, ledger, c, !grows, notes);
            assertTrue(result.passed(), notes + "; " + c.result());
        }
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }

    private static Path onReplica(Node replica, String fileId) {
        return replica.store().resolve("data").resolve(fileId.substring(fileId.indexOf("/M00/") + 5));
    }

    /**
     * Uploads 4 KiB files straight to {@code source} from 8 threads for {@code nanos}: as fast as it takes
     * them ({@code rate} 0), or at {@code rate} per second on a fixed schedule. Returns how many were made.
     */
    private static int upload(FdfsClient client, Node source, Ledger ledger, ConcurrentLinkedQueue<Acked> acked,
                              double rate, long nanos) throws InterruptedException {
        AtomicLong slot = new AtomicLong();
        AtomicLong made = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom random = new SplittableRandom(t);
            Thread th = new Thread(() -> {
                while (!failed.get()) {
                    long due = rate == 0 ? System.nanoTime() : start + (long) (slot.getAndIncrement() * 1e9 / rate);
                    if (due - start >= nanos) {
                        return;
                    }
                    long wait = due - System.nanoTime();
                    try {
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        byte[] data = new byte[SIZE];
                        random.nextBytes(data);
                        String name = source.group() + "/" + client.storage().upload(source.hostPort(), 0, "bin",
                                Content.of(data)).substring(source.group().length() + 1);
                        acked.add(new Acked(name, System.nanoTime()));
                        ledger.acknowledgedUpload(name, data, Map.of());
                        made.incrementAndGet();
                    } catch (Exception e) {
                        failed.set(true);
                        throw new IllegalStateException("an upload failed", e);
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        if (failed.get()) {
            throw new AssertionError("an upload to " + source.name() + " failed");
        }
        return (int) made.get();
    }

    /** Samples every 50 ms until {@code until}: the lags seen are the measurement, nothing is waited for. */
    private static void watch(Node replica, ConcurrentLinkedQueue<Acked> acked, List<long[]> lags, long until) {
        while (System.nanoTime() < until) {
            watchOnce(replica, acked, lags);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records the lag of every acknowledged file now on the replica and forgets it. */
    private static synchronized void watchOnce(Node replica, ConcurrentLinkedQueue<Acked> acked, List<long[]> lags) {
        long now = System.nanoTime();
        for (Iterator<Acked> it = acked.iterator(); it.hasNext(); ) {
            Acked a = it.next();
            if (Files.exists(onReplica(replica, a.name()))) {
                lags.add(new long[]{a.ackNanos(), now - a.ackNanos()});
                it.remove();
            }
        }
    }
}
