package io.kfdfs.operator.install;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kfdfs.operator.MockKube;
import io.kfdfs.operator.Resources;
import io.kfdfs.operator.api.FdfsCluster;
import io.kfdfs.operator.api.StorageGroup;
import io.kfdfs.operator.model.Release;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make image-test}: the images that make images built, started with podman on the host network. The
 * tracker answers the fdfs command run inside it; a storage joins it and becomes ACTIVE; a file uploaded with
 * the fdfs command of the storage image comes back over the storage's HTTP; the operator, pointed at the
 * mock API server, answers /healthz and /readyz and makes a cluster's objects with the images of this
 * release. Peak RSS and stop times go to target/images/image-test.md.
 */
@org.junit.jupiter.api.Tag("image")
class ImageRunTest {

    private static final Release RELEASE = Release.current();
    /** podman on this kind of machine: runc (crun fails on hybrid cgroups), limits root may not raise. */
    private static final List<String> RUN = List.of("--runtime", "runc", "--ulimit", "nofile=1024:1024",
            "--ulimit", "nproc=1024:1024", "--network", "host");
    private static final Path REPORT = Path.of("..", "target", "images", "image-test.md");
    private static final List<String> ROWS = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> started = new ArrayList<>();

    record Result(int exit, String out) {
    }

