package io.kfdfs.e2e.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * One tracker or storage pod as a child JVM: its main class with {@code --conf}, the pod's own classpath
 * (never this JVM's), the JVM options of {@code scripts/pod-jvm-opts}, its environment and a log file that
 * every start appends to. It can be stopped (SIGTERM), killed (SIGKILL), paused and resumed (SIGSTOP,
 * SIGCONT) and started again on the same data. Signals go to the pid this object started, never to a name.
 */
public final class PodProcess implements AutoCloseable {

    /** What a pod runs: the tracker or the storage module. */
    public enum Role {
        TRACKER("tracker-pod", "io.kfdfs.tracker.TrackerMain", "tracker"),
        STORAGE("storage-pod", "io.kfdfs.storage.StorageMain", "storage");

        final String module;
        final String mainClass;
        /** The pod's name in scripts/jvm-opts. */
        final String optsName;

        Role(String module, String mainClass, String optsName) {
            this.module = module;
            this.mainClass = mainClass;
            this.optsName = optsName;
        }

        public String label() {
            return optsName;
        }

        public String mainClass() {
            return mainClass;
        }
    }

    /**
     * @param name      for messages and the log ("tracker1", "g1m2")
     * @param readyz    the pod's {@code http://addr:port/readyz}
     * @param env       added to this JVM's environment
     * @param extraJvm  JVM options after the pod's own (a later one wins)
     */
    public record Spec(Role role, String name, Path conf, URI readyz, Path log, Map<String, String> env,
                       List<String> extraJvm) {
        public Spec {
            env = Map.copyOf(env);
            extraJvm = List.copyOf(extraJvm);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Spec spec;
    private final PodRuntime runtime;
    private Process process;
    private long peakHwmKb;

    public PodProcess(Spec spec, PodRuntime runtime) {
        this.spec = spec;
        this.runtime = runtime;
    }

    public Spec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /**
     * Starts the JVM, or starts it again on the same configuration and data after a stop or a kill (the
     * log is appended to); does not wait for it to be ready.
     */
    public synchronized void start() throws IOException {
        if (isAlive()) {
            throw new IllegalStateException(spec.name() + " is already running (pid " + process.pid() + ")");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(runtime.jvmOptions(spec.role()));
        cmd.addAll(spec.extraJvm());
        cmd.add("-cp");
        cmd.add(runtime.classpath(spec.role()));
        cmd.add(spec.role().mainClass);
        cmd.add("--conf");
        cmd.add(spec.conf().toString());
        Files.createDirectories(spec.log().getParent());
        Files.writeString(spec.log(), "---- start: " + String.join(" ", cmd) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.log().toFile()));
        Map<String, String> env = new HashMap<>(runtime.environment());
        env.putAll(spec.env());
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Polls {@code /readyz} until it answers 200; fails at once if the process exits. */
    public void awaitReady(Duration timeout) throws Exception {
        try {
            eventually(this::readiness, r -> r.startsWith("200 "), timeout, spec.name() + " ready");
        } catch (AssertionError notReady) {
            throw new IllegalStateException(notReady.getMessage() + "; log:\n" + logTail(), notReady);
        }
    }

    /** {@code /readyz}'s status and body, or why it did not answer; fails once the process has exited. */
    private String readiness() throws Exception {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(spec.name() + " exited"
                    + (p == null ? "" : " with status " + p.exitValue()) + " before it was ready; log:\n" + logTail());
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(spec.readyz())
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body().strip();
        } catch (IOException notListening) {
            return notListening.toString();
        }
    }

    /** The HTTP status of {@code /readyz} now, or -1 when it does not answer. */
    public int readyzStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(spec.readyz()).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(spec.name() + " was never started");
        }
        return process.pid();
    }

    /** The exit status of the last run, or null while it runs (or never ran). */
    public synchronized Integer exitStatus() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** SIGTERM, then waits for the exit (SIGKILL after {@code grace}); returns the exit status. */
    public synchronized int stop(Duration grace) throws IOException, InterruptedException {
        sampleMemory();
        // a paused JVM would hold SIGTERM until continued, and its shutdown hook with it
        signal("CONT");
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, nothing flushed, as a crashed machine or an OOM kill. */
    public synchronized void kill() throws InterruptedException {
        sampleMemory();
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGSTOP: the process stays, holding its sockets, and answers nothing. */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        long pid = pid();
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes());
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid + " (" + spec.name() + "): " + out.strip());
        }
    }

    /** VmRSS and VmHWM of the running process, in KiB; also kept as this pod's peak. */
    public synchronized Memory sampleMemory() {
        if (!isAlive()) {
            return new Memory(0, peakHwmKb);
        }
        Memory m = Memory.of(process.pid());
        peakHwmKb = Math.max(peakHwmKb, m.hwmKb());
        return m;
    }

    /** The highest VmHWM seen over every run of this pod, sampled now if it runs. */
    public long peakHwmKb() {
        sampleMemory();
        return peakHwmKb;
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(spec.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the pod if it runs: SIGTERM, SIGKILL after 20 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (isAlive()) {
            stop(Duration.ofSeconds(20));
        }
    }

    /** Resident and peak resident memory of a process, from {@code /proc/<pid>/status}, in KiB. */
    public record Memory(long rssKb, long hwmKb) {
        static Memory of(long pid) {
            long rss = 0;
            long hwm = 0;
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kb(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kb(line);
                    }
                }
            } catch (IOException gone) {
                // exited between the check and the read
            }
            return new Memory(rss, hwm);
        }

        private static long kb(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}
