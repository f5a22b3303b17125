package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.SyncReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static io.kfdfs.pod.http.Prometheus.value;
import static io.kfdfs.pod.http.Prometheus.valueOrNaN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker's HTTP port over 127.0.0.1: health, readiness, the dashboard page and its JSON, and the
 * metrics, with fake storages on the binary port and a clock the test moves.
 */
class TrackerHttpTest {

    static final String IDS = "100001 group1 127.0.0.1:23000\n100002 group1 127.0.0.1:23001\n";

    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(1_750_000_000L);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<AutoCloseable> open = new ArrayList<>();
    TrackerFixture tracker;

    @BeforeEach
    void start() throws Exception {
        tracker = TrackerFixture.at(dir).conf("reserved_storage_space = 10%\n").storageIds(IDS).clock(clock::get).http()
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        tracker.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tracker.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject cluster() throws Exception {
        HttpResponse<String> r = get("/api/cluster");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        return new JsonObject(r.body());
    }

    String metrics() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        return r.body();
    }

    FakeStorage storage(String id, int port) throws Exception {
        FakeStorage s = new FakeStorage(tracker.port(), "group1", id, port);
        open.add(s);
        return s;
    }

    static StatBlock stat(long uploads, long uploadBytes, long downloads, long downloadBytes, long lastSourceUpdate) {
        return StatBlock.ZERO.with(Counter.TOTAL_UPLOAD_COUNT, uploads).with(Counter.SUCCESS_UPLOAD_COUNT, uploads)
                .with(Counter.SUCCESS_UPLOAD_BYTES, uploadBytes)
                .with(Counter.TOTAL_DOWNLOAD_COUNT, downloads).with(Counter.SUCCESS_DOWNLOAD_COUNT, downloads)
                .with(Counter.SUCCESS_DOWNLOAD_BYTES, downloadBytes)
                .with(Counter.LAST_SOURCE_UPDATE, lastSourceUpdate);
    }

    void beat(FakeStorage s, StatBlock stat) throws Exception {
        assertEquals(Status.OK, s.call(Cmd.STORAGE_BEAT, stat).status());
    }

    @Test
    void healthReadinessPageAndEmptyCluster() throws Exception {
        assertEquals("ok\n", get("/healthz").body());
        assertEquals(200, get("/readyz").statusCode(), "ready once its state is loaded and the binary port listens");
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(""));
        assertTrue(page.body().contains("<title>kfdfs cluster</title>"));
        assertTrue(page.body().contains("fetch(\"/api/cluster\""), "the page reads the JSON API");
        assertTrue(!page.body().contains("src=\"http") && !page.body().contains("href=\"http"), "no external assets");
        assertEquals(404, get("/nothing/here").statusCode());

