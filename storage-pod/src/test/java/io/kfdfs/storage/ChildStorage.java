package io.kfdfs.storage;

import io.kfdfs.protocol.testing.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link StorageMain} in a child JVM, for tests that limit its memory or kill it with SIGKILL. */
final class ChildStorage implements AutoCloseable {

    final Path base;
    final int port;
    private final Path conf;
    private final String maxHeap;
    private Process process;

    ChildStorage(Path base, String extraConf, String maxHeap) throws IOException {
        this(base, Ports.free(), extraConf, maxHeap);
    }

    ChildStorage(Path base, int port, String extraConf, String maxHeap) throws IOException {
        this.base = base;
        this.port = port;
        this.maxHeap = maxHeap;
        Files.createDirectories(base);
        this.conf = base.resolve("storage.conf");
        Files.writeString(conf, StorageFixture.conf(base, port, extraConf));
    }

    void start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), StorageMain.class.getName(),
                "--conf", conf.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("storage.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("storage exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                new Socket("127.0.0.1", port).close();
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("storage did not listen within 60 s:\n" + log());
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
        return Files.readString(base.resolve("storage.log"));
    }

    TestClient client() throws IOException {
        return new TestClient(port);
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
