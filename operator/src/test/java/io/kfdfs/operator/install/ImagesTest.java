package io.kfdfs.operator.install;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.operator.Resources;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Names;
import io.kfdfs.operator.model.StorageGroupModel;
import io.kfdfs.operator.model.TrackerModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What can be checked of the images without building them: each target of images/Dockerfile against the
 * pods the operator makes (args, ports, user), the entrypoint's java command line, the images' own
 * configurations. (The built images, started: ImageRunTest, make image-test.)
 */
class ImagesTest {

    static final Path IMAGES = Path.of("..", "images");
    private static final FdfsCluster CLUSTER = Resources.cluster("ns", "files");
    private static final StorageGroup GROUP = Resources.group(CLUSTER, "files-g1", "group1", 2);

    /** One target of the Dockerfile: its instructions and those of the stages it is built on, in order. */
    record Target(List<String[]> instructions) {

        /** The arguments of the last {@code keyword}, or null. */
        String last(String keyword) {
            String found = null;
            for (String[] i : instructions) {
                if (i[0].equals(keyword)) {
                    found = i[1];
                }
            }
            return found;
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }
    }

    static Target target(String name) throws IOException {
        Map<String, List<String[]>> stages = new LinkedHashMap<>();
        Map<String, String> parents = new LinkedHashMap<>();
        List<String[]> current = null;
        String text = Files.readString(IMAGES.resolve("Dockerfile")).replaceAll("\\\\\n", " ");
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] i = line.split("\\s+", 2);
            i[0] = i[0].toUpperCase();
            Matcher from = Pattern.compile("(\\S+) AS (\\S+)").matcher(i.length > 1 ? i[1] : "");
            if (i[0].equals("FROM") && from.matches()) {
                current = new ArrayList<>();
                stages.put(from.group(2), current);
                parents.put(from.group(2), from.group(1));
            } else if (current != null) {
                current.add(i);
            }
        }
        assertTrue(stages.containsKey(name), "images/Dockerfile has no target " + name + ": " + stages.keySet());
        List<String[]> chain = new ArrayList<>();
        for (String s = name; stages.containsKey(s); s = parents.get(s)) {
            chain.addAll(0, stages.get(s));
        }
        return new Target(chain);
    }

    private static String json(List<String> words) {
        return "[" + String.join(", ", words.stream().map(w -> "\"" + w + "\"").toList()) + "]";
    }

    @Test
    void eachTargetRunsItsProgramAsTheUserWithThePortsAndArgsOfThePodsTheOperatorMakes() throws IOException {
        Container tracker = new TrackerModel(CLUSTER, Resources.DEFAULTS).deployment().getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        PodSpec storagePod = new StorageGroupModel(CLUSTER, GROUP, Resources.DEFAULTS).statefulSet(2).getSpec()
                .getTemplate().getSpec();
        Container storage = storagePod.getContainers().get(0);
        String user = storagePod.getSecurityContext().getRunAsUser() + ":" + storagePod.getSecurityContext().getRunAsGroup();
        Map<String, Container> pods = Map.of("tracker", tracker, "storage", storage);
        for (Map.Entry<String, Container> e : pods.entrySet()) {
            Target t = target(e.getKey());
            Container c = e.getValue();
            assertEquals(user, t.last("USER"), e.getKey() + ": the user the operator's pods run as");
            assertEquals(json(c.getArgs()), t.last("CMD"), e.getKey() + ": the operator's args are the image's default");
            assertEquals(json(List.of("/opt/kfdfs/bin/kfdfs-entrypoint", e.getKey())), t.last("ENTRYPOINT"));
            assertEquals(String.join(" ", c.getPorts().stream().map(p -> String.valueOf(p.getContainerPort())).toList()),
                    t.last("EXPOSE"), e.getKey() + ": the pod's ports");
            assertTrue(t.all("RUN").stream().anyMatch(r -> r.startsWith("/opt/kfdfs/jvm/jvm-opts " + e.getKey() + " > /opt/kfdfs/jvm.options")),
                    e.getKey() + ": its JVM options from scripts/pod-jvm-opts");
            assertTrue(t.all("COPY").contains("cli/ /opt/kfdfs/cli/"), e.getKey() + ": the fdfs command for debugging");
        }
        Target operator = target("operator");
        assertEquals(user, operator.last("USER"));
        assertEquals("8080", operator.last("EXPOSE"));
        assertEquals(json(List.of("/opt/kfdfs/bin/kfdfs-entrypoint", "operator")), operator.last("ENTRYPOINT"));
        assertEquals(null, operator.last("CMD"), "OperatorMain takes no arguments");
        assertTrue(target("base").last("RUN").contains("useradd --uid 10001 --gid 10001"));
        assertTrue(target("base").all("ENV").get(0).contains("MALLOC_ARENA_MAX=2"));
    }

    @Test
    void theImagesOwnConfigurationsUseTheImagesPortsAndDataFolder() throws IOException {
        TrackerConfig t = TrackerConfig.load(IMAGES.resolve("conf/tracker.conf"), Map.of());
        assertEquals(target("tracker").last("EXPOSE"), t.port() + " " + t.httpPort());
        assertEquals(Names.DATA_DIR, t.basePath());
        StorageConfig s = StorageConfig.load(IMAGES.resolve("conf/storage.conf"), Map.of());
        assertEquals(target("storage").last("EXPOSE"), s.port() + " " + s.httpPort());
        assertEquals(Names.storePathDir(0), s.basePath());
        assertEquals(List.of(Names.storePathDir(0)), s.storePaths().stream().map(StorageConfig.StorePath::path).toList());
        assertTrue(target("storage").last("RUN").contains("install -d -o 10001 -g 10001 " + Names.storePathDir(0)),
                "the store path exists, the user's, when no volume is mounted there");
        StorageConfig overridden = StorageConfig.load(IMAGES.resolve("conf/storage.conf"),
                Map.of("KFDFS_TRACKER_SERVER", "t0:22122;t1:22122"));
        assertEquals(2, overridden.trackerServers().size(), "the KFDFS_* overrides apply to the image's own file");
    }

    /** A JAVA_HOME whose java prints its arguments one per line, then the KFDFS_* variables it got. */
    private static Path fakeJava(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\nenv | grep '^KFDFS_' | sort\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("jdk");
    }

    record Run(int exit, List<String> out, String err) {
    }

    private static Run run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", script.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("KFDFS_") || k.startsWith("JAVA_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out.isEmpty() ? List.of() : List.of(out.split("\n")), err);
    }

    @Test
    void theEntrypointRunsTheProgramWithTheImagesOptionsAndPassesArgsAndEnvironmentOn(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("kfdfs"));
        Files.writeString(home.resolve("jvm.options"), "# computed at build time\n-XX:+UseSerialGC -Xmx24m\n-Dio.netty.jfr.enabled=false\n");
        Map<String, String> env = new LinkedHashMap<>(Map.of("KFDFS_HOME", home.toString(),
                "JAVA_HOME", fakeJava(dir).toString(), "KFDFS_PORT", "22123", "KFDFS_BIND_ADDR", "10.1.2.3"));
        Path entrypoint = IMAGES.resolve("kfdfs-entrypoint");

        Run tracker = run(entrypoint, env, "tracker", "--conf", "/etc/kfdfs/tracker.conf");
        assertEquals(0, tracker.exit(), tracker.err());
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmx24m", "-Dio.netty.jfr.enabled=false", "-cp", home + "/lib/*",
                "io.kfdfs.tracker.TrackerMain", "--conf", "/etc/kfdfs/tracker.conf",
                "KFDFS_BIND_ADDR=10.1.2.3", "KFDFS_HOME=" + home, "KFDFS_PORT=22123"), tracker.out());

        assertEquals("io.kfdfs.storage.StorageMain", run(entrypoint, env, "storage").out().get(5));
        assertEquals("io.kfdfs.operator.OperatorMain", run(entrypoint, env, "operator").out().get(5));

        env.put("JAVA_OPTS_APPEND", "-Xlog:gc -Dx=*");
        assertEquals(List.of("-XX:+UseSerialGC", "-Xmx24m", "-Dio.netty.jfr.enabled=false", "-Xlog:gc", "-Dx=*", "-cp"),
                run(entrypoint, env, "storage", "--conf", "/c").out().subList(0, 6), "appended, and not globbed");
        env.put("JAVA_OPTS", "-Xmx64m");
        assertEquals(List.of("-Xmx64m", "-Xlog:gc", "-Dx=*", "-cp"), run(entrypoint, env, "storage").out().subList(0, 4),
                "JAVA_OPTS replaces the image's");

        Run unknown = run(entrypoint, env, "tracer");
        assertEquals(2, unknown.exit());
        assertEquals("kfdfs-entrypoint: unknown program 'tracer': expected tracker, storage or operator\n", unknown.err());
        env.remove("JAVA_OPTS");
        Files.delete(home.resolve("jvm.options"));
        Run missing = run(entrypoint, env, "tracker");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains(home + "/jvm.options is missing"), missing.err());
    }

    @Test
    void theFdfsCommandOfTheImagesRunsTheClassicToolCalledByItsName(@TempDir Path dir) throws Exception {
        Path fdfs = Files.copy(IMAGES.resolve("fdfs"), dir.resolve("fdfs"));
        Files.setPosixFilePermissions(fdfs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path monitor = Files.createSymbolicLink(dir.resolve("fdfs_monitor"), fdfs.getFileName());
        Map<String, String> env = Map.of("JAVA_HOME", fakeJava(dir).toString(), "KFDFS_HOME", "/opt/kfdfs",
                "JAVA_OPTS", "-Xmx20m");
        assertEquals(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", "/opt/kfdfs/cli/lib/*", "io.kfdfs.cli.Main",
                "--tracker", "t:22122", "monitor"), run(fdfs, env, "--tracker", "t:22122", "monitor").out().subList(0, 8),
                "the server's JAVA_OPTS are not the command's");
        ProcessBuilder pb = new ProcessBuilder(monitor.toString(), "/etc/fdfs/client.conf");
        pb.environment().putAll(env);
        pb.environment().put("FDFS_JAVA_OPTS", "-Xmx32m");
        Process p = pb.start();
        List<String> out = List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertEquals(0, p.waitFor());
        assertEquals(List.of("-Xmx32m", "-cp", "/opt/kfdfs/cli/lib/*", "io.kfdfs.cli.Main", "fdfs_monitor", "/etc/fdfs/client.conf"),
                out.subList(0, 6));
    }
}