    private static Result podman(List<String> args, String stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("podman " + args + " did not finish");
        }
        return new Result(p.exitValue(), out.strip());
    }

    private static String ok(String... args) throws Exception {
        Result r = podman(List.of(args), null);
        assertEquals(0, r.exit(), "podman " + String.join(" ", args) + ": " + r.out());
        return r.out();
    }

    private String start(String image, Map<String, String> env, String... options) throws Exception {
        String name = "kfdfs-image-test-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(RUN);
        args.addAll(List.of(options));
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(image);
        Result r = podman(args, null);
        assertEquals(0, r.exit(), "podman run " + image + ": " + r.out());
        started.add(name);
        return name;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String status(HttpResponse<String> r) {
        return r == null ? "no answer" : r.statusCode() + " " + r.body().strip();
    }

    /** The peak RSS of the container's program, from /proc (the container's processes are the host's). */
    private static long peakRssMib(String container) throws Exception {
        String pid = ok("inspect", "--format", "{{.State.Pid}}", container);
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        }
        throw new AssertionError("no VmHWM for " + container);
    }

    /** podman stop (SIGTERM, then SIGKILL after 20 s): how long the program took to end, and how. */
    private static String stop(String container) throws Exception {
        long t0 = System.nanoTime();
        ok("stop", "-t", "20", container);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        return ms + " ms, exit " + ok("inspect", "--format", "{{.State.ExitCode}}", container);
    }

    @AfterEach
    void remove() throws Exception {
        for (String name : started) {
            podman(List.of("rm", "-f", "-t", "0", name), null);
        }
    }

    @AfterAll
    static void report() throws IOException {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "| image | check | result |\n|---|---|---|\n" + String.join("\n", ROWS) + "\n");
    }

    @Test
    void eachImageRunsAsTheUserWithItsPortsEntrypointFilesAndTunedOptions() throws Exception {
        for (String program : List.of("tracker", "storage", "operator")) {
            String image = program.equals("tracker") ? RELEASE.trackerImage()
                    : program.equals("storage") ? RELEASE.storageImage() : RELEASE.operatorImage();
            ImagesTest.Target target = ImagesTest.target(program);
            String config = ok("image", "inspect", "--format",
                    "{{.Config.User}}|{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}|{{.Config.Entrypoint}}|{{.Config.Cmd}}", image);
            String[] c = config.split("\\|", -1);
            assertEquals(target.last("USER"), c[0], image);
            assertEquals(target.last("EXPOSE"), c[1].replace("/tcp", "").strip(), image);
            assertEquals(target.last("ENTRYPOINT").replaceAll("[\\[\\]\",]", ""), c[2].replaceAll("[\\[\\]]", ""), image);
            ROWS.add("| " + image + " | user, ports, entrypoint, args | " + String.join(" ; ", c) + " |");

            List<String> run = new ArrayList<>(List.of("run", "--rm"));
            run.addAll(RUN);
            run.addAll(List.of("--entrypoint", "/bin/sh", image, "-c",
                    "id -u; ls /opt/kfdfs/lib | grep -c 'kfdfs-'; command -v fdfs || echo none; grep -v '^#' /opt/kfdfs/jvm.options | xargs"));
            Result r = podman(run, null);
            assertEquals(0, r.exit(), r.out());
            List<String> lines = r.out().lines().toList();
            assertEquals("10001", lines.get(0), image + ": runs as 10001");
            assertTrue(Integer.parseInt(lines.get(1)) >= 2, image + ": its kfdfs jars");
            assertEquals(program.equals("operator") ? "none" : "/opt/kfdfs/cli/bin/fdfs", lines.get(2), image + ": the fdfs command");
            String expected = program.equals("operator") ? jvmOptions(List.of("sh", "-c", "grep -v '^#' ../images/operator-jvm-opts | xargs"))
                    : jvmOptions(List.of("../scripts/jvm-opts", program));
            assertEquals(expected, lines.get(3), image + ": the JVM options");
            ROWS.add("| " + image + " | JVM options | `" + lines.get(3) + "` |");
        }
    }

    private static String jvmOptions(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), String.join(" ", command));
        return out;
    }

    @Test
    void theTrackerAnswersAStorageBecomesActiveAndServesAnUploadedFile() throws Exception {
        int trackerPort = freePort();
        int trackerHttp = freePort();
        int storagePort = freePort();
        int storageHttp = freePort();
        String tracker = start(RELEASE.trackerImage(), Map.of("KFDFS_PORT", String.valueOf(trackerPort),
                "KFDFS_HTTP_PORT", String.valueOf(trackerHttp), "KFDFS_BIND_ADDR", "127.0.0.1"));
        String trackerUrl = "http://127.0.0.1:" + trackerHttp;
        eventually(() -> status(get(trackerUrl + "/readyz")), s -> s.startsWith("200"), Duration.ofSeconds(60),
                "the tracker's /readyz");
        String trackerAddress = "127.0.0.1:" + trackerPort;
        Result empty = podman(List.of("exec", tracker, "fdfs", "--tracker", trackerAddress, "monitor"), null);
        assertEquals(0, empty.exit(), empty.out());
        ROWS.add("| " + RELEASE.trackerImage() + " | /readyz; `fdfs monitor` inside it | " + status(get(trackerUrl + "/readyz"))
                + "; exit " + empty.exit() + " |");

        String storage = start(RELEASE.storageImage(), Map.of("KFDFS_TRACKER_SERVER", trackerAddress,
                "KFDFS_PORT", String.valueOf(storagePort), "KFDFS_HTTP_PORT", String.valueOf(storageHttp),
                "KFDFS_BIND_ADDR", "127.0.0.1", "KFDFS_HEART_BEAT_INTERVAL", "2"));
        String storageUrl = "http://127.0.0.1:" + storageHttp;
        long t0 = System.nanoTime();
        // ready: joined, ACTIVE on the tracker, its store path writable (after it made its 256x256 directories)
        eventually(() -> status(get(storageUrl + "/readyz")), s -> s.startsWith("200"), Duration.ofSeconds(180),
                "the storage's /readyz");
        long readyS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        String monitor = ok("exec", tracker, "fdfs", "--tracker", trackerAddress, "monitor");
        assertTrue(monitor.contains("127.0.0.1:" + storagePort) && monitor.contains("ACTIVE"), monitor);
        ROWS.add("| " + RELEASE.storageImage() + " | ACTIVE on the tracker (`fdfs monitor`) | after " + readyS + " s: `"
                + monitor.lines().filter(l -> l.contains("ACTIVE")).findFirst().orElse("").strip() + "` |");

        String content = "kfdfs image test " + UUID.randomUUID() + "\n";
        Result upload = podman(List.of("exec", "-i", storage, "fdfs", "-q", "--tracker", trackerAddress, "upload", "-"), content);
        assertEquals(0, upload.exit(), upload.out());
        String fileId = upload.out().lines().reduce((a, b) -> b).orElseThrow();
        HttpResponse<String> file = get(storageUrl + "/" + fileId);
        assertEquals(200, Objects.requireNonNull(file, "the storage's HTTP").statusCode(), fileId);
        assertEquals(content, file.body());
        ROWS.add("| " + RELEASE.storageImage() + " | upload with its fdfs, GET over its HTTP | " + fileId + ": "
                + file.statusCode() + ", " + file.body().length() + " bytes as sent |");

        for (String id : List.of(ok("exec", tracker, "id", "-u"), ok("exec", storage, "id", "-u"))) {
            assertEquals("10001", id);
        }
        ROWS.add("| " + RELEASE.trackerImage() + " | peak RSS (VmHWM) | " + peakRssMib(tracker) + " MiB |");
        ROWS.add("| " + RELEASE.storageImage() + " | peak RSS (VmHWM) | " + peakRssMib(storage) + " MiB |");
        ROWS.add("| " + RELEASE.storageImage() + " | podman stop | " + stop(storage) + " |");
        ROWS.add("| " + RELEASE.trackerImage() + " | podman stop | " + stop(tracker) + " |");
    }

    @Test
    void theOperatorAnswersHealthAndMakesAClustersObjectsWithTheReleasesImages() throws Exception {
        Quantity limit = ((Deployment) Manifests.one(Charts.render(Charts.OPERATOR), "Deployment").object()).getSpec()
                .getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory");
        try (MockKube kube = new MockKube()) {
            int http = freePort();
            String operator = start(RELEASE.operatorImage(), Map.of(
                    "KUBERNETES_MASTER", kube.client.getMasterUrl().toString(),
                    "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
                    "KFDFS_HTTP_PORT", String.valueOf(http), "KFDFS_BIND_ADDR", "127.0.0.1"),
                    // the chart's default limit: the image sizes its heap by it
                    "--memory", String.valueOf(Quantity.getAmountInBytes(limit).longValue()));
            String url = "http://127.0.0.1:" + http;
            eventually(() -> status(get(url + "/healthz")), s -> s.startsWith("200"), Duration.ofSeconds(60),
                    "the operator's /healthz");
            eventually(() -> status(get(url + "/readyz")), s -> s.startsWith("200"), Duration.ofSeconds(60),
                    "the operator's /readyz");
            ROWS.add("| " + RELEASE.operatorImage() + " | /healthz, /readyz against the mock API server | "
                    + status(get(url + "/healthz")) + ", " + status(get(url + "/readyz")) + " |");

            FdfsCluster c = Resources.cluster("images", "files");
            c.getMetadata().setUid(null);
            c = kube.client.resource(c).create();
            StorageGroup g = Resources.group(c, "files-group1", "group1", 2);
            g.getMetadata().setUid(null);
            kube.client.resource(g).create();
            Deployment trackers = eventually(() -> kube.client.apps().deployments().inNamespace("images").withName("files-tracker").get(),
                    Objects::nonNull, Duration.ofSeconds(60), "the tracker Deployment (operator log: podman logs " + operator + ")");
            StatefulSet storages = eventually(() -> kube.client.apps().statefulSets().inNamespace("images").withName("files-group1").get(),
                    Objects::nonNull, Duration.ofSeconds(60), "the group's StatefulSet");
            assertEquals(RELEASE.trackerImage(), trackers.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertEquals(RELEASE.storageImage(), storages.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            eventually(() -> get(url + "/metrics").body(), m -> m.contains("kfdfs_operator_reconcile_seconds_count"),
                    Duration.ofSeconds(60),
                    "reconciles counted in /metrics");
            ROWS.add("| " + RELEASE.operatorImage() + " | FdfsCluster + StorageGroup made into objects | Deployment "
                    + trackers.getMetadata().getName() + " (" + RELEASE.trackerImage() + "), StatefulSet "
                    + storages.getMetadata().getName() + " (" + RELEASE.storageImage() + ") |");
            ROWS.add("| " + RELEASE.operatorImage() + " | peak RSS (VmHWM), memory limit " + limit + " | " + peakRssMib(operator) + " MiB |");
            ROWS.add("| " + RELEASE.operatorImage() + " | podman stop | " + stop(operator) + " |");
        }
    }
}
