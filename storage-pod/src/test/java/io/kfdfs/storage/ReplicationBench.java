package io.kfdfs.storage;

import io.kfdfs.protocol.testing.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replication latency and throughput between two members on 127.0.0.1 (not a test: run by hand).
 * Latency: one upload at a time to an idle group, time until the file is complete on the replica.
 * Throughput: files uploaded from several threads, bytes per second until the replica holds them all.
 *
 * <pre>java -cp &lt;test classpath&gt; io.kfdfs.storage.ReplicationBench [files] [latency size] [throughput size]</pre>
 */
public final class ReplicationBench {

    private ReplicationBench() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        int large = args.length > 2 ? Integer.parseInt(args[2]) : 4 << 20;
        Path dir = Files.createTempDirectory("kfdfs-repl-bench");
        try (ReplicaGroup g = new ReplicaGroup(dir, 2)) {
            for (int m = 0; m < 2; m++) {
                g.start(m);
                g.awaitActive(m);
            }
            catchUp(g, files * 5, small);
            latency(g, files, small);
            throughput(g, Math.max(50, files / 4), large, 4);
            throughput(g, files * 4, small, 4);
        }
    }

    private static void latency(ReplicaGroup g, int files, int size) throws Exception {
        Random random = new Random(1);
        long[] upload = new long[files];
        long[] replicated = new long[files];
        try (TestClient c = g.member(0).client()) {
            for (int i = 0; i < files; i++) {
                byte[] content = new byte[size];
                random.nextBytes(content);
                long start = System.nanoTime();
                String name = c.upload(content, "bin");
                long acknowledged = System.nanoTime();
                Path replica = g.member(1).file(name);
                // spun, not awaited with pauses: the wait is what is measured
                while (!Files.exists(replica) || Files.size(replica) != size) {
                    Thread.onSpinWait();
                }
                upload[i] = (acknowledged - start) / 1000;
                replicated[i] = (System.nanoTime() - acknowledged) / 1000;
                Thread.sleep(20); // the group idle again before the next file: latency, not throughput
            }
        }
        System.out.printf("latency, %d files of %d bytes to an idle group: upload %s; acknowledged -> on the replica %s%n",
                files, size, percentiles(upload), percentiles(replicated));
    }

    /** A backlog of files uploaded while the replica was down, pushed to it when it comes back. */
    private static void catchUp(ReplicaGroup g, int files, int size) throws Exception {
        g.stop(1);
        byte[] content = new byte[size];
        new Random(5).nextBytes(content);
        List<String> names = new ArrayList<>();
        try (TestClient c = g.member(0).client()) {
            for (int i = 0; i < files; i++) {
                names.add(c.upload(content, "bin"));
            }
        }
        long start = System.nanoTime();
        g.start(1);
        // 1 ms polls, not Eventually's: the time to the last file is the result
        for (String name : names) {
            Path replica = g.member(1).file(name);
            while (!Files.exists(replica)) {
                Thread.sleep(1);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("catch-up, %d files of %d bytes uploaded while the replica was down: %.2f s from its start,"
                + " %.0f files/s%n", files, size, seconds, files / seconds);
    }

    private static String percentiles(long[] micros) {
        long[] m = micros.clone();
        Arrays.sort(m);
        return String.format("median %.2f ms, p99 %.2f ms, max %.2f ms", m[m.length / 2] / 1000.0,
                m[m.length * 99 / 100] / 1000.0, m[m.length - 1] / 1000.0);
    }

    private static void throughput(ReplicaGroup g, int files, int size, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        byte[] content = new byte[size];
        new Random(2).nextBytes(content);
        long start = System.nanoTime();
        List<Future<List<String>>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int count = files / threads;
            parts.add(pool.submit(() -> {
                List<String> names = new ArrayList<>();
                try (TestClient c = g.member(0).client()) {
                    for (int i = 0; i < count; i++) {
                        names.add(c.upload(content, "bin"));
                    }
                }
                return names;
            }));
        }
        List<String> names = new ArrayList<>();
        for (Future<List<String>> f : parts) {
            names.addAll(f.get());
        }
        long uploaded = System.nanoTime();
        // 1 ms polls, not Eventually's: the time to the last file is the result
        for (String name : names) {
            Path replica = g.member(1).file(name);
            while (!Files.exists(replica) || Files.size(replica) != size) {
                Thread.sleep(1);
            }
        }
        long done = System.nanoTime();
        pool.shutdown();
        double mib = (double) names.size() * size / (1 << 20);
        System.out.printf("throughput, %d files of %d bytes from %d threads: uploads %.1f MiB/s (%.0f files/s), "
                        + "replica complete after %.2f s: %.1f MiB/s (%.0f files/s)%n", names.size(), size, threads,
                mib / ((uploaded - start) / 1e9), names.size() / ((uploaded - start) / 1e9), (done - start) / 1e9,
                mib / ((done - start) / 1e9), names.size() / ((done - start) / 1e9));
    }
}
