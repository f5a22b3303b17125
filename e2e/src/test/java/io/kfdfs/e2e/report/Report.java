package io.kfdfs.e2e.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault suite's one table: a row per scenario (or per step of one), whatever ran it (the local
 * process cluster, later the Kubernetes stand-in). Rows go to {@code <e2e.dir>/report.md} as they come, the
 * file started afresh by the first row of a test JVM; {@code make e2e} prints it.
 */
public final class Report {

    /** How a scenario ended: {@code PASS}, {@code FAIL}, or {@code NOT RUN: <reason>}, never counted as passed. */
    public record Result(String text) {
        public static final Result PASS = new Result("PASS");
        public static final Result FAIL = new Result("FAIL");

        public static Result notRun(String reason) {
            return new Result("NOT RUN: " + reason);
        }

        public boolean passed() {
            return text.equals("PASS");
        }
    }

    /**
     * @param failedRefused operations the servers refused (they did not happen)
     * @param failedUnknown operations that failed without an answer (they may have happened)
     * @param converge      time from the end of the faults and load to replicas matching the ledger; null: not measured
     * @param notes         anything the columns do not say (measurements, why it failed)
     */
    public record Row(String scenario, long operations, long filesVerified, long failedRefused, long failedUnknown,
                      long lost, long corrupt, long orphans, Duration converge, long trackerPeakKb,
                      long storagePeakKb, Result result, String notes) {
    }

    private static final String HEADER = "| scenario | operations | files verified | failed ops: refused / unacknowledged "
            + "| lost | corrupt | orphans | converged in | peak RSS tracker / storage | result |\n"
            + "|---|---|---|---|---|---|---|---|---|---|\n";
    private static final List<Row> ROWS = new ArrayList<>();

    private Report() {
    }

    /** Adds a row and rewrites the table file. */
    public static synchronized void add(Row row) {
        ROWS.add(row);
        Path file = Path.of(System.getProperty("e2e.dir", "target/e2e")).resolve("report.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, table(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(line(row));
    }

    public static synchronized String table() {
        StringBuilder s = new StringBuilder(HEADER);
        ROWS.forEach(r -> s.append(line(r)).append('\n'));
        StringBuilder notes = new StringBuilder();
        ROWS.stream().filter(r -> !r.notes().isBlank())
                .forEach(r -> notes.append("- ").append(r.scenario()).append(": ").append(r.notes()).append('\n'));
        return notes.length() == 0 ? s.toString() : s.append('\n').append(notes).toString();
    }

    private static String line(Row r) {
        return "| " + r.scenario() + " | " + r.operations() + " | " + r.filesVerified() + " | " + r.failedRefused()
                + " / " + r.failedUnknown() + " | " + r.lost() + " | " + r.corrupt() + " | " + r.orphans() + " | "
                + (r.converge() == null ? "-" : String.format("%.1f s", r.converge().toMillis() / 1000.0)) + " | "
                + mib(r.trackerPeakKb()) + " / " + mib(r.storagePeakKb()) + " | " + r.result().text() + " |";
    }

    private static String mib(long kb) {
        return kb == 0 ? "-" : (kb / 1024) + " MiB";
    }
}