        JsonObject c = cluster();
        assertEquals("127.0.0.1:" + tracker.port(), c.getString("self"));
        assertEquals(TrackerServer.VERSION, c.getString("version"));
        assertEquals(clock.get(), c.getLong("time"));
        assertEquals(0, c.getJsonArray("groups").size());
        assertEquals(1, c.getJsonArray("trackers").size());
        assertNull(c.getString("leader"), "no leader before a storage named the trackers");
    }

    @Test
    void clusterJsonShowsGroupsMembersRatesAndSyncDelay() throws Exception {
        FakeStorage a = storage("100001", 23000).startKnown(StorageStatus.ACTIVE, 1000, 600);
        FakeStorage b = storage("100002", 23001).startKnown(StorageStatus.ACTIVE, 1000, 800);
        long t0 = clock.get();
        beat(a, stat(10, 1_000, 4, 400, t0 - 5));
        beat(b, stat(0, 0, 0, 0, 0));
        JsonObject c = eventually(this::cluster, j -> ("127.0.0.1:" + tracker.port()).equals(j.getString("leader")),
                "the tracker to lead");
        assertTrue(c.getJsonArray("trackers").getJsonObject(0).getBoolean("leader"));

        clock.addAndGet(10);
        beat(a, stat(60, 6_000, 24, 2_400, t0 + 8));
        assertEquals(Status.OK, b.call(Cmd.STORAGE_SYNC_REPORT,
                new SyncReport(List.of(new SyncReport.Entry("100001", (int) t0 + 2)))).status());

        c = cluster();
        JsonObject g = c.getJsonArray("groups").getJsonObject(0);
        assertEquals("group1", g.getString("name"));
        assertEquals(2, g.getInteger("storageCount"));
        assertEquals(2, g.getInteger("activeCount"));
        assertEquals(1000, g.getLong("totalMb"));
        assertEquals(600, g.getLong("freeMb"), "the group has the space of its fullest writable member");
        assertEquals(100, g.getLong("reservedMb"));
        JsonArray members = g.getJsonArray("storages");
        JsonObject sa = members.getJsonObject(0);
        JsonObject sb = members.getJsonObject(1);
        assertEquals("100001", sa.getString("id"));
        assertEquals("127.0.0.1", sa.getString("ip"));
        assertEquals(23000, sa.getInteger("port"));
        assertEquals("ACTIVE", sa.getString("status"));
        assertEquals(600, sa.getLong("freeMb"));
        assertEquals(60, sa.getJsonObject("counters").getLong("success_upload_count"));
        JsonObject rates = sa.getJsonObject("rates");
        assertEquals(5.0, rates.getDouble("uploadsPerSecond"), "50 uploads in the 10 s between two beats");
        assertEquals(500.0, rates.getDouble("uploadBytesPerSecond"));
        assertEquals(2.0, rates.getDouble("downloadsPerSecond"));
        assertEquals(200.0, rates.getDouble("downloadBytesPerSecond"));
        assertNull(sb.getJsonObject("rates"), "one beat of b: no rate yet");
        assertEquals(6L, sb.getLong("syncDelaySeconds"), "a's newest change is 6 s past what b has synced from it");
        assertNull(sa.getLong("syncDelaySeconds"), "b changed nothing");
    }

    @Test
    void metricsCountRequestsTrafficAndClusterState() throws Exception {
        try (TestClient c = new TestClient(tracker.port())) {
            assertEquals(Status.OK, c.call(Cmd.SERVER_LIST_ALL_GROUPS).status());
            assertEquals(Status.ENOENT, c.call(Cmd.SERVER_LIST_ONE_GROUP, new GroupName("nogroup")).status());
        }
        String text = eventually(this::metrics, m -> valueOrNaN(m, "kfdfs_connections_open") == 0, "the connection closed");
        assertEquals(1.0, value(text, "kfdfs_requests_total", "cmd", "SERVER_LIST_ALL_GROUPS", "status", "OK",
                "role", "tracker"));
        assertEquals(1.0, value(text, "kfdfs_requests_total", "cmd", "SERVER_LIST_ONE_GROUP", "status", "ENOENT"));
        assertEquals(1.0, value(text, "kfdfs_request_duration_seconds_count", "cmd", "SERVER_LIST_ONE_GROUP"));
        assertEquals(10 + 10 + 16, value(text, "kfdfs_network_received_bytes_total"));
        assertEquals(10 + 10, value(text, "kfdfs_network_sent_bytes_total"), "two header-only replies");
        assertEquals(0.0, value(text, "kfdfs_tracker_leader"));

        storage("100001", 23000).startKnown(StorageStatus.ACTIVE, 1000, 600);
        FakeStorage b = storage("100002", 23001);
        b.join(false, StorageStatus.ACTIVE);
        text = eventually(this::metrics, m -> valueOrNaN(m, "kfdfs_tracker_leader") == 1
                && valueOrNaN(m, "kfdfs_tracker_storages", "group", "group1", "state", "ONLINE") == 1, "the cluster gauges");
        assertEquals(1.0, value(text, "kfdfs_tracker_storages", "group", "group1", "state", "ACTIVE"));
        assertEquals(0.0, value(text, "kfdfs_tracker_storages", "group", "group1", "state", "OFFLINE"));
        assertEquals(1000.0 * (1 << 20), value(text, "kfdfs_tracker_group_total_bytes", "group", "group1"));
        assertEquals(600.0 * (1 << 20), value(text, "kfdfs_tracker_group_free_bytes", "group", "group1"));
        assertEquals(2.0, value(text, "kfdfs_requests_total", "cmd", "STORAGE_JOIN", "status", "OK"));
        assertEquals(2.0, value(text, "kfdfs_connections_open"));

        b.close();
        eventually(this::metrics, m -> valueOrNaN(m, "kfdfs_tracker_storages", "group", "group1", "state", "OFFLINE") == 1
                && valueOrNaN(m, "kfdfs_tracker_storages", "group", "group1", "state", "ONLINE") == 0, "b offline");
    }
}
