package io.kfdfs.storage;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.StorageConfig;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.storage.http.GatewayConfig;
import io.kfdfs.storage.store.DiskSpace;
import io.vertx.core.Vertx;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.kfdfs.protocol.testing.Eventually.eventually;

/**
 * A storage server on 127.0.0.1 over a temporary base path, on a Vert.x of its own: running once made,
 * stopped and started again on the same data and port by a test.
 */
public final class StorageFixture implements AutoCloseable {

    /** storage.conf lines for a storage that beats and reports every second: tests wait seconds, not half minutes. */
    public static final String FAST = "heart_beat_interval = 1\nstat_report_interval = 1\n";

    public final Path base;
    public final Vertx vertx;
    public final int port;
    private final String extraConf;
    private final DiskSpace disk;
    private final NameResolver dns;
    public StorageServer server;

    /**
     * A storage on a free port, on the real disk.
     *
     * @param extraConf extra storage.conf lines
     */
    public StorageFixture(Path base, String extraConf) throws Exception {
        this(at(base).conf(extraConf));
    }

    private StorageFixture(Builder b) throws Exception {
        this.base = b.base;
        this.extraConf = b.conf;
        this.disk = b.disk;
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.dns = b.dns;
        this.vertx = Vertx.vertx();
        start();
    }

    /** A storage at {@code base} with what the builder adds to the defaults of the constructor. */
    public static Builder at(Path base) {
        return new Builder(base);
    }

    public static final class Builder {
        private final Path base;
        private String conf = "";
        private int port;
        private DiskSpace disk = DiskSpace.SYSTEM;
        private NameResolver dns = NameResolver.JDK;

        private Builder(Path base) {
            this.base = base;
        }

        /** Extra storage.conf lines. */
        public Builder conf(String lines) {
            this.conf = lines;
            return this;
        }

        /** A port chosen beforehand (one storage_ids.conf names) instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The disk's size and free space as the storage sees them, for tests of full disks. */
        public Builder disk(DiskSpace disk) {
            this.disk = disk;
            return this;
        }

        /** Resolves the storage's names (tracker_server, storage IDs), as cluster DNS would. */
        public Builder dns(NameResolver dns) {
            this.dns = dns;
            return this;
        }

        public StorageFixture start() throws Exception {
            return new StorageFixture(this);
        }
    }

    /**
     * The storage.conf text the fixture uses: a small directory tree, one store path, and a tracker that
     * refuses connections unless {@code extra} names real ones.
     */
    static String conf(Path base, int port, String extra) {
        return "group_name = group1\nbind_addr = 127.0.0.1\nport = " + port + "\nbase_path = " + base
                + "\nsubdir_count_per_path = 4\nnetwork_timeout = 5\n"
                + (extra.contains("tracker_server") ? "" : "tracker_server = 127.0.0.1:1\n") + extra + "\n";
    }


    public void start() throws Exception {
        Files.createDirectories(base);
        Path file = base.resolve("storage.conf");
        Files.writeString(file, conf(base, port, extraConf));
        StorageConfig conf = StorageConfig.from(ConfFile.load(file));
        server = StorageServer.start(vertx, conf, disk, dns).await(30, TimeUnit.SECONDS);
    }

    /** Serves the storage's HTTP port (files, health, metrics) on a free port; returns it. */
    public int startHttp() throws Exception {
        return server.startHttp(GatewayConfig.defaults(), 0).await(10, TimeUnit.SECONDS);
    }

    public void stop() throws Exception {
        server.close().await(30, TimeUnit.SECONDS);
    }

    public TestClient client() throws IOException {
        return new TestClient(server.port());
    }

    /** The data file of a remote filename in store path 0. */
    Path file(String remote) {
        return base.resolve("data").resolve(remote.substring(4));
    }

    String binlog() throws IOException {
        return Files.readString(base.resolve("data/sync/binlog.000"));
    }

    /** Temporary upload files in the store path's data directory and its HH/HH directories. */
    long tempFiles() throws IOException {
        File data = base.resolve("data").toFile();
        long n = temps(data);
        File[] tops = data.listFiles(f -> f.getName().matches("[0-9A-F]{2}"));
        for (File top : tops == null ? new File[0] : tops) {
            File[] subs = top.listFiles(File::isDirectory);
            for (File sub : subs == null ? new File[0] : subs) {
                n += temps(sub);
            }
        }
        return n;
    }

    /** Until no descriptor of this process (where the storage runs) is open on {@code file}: 5 s at most. */
    public static void awaitClosed(Path file) throws Exception {
        eventually(() -> openDescriptorsOf(file), n -> n == 0, Duration.ofSeconds(5), "no descriptor open on " + file);
    }

    private static long openDescriptorsOf(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false; // closed since it was listed
                }
            }).count();
        }
    }

    /** Listing only: temporary files may vanish meanwhile. */
    private static long temps(File dir) {
        String[] names = dir.list((d, name) -> name.startsWith(".kfdfs-"));
        return names == null ? 0 : names.length;
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
