package io.kfdfs.e2e.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * What every pod process of a checkout shares: its classpath (the module's classes, pod-common's and the
 * codec's first, then the dependencies the module's build wrote to {@code target/classpath.txt}, as
 * {@code scripts/pod-classpath} composes it), its JVM options
 * ({@code scripts/jvm-opts}, from {@code scripts/pod-jvm-opts}) and {@code MALLOC_ARENA_MAX=2}, as
 * {@code make run} and {@code make bench} start the pods.
 */
public final class PodRuntime {

    private final Path root;
    private final Map<PodProcess.Role, String> classpaths = new EnumMap<>(PodProcess.Role.class);
    private final Map<PodProcess.Role, List<String>> jvmOptions = new EnumMap<>(PodProcess.Role.class);

    /** @param root the repository's top folder (the one with scripts/ and the pod modules) */
    public PodRuntime(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The checkout this test runs in: {@code -Dkfdfs.root} (set by the e2e pom), else the parent folder. */
    public static PodRuntime ofCheckout() {
        return new PodRuntime(Path.of(System.getProperty("kfdfs.root", "..")));
    }

    public Path root() {
        return root;
    }

    /**
     * The module's classes, pod-common's and the codec's, copied once per test JVM (other builds in the same
     * checkout rewrite target/ while a suite runs, and a pod restarted in a scenario must run the code it
     * ran before), then the dependencies from the module's target/classpath.txt, less the reactor's own jars
     * (those classes are in the copies).
     */
    public synchronized String classpath(PodProcess.Role role) {
        return classpaths.computeIfAbsent(role, r -> {
            Path deps = root.resolve(r.module).resolve("target/classpath.txt");
            try {
                Path copies = Path.of(System.getProperty("e2e.dir", "target/e2e")).toAbsolutePath()
                        .resolve("pod-classes").resolve(r.module);
                List<String> cp = new ArrayList<>();
                for (String module : List.of(r.module, "pod-common", "client/protocol")) {
                    cp.add(copies.resolve(module.replace('/', '-')).toString());
                }
                copyWhole(r, cp);
                for (String entry : Files.readString(deps).strip().split(":")) {
                    if (!entry.startsWith(root.toString())) {
                        cp.add(entry);
                    }
                }
                return String.join(":", cp);
            } catch (IOException e) {
                throw new UncheckedIOException("no " + deps + " or classes: build the pods first (mvn install -DskipTests)", e);
            } catch (Exception e) {
                throw new IllegalStateException("copying the classes of " + r.module, e);
            }
        });
    }

    /**
     * Copies the three class folders, again while a concurrent build has them half-written (the main class
     * or pod-common's framing missing), for up to a minute.
     */
    private void copyWhole(PodProcess.Role r, List<String> copies) throws Exception {
        List<String> modules = List.of(r.module, "pod-common", "client/protocol");
        List<String> probes = List.of(r.mainClass.replace('.', '/') + ".class", "io/kfdfs/pod/FrameServer.class",
                "io/kfdfs/protocol/Header.class");
        eventually(() -> {
            try {
                for (int i = 0; i < modules.size(); i++) {
                    Path copy = Path.of(copies.get(i));
                    copyTree(root.resolve(modules.get(i)).resolve("target/classes"), copy);
                    if (!Files.exists(copy.resolve(probes.get(i)))) {
                        return "no " + probes.get(i) + " in " + modules.get(i) + "/target/classes";
                    }
                }
                return "whole";
            } catch (IOException changing) {
                return changing.toString();
            }
        }, "whole"::equals, Duration.ofMinutes(1),
                "whole copies of " + modules + "/target/classes (built? mvn install -DskipTests builds them)");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new NoSuchFileException(from.toString());
        }
        if (Files.exists(to)) {
            try (Stream<Path> s = Files.walk(to)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    public synchronized List<String> jvmOptions(PodProcess.Role role) {
        return jvmOptions.computeIfAbsent(role, r -> {
            try {
                Process p = new ProcessBuilder("bash", root.resolve("scripts/jvm-opts").toString(), r.optsName)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("scripts/jvm-opts " + r.optsName + " failed");
                }
                return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\s+"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    public Map<String, String> environment() {
        return Map.of("MALLOC_ARENA_MAX", "2");
    }
}
