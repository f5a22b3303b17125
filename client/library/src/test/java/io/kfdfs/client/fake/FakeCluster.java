package io.kfdfs.client.fake;

import io.kfdfs.client.ClientSettings;
import io.kfdfs.client.FdfsClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.time.Duration;

/**
 * A fake tracker and one fake storage (group1, server ID 100001) on 127.0.0.1, for client tests. As a
 * JUnit extension ({@code @RegisterExtension}) it starts before and stops after each test.
 */
public final class FakeCluster implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    public static final String GROUP = "group1";
    public static final int SERVER_ID = 100001;

    public FakeStorage storage;
    public FakeServer storageServer;
    public FakeTracker tracker;
    public FakeServer trackerServer;
    private FdfsClient client;

    public static FakeCluster start() throws IOException {
        FakeCluster c = new FakeCluster();
        c.open();
        return c;
    }

    private void open() throws IOException {
        storage = new FakeStorage(GROUP, SERVER_ID);
        storageServer = FakeServer.start(storage);
        tracker = new FakeTracker(GROUP, storageServer.address());
        trackerServer = FakeServer.start(tracker);
    }

    /** Client settings for this cluster, with short timeouts so a failing test fails fast. */
    public ClientSettings.Builder settings() {
        return ClientSettings.builder()
                .tracker(trackerServer.address())
                .connectTimeout(Duration.ofSeconds(2))
                .networkTimeout(Duration.ofSeconds(5));
    }

    /** A client with {@link #settings()}, closed with the cluster. */
    public FdfsClient client() {
        if (client == null) {
            client = FdfsClient.create(settings().build());
        }
        return client;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        open();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }

    @Override
    public void close() throws IOException {
        if (client != null) {
            client.close();
        }
        trackerServer.close();
        storageServer.close();
    }
}
