package io.kfdfs.cli.bench;

import java.util.Arrays;
import java.util.Map;

/**
 * What one phase of one run measured.
 *
 * @param phase      upload, download or delete
 * @param ops        operations that succeeded
 * @param failures   operations that failed (an error reply, a broken connection ...)
 * @param mismatches downloads that completed with bytes other than those uploaded
 * @param bytes      content bytes moved by the successful operations
 * @param wallNanos  from the start of the first operation to the end of the last
 * @param latencies  nanoseconds of each successful operation, sorted
 * @param firstError the first failure, for the report; null if none
 * @param cpuMicrosPerOp CPU time per operation of each watched process ({@code --cpu-of}), by name
 */
record PhaseResult(String phase, int ops, int failures, int mismatches, long bytes, long wallNanos,
                   long[] latencies, String firstError, Map<String, Double> cpuMicrosPerOp) {

    double opsPerSecond() {
        return wallNanos == 0 ? 0 : ops * 1e9 / wallNanos;
    }

    double mibPerSecond() {
        return wallNanos == 0 ? 0 : bytes * 1e9 / wallNanos / (1 << 20);
    }

    /** The latency in milliseconds below which {@code percent} of the operations completed (nearest rank). */
    double percentileMillis(double percent) {
        if (latencies.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100 * latencies.length);
        return latencies[Math.max(0, Math.min(latencies.length - 1, rank - 1))] / 1e6;
    }

    double maxMillis() {
        return latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6;
    }

    /** Of several runs of one phase, the run with the median throughput (the lower middle one for an even count). */
    static PhaseResult median(PhaseResult[] runs) {
        PhaseResult[] sorted = runs.clone();
        Arrays.sort(sorted, (a, b) -> Double.compare(a.opsPerSecond(), b.opsPerSecond()));
        return sorted[(sorted.length - 1) / 2];
    }
}
