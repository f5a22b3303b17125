package io.kfdfs.cli.bench;

import io.kfdfs.client.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code fdfs bench}: uploads {@code --count} files of {@code --size} bytes from {@code --concurrency}
 * workers, downloads and verifies each, deletes them, and reports per phase throughput, latency
 * percentiles, failures and mismatches. Lists of sizes and concurrencies make a matrix of cells, run one
 * after the other in this one process, so that every cell but the first finds the client warm. Exits 1 if
 * any operation failed or any download differed.
 */
@Command(name = "bench", description = {"Measures upload, download (every byte verified) and delete throughput",
        "and latency from many workers, each operation asking the tracker first as a real client does."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--size", required = true, split = ",", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "File size: bytes, or with K, M or G (binary units), e.g. 4K, 64K, 1M, 16M; a list "
                    + "(4K,1M) runs each size.")
    List<Long> sizes;

    @Option(names = "--count", split = ",", defaultValue = "1000",
            description = "Files per run (default ${DEFAULT-VALUE}); one for every size, or one per size.")
    List<Integer> counts;

    @Option(names = "--concurrency", split = ",", defaultValue = "8",
            description = "Workers, each with its own connections (default ${DEFAULT-VALUE}); a list (1,8,32) "
                    + "runs each size at each.")
    List<Integer> concurrencies;

    @Option(names = "--phases", split = ",", defaultValue = "upload,download,delete", paramLabel = "PHASE",
            description = "Phases to report, of upload, download, delete (default ${DEFAULT-VALUE}). The upload "
                    + "always runs; without delete the files stay.")
    List<String> phases;

    @Option(names = "--group", description = "Upload to this group (default: the tracker chooses).")
    String group;

    @Option(names = "--runs", defaultValue = "1",
            description = "Runs per cell; each phase reports the run with the median throughput (default "
                    + "${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "0",
            description = {"Files of the first size uploaded, downloaded and deleted at the highest concurrency "
                    + "before the first cell, unreported (default ${DEFAULT-VALUE})."})
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the file content (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--settle", description = {"After each upload phase, wait until every ACTIVE member of the "
            + "group holds every file (a replicated group's backlog is then not paid inside the next phase), and "
            + "report the wait as the phase \"settle\": until the last files uploaded are on every member (copies "
            + "arrive in upload order; the others are then checked once, untimed)."})
    boolean settle;

    @Option(names = "--json", description = "One JSON object per cell, a line each, instead of tables.")
    boolean json;

    @Option(names = "--cpu-of", split = ",", paramLabel = "NAME=PID",
            description = {"Also report the CPU time (user + system) per operation of this client and of these "
                    + "processes, e.g. storage=1234,tracker=1200, and the peak RSS of each during each cell "
                    + "(Linux: read from /proc; the peak is started afresh for each cell)."})
    List<String> cpuOf = List.of();

    private final Supplier<ClientSettings> settings;
    private final PrintStream out;
    private final PrintStream err;

    public BenchCommand(Supplier<ClientSettings> settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        Set<Workers.Phase> asked = EnumSet.noneOf(Workers.Phase.class);
        for (String p : phases) {
            asked.add(Workers.Phase.of(p));
        }
        if (sizes.stream().anyMatch(s -> s < 0) || counts.stream().anyMatch(c -> c < 1)
                || concurrencies.stream().anyMatch(c -> c < 1) || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--size must be >= 0 and --count, --concurrency, --runs >= 1");
        }
        if (counts.size() != 1 && counts.size() != sizes.size()) {
            throw new IllegalArgumentException("--count takes one number, or one per size (" + sizes.size()
                    + " sizes, " + counts.size() + " counts)");
        }
        ProcessStats watched = cpuOf.isEmpty() ? ProcessStats.NONE : ProcessStats.of(cpuOf);
        ClientSettings client = settings.get();
        // one per size, shared by its cells and the warm-up: each holds a random pattern of 1 MiB
        List<Payload> payloads = sizes.stream().map(size -> new Payload(size, seed)).toList();
        if (warmup > 0) {
            try (Bench bench = new Bench(client, group, payloads.get(0), Collections.max(concurrencies),
                    ProcessStats.NONE, null)) {
                bench.run(warmup, EnumSet.of(Workers.Phase.DOWNLOAD, Workers.Phase.DELETE));
            }
        }
        boolean clean = true;
        for (int s = 0; s < sizes.size(); s++) {
            int count = counts.get(counts.size() == 1 ? 0 : s);
            for (int concurrency : concurrencies) {
                clean &= cell(client, watched, payloads.get(s), count, concurrency, asked);
            }
        }
        return clean ? 0 : 1;
    }

    /** Runs and reports one size at one concurrency; false if anything failed or mismatched. */
    private boolean cell(ClientSettings client, ProcessStats watched, Payload payload, int count, int concurrency,
                         Set<Workers.Phase> asked) throws IOException {
        long size = payload.size();
        List<PhaseResult[]> perPhase = new ArrayList<>();
        boolean[] rssReset = watched.resetPeakRss();
        try (Replicas replicas = settle ? new Replicas(client) : null;
             Bench bench = new Bench(client, group, payload, concurrency, watched, replicas)) {
            for (int r = 0; r < runs; r++) {
                List<PhaseResult> run = bench.run(count, asked);
                for (int i = 0; i < run.size(); i++) {
                    if (r == 0) {
                        perPhase.add(new PhaseResult[runs]);
                    }
                    perPhase.get(i)[r] = run.get(i);
                }
            }
        }
        Map<String, Long> peakRss = watched.peakRssMib(rssReset);
        List<PhaseResult> medians = perPhase.stream().map(PhaseResult::median).toList();
        if (json) {
            out.println(Report.json(size, count, concurrency, perPhase, medians, peakRss));
        } else {
            out.print(Report.table(size, count, concurrency, runs, medians, peakRss));
        }
        out.flush();
        boolean clean = true;
        for (PhaseResult[] phase : perPhase) {
            for (PhaseResult r : phase) {
                if (r.failures() > 0 || r.mismatches() > 0) {
                    clean = false;
                    err.println("fdfs bench: " + Report.sizeName(size) + " x " + concurrency + ": " + r.phase() + ": "
                            + r.failures() + " failed, " + r.mismatches() + " mismatched"
                            + (r.firstError() == null ? "" : "; first failure: " + r.firstError()));
                }
            }
        }
        return clean;
    }

    /** {@code 4096}, {@code 4K}, {@code 1M}, {@code 2G} (binary units). */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            int shift = v.endsWith("K") ? 10 : v.endsWith("M") ? 20 : v.endsWith("G") ? 30 : 0;
            String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
            try {
                return Long.parseLong(digits) << shift;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("size '" + value + "' is not a number of bytes, K, M or G");
            }
        }
    }
}
