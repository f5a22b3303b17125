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
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        return find(text, name, want).orElseThrow(() -> new AssertionError(name + " " + want + " not in\n" + text));
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
