package io.kfdfs.storage;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link StorageMain} in a child JVM on 127.0.0.1, for tests that limit its memory or kill it with SIGKILL:
 * running once made, as a {@link StorageFixture} is, and started again on the same data and port.
 */
final class ChildStorage implements AutoCloseable {

    final Path base;
    final int port;
    private final ChildPod pod;

    ChildStorage(Path base, String extraConf, String maxHeap) throws Exception {
        this(base, Ports.free(), extraConf, maxHeap);
    }

    ChildStorage(Path base, int port, String extraConf, String maxHeap) throws Exception {
        this.base = base;
        this.port = port;
        Files.createDirectories(base);
        Path conf = base.resolve("storage.conf");
        Files.writeString(conf, StorageFixture.conf(base, port, extraConf));
        this.pod = new ChildPod(StorageMain.class, conf, base.resolve("storage.log"), List.of("-Xmx" + maxHeap),
                "127.0.0.1", port);
        try {
            pod.start();
        } catch (Exception notStarted) {
            pod.close(); // no caller holds it yet to close it
            throw notStarted;
        }
    }

    void start() throws Exception {
        pod.start();
    }

    /** SIGKILL: no shutdown hook, no flush, as a crashed machine or an OOM kill. */
    void kill() throws InterruptedException {
        pod.kill();
    }

    String log() throws IOException {
        return pod.log();
    }

    TestClient client() throws IOException {
        return new TestClient(port);
    }

    @Override
    public void close() {
        pod.close();
    }
}
