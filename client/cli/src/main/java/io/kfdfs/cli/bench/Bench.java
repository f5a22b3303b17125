package io.kfdfs.cli.bench;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.protocol.storage.GroupFile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the phases of a benchmark on its {@link Workers}, whose connections persist across operations. */
final class Bench implements AutoCloseable {

    static final String UPLOAD = "upload";
    static final String DOWNLOAD = "download";
    static final String DELETE = "delete";

    private final Workers workers;
    private final Payload payload;
    private final CpuTime cpu;

    Bench(ClientSettings settings, String group, Payload payload, int concurrency, CpuTime cpu) throws IOException {
        this.workers = new Workers(settings.trackers(), settings.connectTimeout(), settings.networkTimeout(), group,
                payload, concurrency);
        this.payload = payload;
        this.cpu = cpu;
    }

    /**
     * One run over {@code count} files: the upload, then the {@code phases} asked for, in the order upload,
     * download, delete. The upload is always done (the other phases need its files) but reported only if
     * asked for; without a delete phase the files stay.
     */
    List<PhaseResult> run(int count, List<String> phases) throws IOException {
        GroupFile[] files = new GroupFile[count];
        List<PhaseResult> results = new ArrayList<>();
        PhaseResult upload = phase(UPLOAD, Workers.Phase.UPLOAD, count, files);
        if (phases.contains(UPLOAD)) {
            results.add(upload);
        }
        if (phases.contains(DOWNLOAD)) {
            results.add(phase(DOWNLOAD, Workers.Phase.DOWNLOAD, count, files));
        }
        if (phases.contains(DELETE)) {
            results.add(phase(DELETE, Workers.Phase.DELETE, count, files));
        }
        return results;
    }

    /** Runs one phase over every file (a download or delete only over those uploaded) and sums it up. */
    private PhaseResult phase(String name, Workers.Phase phase, int count, GroupFile[] files) throws IOException {
        Tally tally = new Tally(count);
        long[] cpu0 = cpu.sample();
        long t0 = System.nanoTime();
        workers.run(phase, count, files, file -> phase == Workers.Phase.UPLOAD || files[file] != null, tally);
        long wall = System.nanoTime() - t0;
        long[] cpu1 = cpu.sample();
        long[] sorted = tally.sortedLatencies();
        long bytes = phase == Workers.Phase.DELETE ? 0 : sorted.length * payload.size();
        return new PhaseResult(name, sorted.length, tally.failures, tally.mismatches, bytes, wall, sorted,
                tally.firstError, cpu.perOperation(cpu0, cpu1, sorted.length + tally.failures + tally.mismatches));
    }

    /** What a phase's operations came to. */
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
        public void succeeded(int file, long nanos) {
            latencies[file] = nanos;
            succeeded[file] = true;
            ok++;
        }

        @Override
        public void mismatched(int file) {
            mismatches++;
        }

        @Override
        public void failed(int file, String error) {
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
        workers.close();
    }
}
