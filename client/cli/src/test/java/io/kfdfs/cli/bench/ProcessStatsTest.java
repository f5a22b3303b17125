package io.kfdfs.cli.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessStatsTest {

    @Test
    void ticksAreUtimePlusStimeCountedFromTheLastParenthesis() {
        // a command name may hold spaces and parentheses; fields 14 and 15 are utime 1234 and stime 56
        String stat = "4242 (java (a) b) S 1 4242 4242 0 -1 4194560 27000 0 3 0 1234 56 0 0 20 0 30 0 123 "
                + "456 789 18446744073709551615 1 1 0 0 0 0 0 16781312 17642 0 0 0 17 1 0 0 0 0 0\n";
        assertEquals(1290, ProcessStats.ticks(stat));
    }

    @Test
    void thisProcessIsWatchedAsTheClientAndItsTimeGrows() {
        ProcessStats cpu = ProcessStats.of(List.of("same=" + ProcessHandle.current().pid()));
        long[] before = cpu.sample();
        long spin = System.nanoTime() + 200_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += x * 31 + 7;
        }
        long[] after = cpu.sample();
        Map<String, Double> perOp = cpu.perOperation(before, after, 4);
        assertEquals(List.of("client", "same"), List.copyOf(perOp.keySet()));
        // 200 ms of spinning over 4 operations, read in 10 ms ticks
        assertTrue(perOp.get("client") >= 30_000, perOp + " " + x);
    }

    @Test
    void peakRssIsTheVmHwmLine() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmSize:\t 2900000 kB\nVmHWM:\t   86016 kB\n"
                + "VmRSS:\t   80000 kB\n";
        assertEquals(86016, ProcessStats.peakKib(status));
        assertEquals(-1, ProcessStats.peakKib("Name:\tkthreadd\nVmRSS:\t0 kB\n"));
    }

    @Test
    void thePeakOfThisProcessIsStartedAfreshAndRead() {
        ProcessStats stats = ProcessStats.of(List.of("same=" + ProcessHandle.current().pid()));
        boolean[] reset = stats.resetPeakRss();
        assertTrue(reset[0] && reset[1], "one's own process may be reset");
        Map<String, Long> mib = stats.peakRssMib(reset);
        assertEquals(List.of("client", "same"), List.copyOf(mib.keySet()));
        assertTrue(mib.get("client") > 0, mib.toString());
        assertEquals(Map.of(), stats.peakRssMib(new boolean[2]), "no figure for a peak not started afresh");
    }

    @Test
    void badSpecsAreRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"storage", "=12", "storage=", "storage=x1", "storage=-3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcessStats.of(List.of(bad)));
            assertTrue(e.getMessage().contains("expected NAME=PID"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ProcessStats.of(List.of("client=1")))
                .getMessage().contains("named twice"));
    }
}
