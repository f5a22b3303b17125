package io.kfdfs.storage;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                new Socket(host, port).close();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not listening on " + host + ":" + port + " within 60 s:\n" + log());
                }
                Thread.sleep(100);
            }
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
