package io.kfdfs.tracker;

import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The real kfdfs tracker over a temporary base path, on a Vert.x of its own, restartable on the same data
 * and port: on 127.0.0.1 and a free port, or at an address and port of its own (one of several tracker
 * pods behind one name). The tracker tests' fixture, and the storage's and the CLI's tracker.
 */
public final class TrackerFixture implements AutoCloseable {

    private final Path base;
    private final TrackerConfig config;
    private final StorageIds ids;
    private final LongSupplier clock;
    private final NameResolver dns;
    private final Vertx vertx = Vertx.vertx();
    private TrackerServer server;
    /** -1 without HTTP; 0 until the first start picked a free port, which a restart keeps. */
    private int httpPort;

    /**
     * A tracker on 127.0.0.1 and a free port, without HTTP.
     *
     * @param conf extra tracker.conf lines
     * @param storageIds storage_ids.conf text, or null for IP mode; written where tracker.conf says
     */
    public TrackerFixture(Path base, String conf, String storageIds) throws Exception {
        this(at(base).conf(conf).storageIds(storageIds));
    }

    private TrackerFixture(Builder b) throws Exception {
        this.base = b.base;
        this.clock = b.clock;
        this.dns = b.dns;
        this.httpPort = b.http ? 0 : -1;
        Files.createDirectories(base);
        Path file = base.resolve("tracker.conf");
        String text = "base_path = " + base + "\nbind_addr = " + b.host + "\nport = "
                + (b.port == 0 ? Ports.free() : b.port) + "\nnetwork_timeout = 2\n"
                + (b.storageIds != null ? "use_storage_id = true\nid_type_in_filename = id\n" : "") + b.conf;
        Files.writeString(file, text);
        this.config = TrackerConfig.from(ConfFile.parse(file, text));
        this.ids = b.storageIds == null ? null : StorageIds.parse("storage_ids.conf", b.storageIds);
        if (b.storageIds != null) {
            Files.writeString(config.storageIdsPath(), b.storageIds);
        }
        start();
    }

    /** A tracker at {@code base} with what the builder adds to the defaults of the constructor. */
    public static Builder at(Path base) {
        return new Builder(base);
    }

    public static final class Builder {
        private final Path base;
        private String host = "127.0.0.1";
        private int port;
        private String conf = "";
        private String storageIds;
        private NameResolver dns = NameResolver.JDK;
        private LongSupplier clock = () -> System.currentTimeMillis() / 1000;
        private boolean http;

        private Builder(Path base) {
            this.base = base;
        }

        /** Listens on {@code host} (127.0.0.0/8) and {@code port} instead of 127.0.0.1 and a free port. */
        public Builder listen(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** Extra tracker.conf lines. */
        public Builder conf(String lines) {
            this.conf = lines;
            return this;
        }

        /** storage_ids.conf text, written where tracker.conf says; null (the default) for IP mode. */
        public Builder storageIds(String text) {
            this.storageIds = text;
            return this;
        }

        /** Resolves the host names of storage_ids.conf, as cluster DNS would. */
        public Builder dns(NameResolver dns) {
            this.dns = dns;
            return this;
        }

        /** The tracker's clock, unix seconds, for a test that moves time itself. */
        public Builder clock(LongSupplier unixSeconds) {
            this.clock = unixSeconds;
            return this;
        }

        /** Also serves the tracker's HTTP port (dashboard, health, metrics) on a free port. */
        public Builder http() {
            this.http = true;
            return this;
        }

        public TrackerFixture start() throws Exception {
            return new TrackerFixture(this);
        }
    }

    public void start() throws Exception {
        server = TrackerServer.deploy(vertx, new TrackerServer(config, ids, clock, httpPort, dns))
                .await(20, TimeUnit.SECONDS);
        httpPort = server.httpPort();
    }

    public void stop() throws Exception {
        vertx.undeploy(server.deploymentID()).await(20, TimeUnit.SECONDS);
    }

    public void restart() throws Exception {
        stop();
        start();
    }

    public String host() {
        return config.bindAddr();
    }

    public int port() {
        return config.port();
    }

    /** -1 without HTTP. */
    public int httpPort() {
        return httpPort;
    }

    /** A file of the tracker's state, under {@code <base>/data}. */
    public Path data(String file) {
        return base.resolve("data").resolve(file);
    }

    /** Replaces storage_ids.conf at once, as a ConfigMap update does; the tracker reads it within seconds. */
    public void storageIds(String text) throws IOException {
        Path tmp = config.storageIdsPath().resolveSibling("storage_ids.conf.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, config.storageIdsPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The tracker's record of every storage of {@code group} (LIST_STORAGE, 92); none while it has no such group. */
    public List<StorageStat> storages(String group) throws IOException {
        try (TestClient c = new TestClient(host(), port())) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupName(group));
            return r.status() != 0 ? List.of() : StorageStats.decode(r.buffer()).storages();
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /**
     * The tracker's record of one storage (LIST_STORAGE asked by ID, which shows a deleted one too), if it
     * knows it. In IP mode a storage's ID is its address.
     */
    public Optional<StorageStat> storage(String group, String id) throws IOException {
        try (TestClient c = new TestClient(host(), port())) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupStorageFilter(group, id));
            return r.status() != 0 ? Optional.empty() : Optional.of(StorageStats.decode(r.buffer()).storages().get(0));
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    /** Closes its Vert.x: its ports and every connection to it close at once, as a killed process's would. */
    @Override
    public void close() throws Exception {
        vertx.close().await(20, TimeUnit.SECONDS);
    }
}
