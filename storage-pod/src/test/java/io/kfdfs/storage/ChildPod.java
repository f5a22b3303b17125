package io.kfdfs.storage;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * A pod's main class ({@code StorageMain}, {@code TrackerMain}) in a child JVM on this JVM's class path,
 * its output appended to a log file; started once it listens.
 */
final class ChildPod implements AutoCloseable {

    private final List<String> command = new ArrayList<>();
    private final Path log;
    private final String host;
    private final int port;
    private Process process;

    /**
     * @param jvmOptions such as {@code -Xmx64m} or {@code -Djdk.net.hosts.file=...}
     * @param host where it listens once started, with {@code port}
     */
    ChildPod(Class<?> main, Path conf, Path log, List<String> jvmOptions, String host, int port) {
        this.log = log;
        this.host = host;
        this.port = port;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), "--conf", conf.toString()));
    }

    void start() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            eventually(this::listening, yes -> yes, Duration.ofSeconds(60), "it to listen on " + host + ":" + port);
        } catch (AssertionError notListening) {
            throw new IllegalStateException(notListening.getMessage() + "; its log:\n" + log(), notListening);
        }
    }

    /** Whether it listens yet; fails at once once the process has exited. */
    private boolean listening() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + log());
        }
        try {
            new Socket(host, port).close();
            return true;
        } catch (IOException notYet) {
            return false;
        }
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
