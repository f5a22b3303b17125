package io.kfdfs.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * A pod's main class ({@code StorageMain}, {@code TrackerMain}) in a child JVM on this JVM's class path,
 * its output appended to a log file; started once it has logged that it listens.
 */
final class ChildPod implements AutoCloseable {

    private final List<String> command = new ArrayList<>();
    private final Path log;
    private final String host;
    private final int port;
    /** What the pods log once their binary port listens, naming it. */
    private final Pattern listeningLine;
    private Process process;

    /**
     * @param jvmOptions such as {@code -Xmx64m} or {@code -Djdk.net.hosts.file=...}
     * @param host where it listens once started, with {@code port}
     */
    ChildPod(Class<?> main, Path conf, Path log, List<String> jvmOptions, String host, int port) {
        this.log = log;
        this.host = host;
        this.port = port;
        this.listeningLine = Pattern.compile("listening on " + Pattern.quote(host + ":" + port) + "\\D");
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), "--conf", conf.toString()));
    }

    void start() throws Exception {
        long before = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            eventually(() -> listening(before), yes -> yes, Duration.ofSeconds(60), "it to listen on " + host + ":" + port);
        } catch (AssertionError notListening) {
            throw new IllegalStateException(notListening.getMessage() + "; its log:\n" + log(), notListening);
        }
    }

    /**
     * Whether this start has logged that it listens; fails at once once the process has exited. Its log, not
     * a connection: the port answering could be another program's, taken while this one started.
     */
    private boolean listening(long logBefore) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + log());
        }
        String text = log();
        return listeningLine.matcher(text.substring((int) Math.min(logBefore, text.length()))).find();
    }

    /** SIGKILL: no shutdown hook, no flush, as a crashed machine or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
