package io.kfdfs.storage;

import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.storage.store.DiskSpace;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A storage server on 127.0.0.1 over a temporary base path, started and stopped by a test. */
final class StorageFixture implements AutoCloseable {

    final Path base;
    final Vertx vertx;
    private final String extraConf;
    private final DiskSpace disk;
    StorageServer server;

    StorageFixture(Path base, String extraConf, DiskSpace disk) throws Exception {
        this.base = base;
        this.extraConf = extraConf;
        this.disk = disk;
        this.vertx = Vertx.vertx();
        start();
    }

    StorageFixture(Path base, String extraConf) throws Exception {
        this(base, extraConf, DiskSpace.SYSTEM);
    }

    /** The storage.conf text the fixture uses: small directory tree, one store path, a port free right now. */
    static String conf(Path base, int port, String extra) {
        return "group_name = group1\nbind_addr = 127.0.0.1\nport = " + port + "\nbase_path = " + base
                + "\nsubdir_count_per_path = 4\ntracker_server = 127.0.0.1:1\nnetwork_timeout = 5\n" + extra + "\n";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void start() throws Exception {
        Path file = base.resolve("storage.conf");
        Files.writeString(file, conf(base, freePort(), extraConf));
        StorageConfig conf = StorageConfig.from(ConfFile.load(file));
        server = StorageServer.start(vertx, conf, disk).await(30, TimeUnit.SECONDS);
    }

    void stop() throws Exception {
        server.close().await(30, TimeUnit.SECONDS);
    }

    TestClient client() throws IOException {
        return new TestClient(server.port());
    }

    /** The data file of a remote filename in store path 0. */
    Path file(String remote) {
        return base.resolve("data").resolve(remote.substring(4));
    }

    String binlog() throws IOException {
        return Files.readString(base.resolve("data/sync/binlog.000"));
    }

    /** Files whose name marks them as temporary uploads, anywhere under the base path. */
    long tempFiles() throws IOException {
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".kfdfs-")).count();
        }
    }

    @Override
    public void close() {
        try {
            stop();
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stopping the storage", e);
        }
    }
}
