package io.kfdfs.cli.bench;

import io.kfdfs.client.FdfsClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the phases of a benchmark on {@code concurrency} threads sharing one pooled client, whose
 * connections persist across operations. Like a real client, every operation first asks the tracker
 * (101/104 before an upload, 102 before a download, 103 before a delete).
 */
final class Bench implements AutoCloseable {

    static final String UPLOAD = "upload";
    static final String DOWNLOAD = "download";
    static final String DELETE = "delete";

    private enum Outcome { OK, MISMATCH }

    private interface Op {
        Outcome run(int file) throws Exception;
    }

    private final FdfsClient client;
    private final String group;
    private final Payload payload;
    private final int concurrency;
    private final ExecutorService workers;
    private final CpuTime cpu;

    Bench(FdfsClient client, String group, Payload payload, int concurrency, CpuTime cpu) {
        this.client = client;
        this.cpu = cpu;
        this.group = group;
        this.payload = payload;
        this.concurrency = concurrency;
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One run over {@code count} files: the upload, then the {@code phases} asked for, in the order upload,
     * download, delete. The upload is always done (the other phases need its files) but reported only if
     * asked for; without a delete phase the files stay.
     */
    List<PhaseResult> run(int count, List<String> phases) throws InterruptedException {
        String[] ids = new String[count];
        List<PhaseResult> results = new ArrayList<>();
        PhaseResult upload = phase(UPLOAD, count, file -> {
            ids[file] = client.upload(group, payload.content(file), "", Map.of());
            return Outcome.OK;
        }, file -> true);
        if (phases.contains(UPLOAD)) {
            results.add(upload);
        }
        if (phases.contains(DOWNLOAD)) {
            results.add(phase(DOWNLOAD, count, file -> {
                Payload.Verifier v = payload.verifier(file);
                client.download(ids[file], 0, 0, v);
                return v.matches() ? Outcome.OK : Outcome.MISMATCH;
            }, file -> ids[file] != null));
        }
        if (phases.contains(DELETE)) {
            results.add(phase(DELETE, count, file -> {
                client.delete(ids[file]);
                return Outcome.OK;
            }, file -> ids[file] != null));
        }
        return results;
    }

    private interface Eligible {
        boolean test(int file);
    }

    /** Runs {@code op} once for every eligible file, the threads taking the next file as they finish one. */
    private PhaseResult phase(String name, int count, Op op, Eligible eligible) throws InterruptedException {
        long[] latencies = new long[count];
        boolean[] succeeded = new boolean[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger mismatches = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            running.add(workers.submit(() -> {
                start.await();
                for (int file = next.getAndIncrement(); file < count; file = next.getAndIncrement()) {
                    if (!eligible.test(file)) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    try {
                        if (op.run(file) == Outcome.OK) {
                            latencies[file] = System.nanoTime() - t0;
                            succeeded[file] = true;
                        } else {
                            mismatches.incrementAndGet();
                        }
                    } catch (Exception | Error e) {
                        failures.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
                return null;
            }));
        }
        long[] cpu0 = cpu.sample();
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("bench worker failed", e.getCause());
            }
        }
        long wall = System.nanoTime() - t0;
        long[] cpu1 = cpu.sample();
        int ok = 0;
        for (boolean s : succeeded) {
            ok += s ? 1 : 0;
        }
        long[] sorted = new long[ok];
        for (int file = 0, i = 0; file < count; file++) {
            if (succeeded[file]) {
                sorted[i++] = latencies[file];
            }
        }
        Arrays.sort(sorted);
        long bytes = name.equals(DELETE) ? 0 : ok * payload.size();
        return new PhaseResult(name, ok, failures.get(), mismatches.get(), bytes, wall, sorted, firstError.get(),
                cpu.perOperation(cpu0, cpu1, ok + failures.get() + mismatches.get()));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
