package io.kfdfs.e2e;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages of every module's main code, read from its class files by {@code jdeps}: within a module
 * every arrow points down its layers, so no packages form a cycle. Maven keeps the modules themselves one way
 * (DESIGN: protocol ← library ← cli; protocol ← pod-common ← pods; library ← operator); this keeps the
 * packages inside them so. It lives here because only this module is built after all the others.
 */
class PackageLayersTest {

    /**
     * Each module's packages from top to bottom: a package may use the ones below it, never one above. The
     * root package of a pod is its wiring (main, server, commands): nothing in the pod depends on it.
     */
    private static final List<List<String>> LAYERS = List.of(
            List.of("io.kfdfs.storage", "io.kfdfs.storage.report", "io.kfdfs.storage.http", "io.kfdfs.storage.sync",
                    "io.kfdfs.storage.commands", "io.kfdfs.storage.stats", "io.kfdfs.storage.store"),
            List.of("io.kfdfs.tracker", "io.kfdfs.tracker.http"),
            List.of("io.kfdfs.pod.http", "io.kfdfs.pod"),
            List.of("io.kfdfs.cli", "io.kfdfs.cli.bench"),
            List.of("io.kfdfs.client"),
            List.of("io.kfdfs.operator", "io.kfdfs.operator.reconciler", "io.kfdfs.operator.fdfs",
                    "io.kfdfs.operator.model", "io.kfdfs.operator.api"),
            List.of("io.kfdfs.protocol.tracker", "io.kfdfs.protocol.storage", "io.kfdfs.protocol", "io.kfdfs.conf"));

    private static final List<String> MODULES = List.of("client/protocol", "client/library", "client/cli", "pod-common",
            "tracker-pod", "storage-pod", "operator");

    private static final Pattern ARROW = Pattern.compile("^\\s+(io\\.kfdfs[\\w.]*)\\s+->\\s+(io\\.kfdfs[\\w.]*)\\s");

    @Test
    void packagesFormNoCycleAndPointDownTheirLayers() {
        Map<String, Set<String>> uses = packageGraph();
        assertTrue(uses.containsKey("io.kfdfs.storage.sync") && uses.containsKey("io.kfdfs.tracker"),
                "jdeps read the modules: " + uses.keySet());

        List<String> unplaced = new ArrayList<>();
        List<String> upward = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
            int[] from = place(e.getKey());
            if (from == null) {
                unplaced.add(e.getKey());
                continue;
            }
            for (String to : e.getValue()) {
                int[] target = place(to);
                if (target != null && target[0] == from[0] && target[1] <= from[1]) {
                    upward.add(e.getKey() + " -> " + to);
                }
            }
        }
        assertEquals(List.of(), unplaced, "packages not in LAYERS: place each one");
        assertEquals(List.of(), upward, "arrows up a module's layers");
    }

    /** Which list of {@link #LAYERS} a package is in, and its depth there; null when in none. */
    private static int[] place(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            int at = LAYERS.get(i).indexOf(pkg);
            if (at >= 0) {
                return new int[] {i, at};
            }
        }
        return null;
    }

    private static Map<String, Set<String>> packageGraph() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        Path root = Path.of(System.getProperty("kfdfs.root"));
        Map<String, Set<String>> uses = new TreeMap<>();
        for (String module : MODULES) {
            Path classes = root.resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), classes + ": built before this module");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                    classes.toString());
            assertEquals(0, rc, "jdeps " + classes + ": " + err);
            for (String line : out.toString().split("\n")) {
                Matcher m = ARROW.matcher(line);
                if (m.find()) {
                    uses.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                    if (!m.group(1).equals(m.group(2))) {
                        uses.get(m.group(1)).add(m.group(2));
                    }
                }
            }
        }
        return uses;
    }
}
