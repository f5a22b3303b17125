package io.kfdfs.e2e;

import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.process.PodProcess;
import io.kfdfs.e2e.report.Report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What the scenarios share: their folders, the long/short switch, verifying and reporting. */
public final class Scenario {

    /** {@code make e2e} (-De2e.long=true): the long versions; {@code make test}: the short ones. */
    public static final boolean LONG = Boolean.getBoolean("e2e.long");

    private Scenario() {
    }

    /** {@code <e2e.dir>/runs/<name>}, emptied first: configs, data and logs of one scenario. */
    public static Path dir(String name) throws IOException {
        Path dir = Path.of(System.getProperty("e2e.dir", "target/e2e")).toAbsolutePath().resolve("runs").resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    /** The short or the long value. */
    public static <T> T pick(T shortValue, T longValue) {
        return LONG ? longValue : shortValue;
    }

    /** A verifier over the given members of every group (every member that ever started, by default). */
    public static Verifier verifier(LocalCluster cluster, Ledger ledger, Predicate<Node> holdsData) {
        Map<String, List<Path>> stores = new LinkedHashMap<>();
        for (int g = 1; g <= cluster.groupCount(); g++) {
            List<Path> paths = new ArrayList<>();
            for (Node n : cluster.group(g)) {
                if (holdsData.test(n)) {
                    paths.add(n.store());
                }
            }
            stores.put(cluster.groupName(g), paths);
        }
        return new Verifier(ledger, stores);
    }

    /** The row of a scenario that ran a verified load, and its result: passed only if {@code ok} and converged. */
    public static Report.Result report(String scenario, LocalCluster cluster, Ledger ledger, Verifier.Convergence c,
                                       boolean ok, String notes) {
        Verifier.Result r = c.result();
        List<String> crashed = cluster.crashed();
        boolean passed = ok && r.converged() && crashed.isEmpty() && ledger.corruptReads() == 0;
        String all = notes + (crashed.isEmpty() ? "" : " crashed: " + crashed) + (ledger.corruptReads() == 0 ? ""
                : " corrupt reads during the load: " + ledger.corruptReads() + " " + ledger.corruptDetails())
                + (r.unknownUploadsFound() == 0 ? "" : " " + r.unknownUploadsFound() + " unacknowledged uploads stored whole")
                + (r.duplicates() == 0 ? "" : " " + r.duplicates() + " second copies of acknowledged uploads (the client"
                + " sent an upload again that had reached the storage)")
                + (passed ? "" : " " + r);
        Report.Result result = passed ? Report.Result.PASS : Report.Result.FAIL;
        Report.add(new Report.Row(scenario, ledger.operations(), r.filesVerified(), ledger.refused(), ledger.unknown(),
                r.lost(), r.corrupt() + ledger.corruptReads(), r.orphans() + r.tempFiles(), r.converged() ? c.elapsed() : null,
                cluster.peakHwmKb(PodProcess.Role.TRACKER), cluster.peakHwmKb(PodProcess.Role.STORAGE), result,
                all.strip()));
        return result;
    }
}
