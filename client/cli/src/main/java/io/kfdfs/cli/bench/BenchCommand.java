package io.kfdfs.cli.bench;

import io.kfdfs.client.ClientSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code fdfs bench}: uploads {@code --count} files of {@code --size} bytes from {@code --concurrency}
 * threads, downloads and verifies each, deletes them, and reports per phase throughput, latency
 * percentiles, failures and mismatches. Exits 1 if any operation failed or any download differed.
 */
@Command(name = "bench", description = {"Measures upload, download (every byte verified) and delete throughput",
        "and latency from many threads, each operation asking the tracker first as a real client does."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--size", required = true, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "File size: bytes, or with K, M or G (binary units), e.g. 4K, 64K, 1M, 16M.")
    long size;

    @Option(names = "--count", defaultValue = "1000", description = "Files per run (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--concurrency", defaultValue = "8",
            description = "Threads, each with its own connections (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--phases", split = ",", defaultValue = "upload,download,delete", paramLabel = "PHASE",
            description = "Phases to report, of upload, download, delete (default ${DEFAULT-VALUE}). The upload "
                    + "always runs; without delete the files stay.")
    List<String> phases;

    @Option(names = "--group", description = "Upload to this group (default: the tracker chooses).")
    String group;

    @Option(names = "--runs", defaultValue = "1",
            description = "Runs; each phase reports the run with the median throughput (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "0",
            description = "Files uploaded, downloaded and deleted first, unreported (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the file content (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "One JSON object instead of the table.")
    boolean json;

    @Option(names = "--cpu-of", split = ",", paramLabel = "NAME=PID",
            description = {"Also report the CPU time (user + system) per operation of this client and of these "
                    + "processes, e.g. storage=1234,tracker=1200 (Linux: read from /proc)."})
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
        if (size < 0 || count < 1 || concurrency < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--size must be >= 0 and --count, --concurrency, --runs >= 1");
        }
        Payload payload = new Payload(size, seed);
        CpuTime cpu = cpuOf.isEmpty() ? CpuTime.NONE : CpuTime.of(cpuOf);
        List<PhaseResult[]> perPhase = new ArrayList<>();
        try (Bench bench = new Bench(settings.get(), group, payload, concurrency, cpu)) {
            if (warmup > 0) {
                bench.run(warmup, EnumSet.of(Workers.Phase.DOWNLOAD, Workers.Phase.DELETE));
            }
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
        List<PhaseResult> medians = perPhase.stream().map(PhaseResult::median).toList();
        if (json) {
            out.println(Report.json(size, count, concurrency, perPhase, medians));
        } else {
            out.print(Report.table(size, count, concurrency, runs, medians));
        }
        boolean clean = true;
        for (PhaseResult[] phase : perPhase) {
            for (PhaseResult r : phase) {
                if (r.failures() > 0 || r.mismatches() > 0) {
                    clean = false;
                    err.println("fdfs bench: " + r.phase() + ": " + r.failures() + " failed, " + r.mismatches()
                            + " mismatched" + (r.firstError() == null ? "" : "; first failure: " + r.firstError()));
                }
            }
        }
        return clean ? 0 : 1;
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
