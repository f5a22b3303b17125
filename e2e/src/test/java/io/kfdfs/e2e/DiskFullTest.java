package io.kfdfs.e2e;

import io.kfdfs.client.FdfsClient;
import io.kfdfs.e2e.load.Ledger;
import io.kfdfs.e2e.load.LoadGenerator;
import io.kfdfs.e2e.load.Verifier;
import io.kfdfs.e2e.local.LocalCluster;
import io.kfdfs.e2e.local.Node;
import io.kfdfs.e2e.report.Report;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 4: one member's store path on a 16 MiB tmpfs, 12 MiB of it taken by a filler, under the mixed
 * load of small files: uploads to it get ENOSPC or go to the other group, and nothing half-written is
 * left anywhere; then the filler goes and the volume grows, the member takes writes again and catches up
 * with its peer. Needs
 * mount(8) (root); without it the scenario is reported as not run.
 */
@Tag("long")
class DiskFullTest {

    @Test
    void fullDiskRefusesThenCatchesUp() throws Exception {
        String scenario = "4 disk full on one member";
        Path dir = Scenario.dir("4-disk-full");
        try (LocalCluster cluster = LocalCluster.builder(dir).trackers(1).build()) {
            Node full = cluster.group(1).get(1);
            String mounted = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", full.store().toString());
            if (mounted != null) {
                Report.add(new Report.Row(scenario, 0, 0, 0, 0, 0, 0, 0, null, 0, 0,
                        Report.Result.notRun("cannot mount a tmpfs: " + mounted), ""));
                Assumptions.abort("cannot mount a tmpfs: " + mounted);
            }
            try (FdfsClient client = cluster.start().client()) {
                Path filler = full.store().resolve("filler");
                try (OutputStream out = Files.newOutputStream(filler)) {
                    out.write(new byte[12 << 20]);
                }
                Ledger ledger = new Ledger();
                LoadGenerator load = new LoadGenerator(client, ledger, 8, LoadGenerator.Mix.SMALL, 4);
                load.start();
                String whileFull;
                try {
                    // full as far as the cluster lets it be: its free space (what reserved space leaves) stops falling
                    long[] lowest = {Long.MAX_VALUE, System.nanoTime()};
                    eventually(() -> {
                        long free = Files.getFileStore(full.store()).getUsableSpace();
                        if (free < lowest[0]) {
                            lowest[0] = free;
                            lowest[1] = System.nanoTime();
                        }
                        return System.nanoTime() - lowest[1] > 10e9;
                    }, stopped -> stopped, Duration.ofSeconds(120), "the member to stop taking writes");
                    whileFull = "full at " + lowest[0] / 1024 + " KiB free: " + ledger.failureSummary() + ", readyz "
                            + full.process().readyzStatus();
                    Files.delete(filler);
                    // and the volume grown, as an operator would: while the member was full its peer went on taking
                    // the group's files, more than the 16 MiB could hold, so with the filler gone alone it filled up
                    // again on the copies and rightly answered the rest ENOSPC (free 1 MB, nothing held in flight)
                    String grown = run("mount", "-o", "remount,size=256m", full.store().toString());
                    assertNull(grown, "growing the member's tmpfs: " + grown);
                    full.process().awaitReady(Duration.ofSeconds(60));
                    Thread.sleep(10_000); // the load goes on 10 s with the space back
                } finally {
                    load.stop();
                }
                Verifier.Convergence c = Scenario.verifier(cluster, ledger, n -> true).awaitConverged(Duration.ofSeconds(120));
                Report.Result result = Scenario.report(scenario, cluster, ledger, c, true, whileFull
                        + "; after the space was freed: ready again, all failures: " + ledger.failureSummary());
                assertTrue(result.passed(), c.result() + "; " + whileFull);
            } finally {
                cluster.close();
                String unmounted = run("umount", full.store().toString());
                if (unmounted != null) {
                    run("umount", "-l", full.store().toString());
                }
            }
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
