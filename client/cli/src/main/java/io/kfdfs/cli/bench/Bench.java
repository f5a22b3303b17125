package io.kfdfs.cli.bench;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.protocol.storage.GroupFile;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Runs the phases of a benchmark on its {@link Workers}, whose connections persist across operations: one
 * set of workers per core (at most one per worker), each on a thread of its own. One thread alone could
 * not verify 16 MiB downloads as fast as two cores serve them.
 */
final class Bench implements AutoCloseable {

    private final List<Workers> loops = new ArrayList<>();
    private final ExecutorService threads;
    private final Payload payload;
    private final ProcessStats cpu;
    private final Replicas replicas;

    /** @param replicas waited for after each upload phase (a "settle" result), or null */
    Bench(ClientSettings settings, String group, Payload payload, int concurrency, ProcessStats cpu, Replicas replicas)
            throws IOException {
        int count = Math.min(concurrency, Runtime.getRuntime().availableProcessors());
        try {
            for (int i = 0; i < count; i++) {
                loops.add(new Workers(settings.trackers(), settings.connectTimeout(), settings.networkTimeout(),
                        group, payload, concurrency / count + (i < concurrency % count ? 1 : 0)));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-loop");
            t.setDaemon(true);
            return t;
        });
        this.payload = payload;
        this.cpu = cpu;
        this.replicas = replicas;
    }

    /**
     * One run over {@code count} files: the upload, then the {@code phases} asked for, in the order upload,
     * download, delete. The upload is always done (the other phases need its files) but reported only if
     * asked for; without a delete phase the files stay. With {@link Replicas}, the wait for them follows the
     * upload, reported as "settle".
     */
    List<PhaseResult> run(int count, Set<Workers.Phase> phases) throws IOException {
        GroupFile[] files = new GroupFile[count];
        List<PhaseResult> results = new ArrayList<>();
        for (Workers.Phase phase : Workers.Phase.values()) {
            if (phase == Workers.Phase.UPLOAD || phases.contains(phase)) {
                PhaseResult result = phase(phase, count, files);
                if (phases.contains(phase)) {
                    results.add(result);
                }
                if (phase == Workers.Phase.UPLOAD && replicas != null) {
                    results.add(replicas.await(files));
                }
            }
        }
        return results;
    }

    /** Runs one phase over every file (a download or delete only over those uploaded) and sums it up. */
    private PhaseResult phase(Workers.Phase phase, int count, GroupFile[] files) throws IOException {
        Tally tally = new Tally(count);
        AtomicInteger next = new AtomicInteger();
        IntSupplier claim = () -> {
            for (int file = next.getAndIncrement(); file < count; file = next.getAndIncrement()) {
                if (phase == Workers.Phase.UPLOAD || files[file] != null) {
                    return file;
                }
            }
            return -1;
        };
        long[] cpu0 = cpu.sample();
        long t0 = System.nanoTime();
        List<Future<Void>> others = new ArrayList<>();
        for (Workers loop : loops.subList(1, loops.size())) {
            others.add(threads.submit(() -> {
                loop.run(phase, files, claim, tally);
                return null;
            }));
        }
        loops.get(0).run(phase, files, claim, tally);
        for (Future<Void> f : others) {
            join(f);
        }
        long wall = System.nanoTime() - t0;
        long[] cpu1 = cpu.sample();
        long[] sorted = tally.sortedLatencies();
        long bytes = phase == Workers.Phase.DELETE ? 0 : sorted.length * payload.size();
        return new PhaseResult(phase.label(), sorted.length, tally.failures, tally.mismatches, bytes, wall, sorted,
                tally.firstError, cpu.perOperation(cpu0, cpu1, sorted.length + tally.failures + tally.mismatches));
    }

    private static void join(Future<Void> loop) throws IOException {
        try {
            loop.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("a benchmark loop failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the benchmark was interrupted");
        }
    }

    /** What a phase's operations came to; the loops' threads report to it. */
    static final class Tally implements Workers.Tally {
        private final long[] latencies;
        private final boolean[] succeeded;
        int ok;
        int failures;
        int mismatches;
        String firstError;

        Tally(int count) {
            latencies = new long[count];
            succeeded = new boolean[count];
        }

        @Override
        public synchronized void succeeded(int file, long nanos) {
            latencies[file] = nanos;
            succeeded[file] = true;
            ok++;
        }

        @Override
        public synchronized void mismatched(int file) {
            mismatches++;
        }

        @Override
        public synchronized void failed(int file, String error) {
            failures++;
            if (firstError == null) {
                firstError = error;
            }
        }

        long[] sortedLatencies() {
            long[] sorted = new long[ok];
            for (int file = 0, i = 0; file < latencies.length; file++) {
                if (succeeded[file]) {
                    sorted[i++] = latencies[file];
                }
            }
            Arrays.sort(sorted);
            return sorted;
        }
    }

    @Override
    public void close() throws IOException {
        if (threads != null) {
            threads.shutdownNow();
        }
        for (Workers loop : loops) {
            loop.close();
        }
    }
}
