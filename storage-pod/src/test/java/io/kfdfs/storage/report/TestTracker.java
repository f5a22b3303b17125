package io.kfdfs.storage.report;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.NameResolver;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.storage.StorageFixture;
import io.kfdfs.tracker.TrackerServer;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real kfdfs tracker over a temporary base path, restartable on the same ports: on 127.0.0.1, or at
 * an address and port of its own, as one of several tracker pods behind one name.
 */
public final class TestTracker implements AutoCloseable {

    public final String host;
    public final int port;
    private final TrackerConfig config;
    private final StorageIds ids;
    private final NameResolver dns;
    private final Vertx vertx = Vertx.vertx();
    private TrackerServer server;
    /** -1 without HTTP; 0 until the first start picked a free port. */
    private int httpPort;

    /** @param storageIds storage_ids.conf text, or null for IP mode */
    public TestTracker(Path base, String storageIds) throws Exception {
        this(base, storageIds, false);
    }

    /** @param http also serve the tracker's HTTP port (dashboard, health, metrics) */
    public TestTracker(Path base, String storageIds, boolean http) throws Exception {
        this(base, "127.0.0.1", Ports.free(), storageIds, NameResolver.JDK, http);
    }

    /**
     * @param storageIds storage_ids.conf text, written beside tracker.conf (see {@link #storageIds(String)})
     * @param dns resolves the host names of storage_ids.conf
     */
    public TestTracker(Path base, String host, int port, String storageIds, NameResolver dns) throws Exception {
        this(base, host, port, storageIds, dns, false);
    }

    private TestTracker(Path base, String host, int port, String storageIds, NameResolver dns, boolean http)
            throws Exception {
        this.httpPort = http ? 0 : -1;
        this.host = host;
        this.port = port;
        this.dns = dns;
        Files.createDirectories(base);
        Path file = base.resolve("tracker.conf");
        String text = "base_path = " + base + "\nbind_addr = " + host + "\nport = " + port
                + "\nnetwork_timeout = 2\nreserved_storage_space = 1%\n"
                + (storageIds != null ? "use_storage_id = true\nid_type_in_filename = id\n" : "");
        Files.writeString(file, text);
        this.config = TrackerConfig.from(ConfFile.parse(file, text));
        this.ids = storageIds == null ? null : StorageIds.parse("storage_ids.conf", storageIds);
        if (storageIds != null) {
            storageIds(storageIds);
        }
        start();
    }

    public void start() throws Exception {
        server = TrackerServer.deploy(vertx, new TrackerServer(config, ids, () -> System.currentTimeMillis() / 1000,
                httpPort, dns)).await(20, TimeUnit.SECONDS);
        httpPort = server.httpPort();
    }

    /** Replaces storage_ids.conf at once, as a ConfigMap update does; the tracker reads it within seconds. */
    public void storageIds(String text) throws IOException {
        Path tmp = config.storageIdsPath().resolveSibling("storage_ids.conf.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, config.storageIdsPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public int httpPort() {
        return httpPort;
    }

    public void stop() throws Exception {
        vertx.undeploy(server.deploymentID()).await(20, TimeUnit.SECONDS);
    }

    /** The tracker's record of a storage (LIST_STORAGE, 92), if it knows it. */
    Optional<StorageStat> storage(String idOrIp) throws IOException {
        try (TestClient c = new TestClient(host, port)) {
            TestClient.Reply r = c.call(Cmd.SERVER_LIST_STORAGE, new GroupName("group1"));
            if (r.status() != 0) {
                return Optional.empty();
            }
            List<StorageStat> all = StorageStats.decode(ByteBuffer.wrap(r.body())).storages();
            return all.stream().filter(s -> s.id().equals(idOrIp) || s.ip().equals(idOrIp)).findFirst();
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stopping the tracker", e);
        }
    }
}
