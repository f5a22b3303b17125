package io.kfdfs.pod.http;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Reading samples out of the Prometheus text format, for tests of the pods' {@code /metrics}. */
public final class Prometheus {

    private Prometheus() {
    }

    /** The value of the first sample named {@code name} with these labels (name, value, ...); fails if there is none. */
    public static double value(String text, String name, String... labels) {
        Map<String, String> want = labels(labels);
        return find(text, name, want).orElseThrow(() -> new AssertionError(name + " " + want + " not in\n" + text));
    }

    /**
     * As {@link #value}, but NaN (equal to nothing) while there is no such sample: for polling, where a
     * gauge's row may not be registered yet when the first scrape comes.
     */
    public static double valueOrNaN(String text, String name, String... labels) {
        return find(text, name, labels(labels)).orElse(Double.NaN);
    }

    private static Map<String, String> labels(String... namesAndValues) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return labels;
    }

    /** The value of the first sample named {@code name} whose labels include {@code want}. */
    public static OptionalDouble find(String text, String name, Map<String, String> want) {
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sampleName = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            if (!sampleName.equals(name)) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0) {
                for (String kv : line.substring(brace + 1, line.lastIndexOf('}')).split(",")) {
                    int eq = kv.indexOf('=');
                    labels.put(kv.substring(0, eq), kv.substring(eq + 2, kv.length() - 1));
                }
            }
            if (labels.entrySet().containsAll(want.entrySet())) {
                return OptionalDouble.of(Double.parseDouble(line.substring(space + 1)));
            }
        }
        return OptionalDouble.empty();
    }
}
