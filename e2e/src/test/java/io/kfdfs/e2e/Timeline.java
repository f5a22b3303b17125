package io.kfdfs.e2e;

import java.util.ArrayList;
import java.util.List;

/** A scenario's steps, each with the seconds since it began: printed as they come, and all together at the end. */
public final class Timeline {

    private final String scenario;
    private final long t0 = System.nanoTime();
    private final List<String> lines = new ArrayList<>();

    public Timeline(String scenario) {
        this.scenario = scenario;
    }

    public synchronized void step(String what) {
        String line = String.format("+%5.1f s  %s", (System.nanoTime() - t0) / 1e9, what);
        lines.add(line);
        System.out.println(scenario + " " + line);
    }

    /** Whether the last step ends with {@code text} (to note a state only when it changes). */
    public synchronized boolean lastEndsWith(String text) {
        return !lines.isEmpty() && lines.get(lines.size() - 1).endsWith(text);
    }

    /** Every step, one a line. */
    public synchronized void print() {
        System.out.println(scenario + " timeline:\n  " + String.join("\n  ", lines));
    }
}
