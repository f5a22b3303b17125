package io.kfdfs.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time (user + system, all threads) and peak resident memory of whole processes, from Linux's
 * {@code /proc/PID}: with them a benchmark says what each program in the loop spent per operation and how
 * much memory it needed, the client and the servers it names, which tells where the time goes when they
 * share the cores.
 */
final class ProcessStats {

    /** Linux reports utime and stime in ticks of USER_HZ, 100 per second on every architecture's ABI. */
    static final long NANOS_PER_TICK = 10_000_000L;

    /** A process whose CPU time is reported under {@code name}. */
    record Watched(String name, long pid) {
    }

    static final ProcessStats NONE = new ProcessStats(List.of());

    private final List<Watched> watched;

    private ProcessStats(List<Watched> watched) {
        this.watched = watched;
    }

    /**
     * This client as {@code client}, then each {@code NAME=PID} of {@code specs}; every process must be
     * readable now, so that a mistyped pid is an error and not a blank column.
     */
    static ProcessStats of(List<String> specs) {
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
        ProcessStats cpu = new ProcessStats(List.copyOf(all));
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
     * Starts each process's peak RSS afresh (Linux: {@code 5} written to {@code /proc/PID/clear_refs}, allowed
     * for one's own processes); returns which ones could be, in order.
     */
    boolean[] resetPeakRss() {
        boolean[] reset = new boolean[watched.size()];
        for (int i = 0; i < reset.length; i++) {
            try {
                Files.writeString(Path.of("/proc", Long.toString(watched.get(i).pid()), "clear_refs"), "5");
                reset[i] = true;
            } catch (IOException | RuntimeException e) {
                reset[i] = false;
            }
        }
        return reset;
    }

    /** MiB of peak RSS ({@code VmHWM}) of each process whose peak was {@code reset}, by name. */
    Map<String, Long> peakRssMib(boolean[] reset) {
        Map<String, Long> mib = new LinkedHashMap<>();
        for (int i = 0; i < watched.size(); i++) {
            if (!reset[i]) {
                continue;
            }
            try {
                long kib = peakKib(Files.readString(Path.of("/proc", Long.toString(watched.get(i).pid()), "status")));
                if (kib >= 0) {
                    mib.put(watched.get(i).name(), kib >> 10);
                }
            } catch (IOException | RuntimeException e) {
                // gone since: no figure
            }
        }
        return mib;
    }

    /** The {@code VmHWM:  1234 kB} line of a {@code /proc/PID/status}, in KiB; -1 if there is none. */
    static long peakKib(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).replace("kB", "").trim());
            }
        }
        return -1;
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
