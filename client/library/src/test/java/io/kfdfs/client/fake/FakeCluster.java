package io.kfdfs.client.fake;

import io.kfdfs.client.ClientSettings;

import java.io.IOException;
import java.time.Duration;

/** A fake tracker and one fake storage (group1, server ID 100001) on 127.0.0.1, for client tests. */
public final class FakeCluster implements AutoCloseable {

    public static final String GROUP = "group1";
    public static final int SERVER_ID = 100001;

    public final FakeStorage storage = new FakeStorage(GROUP, SERVER_ID);
    public final FakeServer storageServer;
    public final FakeTracker tracker;
    public final FakeServer trackerServer;

    private FakeCluster() throws IOException {
        storageServer = FakeServer.start(storage);
        tracker = new FakeTracker(GROUP, storageServer.address());
        trackerServer = FakeServer.start(tracker);
    }

    public static FakeCluster start() throws IOException {
        return new FakeCluster();
    }

    /** Client settings for this cluster, with short timeouts so a failing test fails fast. */
    public ClientSettings.Builder settings() {
        return ClientSettings.builder()
                .tracker(trackerServer.address())
                .connectTimeout(Duration.ofSeconds(2))
                .networkTimeout(Duration.ofSeconds(5));
    }

    @Override
    public void close() throws IOException {
        trackerServer.close();
        storageServer.close();
    }
}
