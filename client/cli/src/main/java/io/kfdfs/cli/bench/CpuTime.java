package io.kfdfs.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time (user + system, all threads) of whole processes, from Linux's {@code /proc/PID/stat}: with
 * it a benchmark says what each program in the loop spent per operation, the client and the servers it
 * names, which tells where the time goes when they share the cores.
 */
final class CpuTime {

    /** Linux reports utime and stime in ticks of USER_HZ, 100 per second on every architecture's ABI. */
    static final long NANOS_PER_TICK = 10_000_000L;

    /** A process whose CPU time is reported under {@code name}. */
    record Watched(String name, long pid) {
    }

    static final CpuTime NONE = new CpuTime(List.of());

    private final List<Watched> watched;

    private CpuTime(List<Watched> watched) {
        this.watched = watched;
    }

    /**
     * This client as {@code client}, then each {@code NAME=PID} of {@code specs}; every process must be
     * readable now, so that a mistyped pid is an error and not a blank column.
     */
    static CpuTime of(List<String> specs) {
        List<Watched> all = new ArrayList<>();
        all.add(new Watched("client", ProcessHandle.current().pid()));
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? "" : spec.substring(0, eq).trim();
            long pid;
            try {
                pid = Long.parseLong(spec.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                pid = -1;
            }
            if (name.isEmpty() || pid <= 0) {
                throw new IllegalArgumentException("--cpu-of '" + spec + "': expected NAME=PID, e.g. storage=1234");
            }
            if (all.stream().anyMatch(w -> w.name().equals(name))) {
                throw new IllegalArgumentException("--cpu-of: '" + name + "' is named twice");
            }
            all.add(new Watched(name, pid));
        }
        CpuTime cpu = new CpuTime(List.copyOf(all));
        long[] now = cpu.sample();
        for (int i = 0; i < now.length; i++) {
            if (now[i] < 0) {
                Watched w = cpu.watched.get(i);
                throw new IllegalArgumentException("--cpu-of " + w.name() + "=" + w.pid()
                        + ": cannot read /proc/" + w.pid() + "/stat (no such process, or not Linux)");
            }
        }
        return cpu;
    }

    /** CPU nanoseconds used so far by each watched process, in order; -1 where it cannot be read. */
    long[] sample() {
        long[] nanos = new long[watched.size()];
        for (int i = 0; i < nanos.length; i++) {
            try {
                nanos[i] = ticks(Files.readString(Path.of("/proc", Long.toString(watched.get(i).pid()), "stat")))
                        * NANOS_PER_TICK;
            } catch (IOException | RuntimeException e) {
                nanos[i] = -1;
            }
        }
        return nanos;
    }

    /** Microseconds of CPU per operation of each watched process between two samples (readable ones only). */
    Map<String, Double> perOperation(long[] before, long[] after, int operations) {
        Map<String, Double> micros = new LinkedHashMap<>();
        for (int i = 0; i < watched.size() && operations > 0; i++) {
            if (before[i] >= 0 && after[i] >= 0) {
                micros.put(watched.get(i).name(), (after[i] - before[i]) / 1e3 / operations);
            }
        }
        return micros;
    }

    /**
     * utime + stime of a {@code /proc/PID/stat} line. The command name (field 2) is in parentheses and may
     * hold spaces and parentheses itself, so the fields are counted from the last ')'.
     */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after the name: state is field 3 of the line, utime field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
