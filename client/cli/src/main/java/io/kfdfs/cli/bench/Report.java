package io.kfdfs.cli.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** A benchmark cell's results as a table for people or one JSON object for scripts. */
final class Report {

    private Report() {
    }

    static String table(long size, int count, int concurrency, int runs, List<PhaseResult> medians,
                        Map<String, Long> peakRssMib) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fdfs bench: %d files of %s, concurrency %d, %s%n", count,
                sizeName(size), concurrency, runs == 1 ? "1 run" : runs + " runs (median run of each phase)"));
        sb.append(String.format(Locale.ROOT, "%-9s %10s %9s %8s %8s %8s %8s %9s %11s%n", "phase", "ops/s",
                "MiB/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "failures", "mismatches"));
        for (PhaseResult r : medians) {
            sb.append(String.format(Locale.ROOT, "%-9s %10.1f %9.1f %8.3f %8.3f %8.3f %8.3f %9d %11d", r.phase(),
                    r.opsPerSecond(), r.mibPerSecond(), r.percentileMillis(50), r.percentileMillis(90),
                    r.percentileMillis(99), r.maxMillis(), r.failures(), r.mismatches()));
            if (!r.cpuMicrosPerOp().isEmpty()) {
                sb.append("   cpu us/op:");
                r.cpuMicrosPerOp().forEach((name, us) -> sb.append(String.format(Locale.ROOT, " %s %.0f", name, us)));
            }
            sb.append(System.lineSeparator());
        }
        if (!peakRssMib.isEmpty()) {
            sb.append("peak RSS MiB:");
            peakRssMib.forEach((name, mib) -> sb.append(' ').append(name).append(' ').append(mib));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /**
     * {@code {"size":..,"count":..,"concurrency":..,"phases":{"upload":{median figures..,"runs":[ops/s..]}},
     * "peak_rss_mib":{"client":..}}}, the last only if there are figures.
     */
    static String json(long size, int count, int concurrency, List<PhaseResult[]> perPhase, List<PhaseResult> medians,
                       Map<String, Long> peakRssMib) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"size\":%d,\"count\":%d,\"concurrency\":%d,\"phases\":{", size, count,
                concurrency));
        for (int i = 0; i < medians.size(); i++) {
            PhaseResult r = medians.get(i);
            sb.append(i == 0 ? "" : ",").append('"').append(r.phase()).append("\":{");
            sb.append(String.format(Locale.ROOT, "\"ops\":%d,\"failures\":%d,\"mismatches\":%d,\"ops_per_s\":%.1f,"
                            + "\"mib_per_s\":%.2f,\"wall_ms\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
                            + "\"max_ms\":%.3f,",
                    r.ops(), r.failures(), r.mismatches(), r.opsPerSecond(), r.mibPerSecond(), r.wallNanos() / 1e6,
                    r.percentileMillis(50), r.percentileMillis(90), r.percentileMillis(99), r.maxMillis()));
            if (!r.cpuMicrosPerOp().isEmpty()) {
                sb.append("\"cpu_us_per_op\":");
                appendObject(sb, r.cpuMicrosPerOp(), us -> String.format(Locale.ROOT, "%.1f", us));
                sb.append(',');
            }
            sb.append("\"runs_ops_per_s\":[");
            PhaseResult[] runs = perPhase.get(i);
            for (int k = 0; k < runs.length; k++) {
                sb.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", runs[k].opsPerSecond()));
            }
            sb.append("]}");
        }
        sb.append('}');
        if (!peakRssMib.isEmpty()) {
            sb.append(",\"peak_rss_mib\":");
            appendObject(sb, peakRssMib, String::valueOf);
        }
        return sb.append('}').toString();
    }

    /** {@code {"name":value,..}}, each value as {@code format} writes it (names are ours: no escaping). */
    private static <V> void appendObject(StringBuilder sb, Map<String, V> values, Function<V, String> format) {
        sb.append('{');
        String sep = "";
        for (Map.Entry<String, V> e : values.entrySet()) {
            sb.append(sep).append('"').append(e.getKey()).append("\":").append(format.apply(e.getValue()));
            sep = ",";
        }
        sb.append('}');
    }

    static String sizeName(long size) {
        if (size >= 1 << 20 && size % (1 << 20) == 0) {
            return (size >> 20) + " MiB";
        }
        if (size >= 1 << 10 && size % (1 << 10) == 0) {
            return (size >> 10) + " KiB";
        }
        return size + " bytes";
    }
}
