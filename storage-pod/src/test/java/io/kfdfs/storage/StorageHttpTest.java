package io.kfdfs.storage;

import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.storage.stats.StatFile;
import io.kfdfs.storage.store.DiskSpace;
import io.kfdfs.tracker.TrackerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static io.kfdfs.pod.http.Prometheus.find;
import static io.kfdfs.pod.http.Prometheus.value;
import static io.kfdfs.pod.http.Prometheus.valueOrNaN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage's HTTP port over 127.0.0.1: readiness as the trackers see the storage, files uploaded over
 * the binary protocol served by the gateway (also from the group member that holds them), and the
 * metrics after a known workload.
 */
class StorageHttpTest {


    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<byte[]> request(int port, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(int port, String path) throws Exception {
        return request(port, "GET", path);
    }

    String text(int port, String path) throws Exception {
        return new String(get(port, path).body(), StandardCharsets.UTF_8);
    }

    @Test
    void readyOnlyWhileJoinedAndActiveOnATracker() throws Exception {
        try (TrackerFixture tracker = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 1%\n", null)) {
            tracker.stop();
            try (StorageFixture storage = new StorageFixture(dir.resolve("storage"),
                    StorageFixture.FAST + "tracker_server = 127.0.0.1:" + tracker.port())) {
                int port = storage.startHttp();
                assertEquals("ok\n", text(port, "/healthz"));
                HttpResponse<byte[]> r = get(port, "/readyz");
                assertEquals(503, r.statusCode());
                assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("not joined to any tracker"));

                tracker.start();
                eventually(() -> get(port, "/readyz").statusCode(), c -> c == 200, "ready after joining");

                tracker.stop();
                String why = eventually(() -> text(port, "/readyz"), t -> t.contains("not joined"), "not ready once the tracker is gone");
                assertTrue(why.startsWith("not ready"), why);
            }
        }
    }

    @Test
    void servesFilesUploadedOverTheBinaryProtocol() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            int port = storage.startHttp();
            byte[] content = new byte[70_000];
            new Random(7).nextBytes(content);
            String name;
            try (TestClient c = storage.client()) {
                name = c.upload(content, "bin");
            }
            HttpResponse<byte[]> r = get(port, "/group1/" + name);
            assertEquals(200, r.statusCode());
            assertArrayEquals(content, r.body());
            assertEquals("application/octet-stream", r.headers().firstValue("content-type").orElse(""));

            HttpResponse<byte[]> head = request(port, "HEAD", "/group1/" + name);
            assertEquals(200, head.statusCode());
            assertEquals(String.valueOf(content.length), head.headers().firstValue("content-length").orElse(""));
            assertEquals(0, head.body().length);

            String missing = name.substring(0, name.length() - 8) + "0000.bin";
            assertEquals(404, get(port, "/group1/" + missing).statusCode(), "no such file, and no other member to ask");
            assertEquals(400, get(port, "/group1/M00/../../etc/passwd").statusCode());
            assertEquals(200, get(port, "/healthz").statusCode(), "the built-in routes come before the gateway");
        }
    }

    @Test
    void metricsCountTheWorkDone() throws Exception {
        DiskSpace disk = path -> new DiskSpace.Usage(100_000, 60_000);
        try (StorageFixture storage = StorageFixture.at(dir).disk(disk).start()) {
            int port = storage.startHttp();
            long received = 0;
            long sent = 0;
            List<String> names = new ArrayList<>();
            try (TestClient c = storage.client()) {
                for (int i = 0; i < 5; i++) {
                    byte[] content = new byte[1000 * (i + 1)];
                    names.add(c.upload(content, "dat"));
                    received += Header.SIZE + UploadFileRequest.FIXED_SIZE + content.length;
                    sent += Header.SIZE + new GroupFile("group1", names.get(i)).size();
                }
                for (int i = 0; i < 4; i++) {
                    assertEquals(1000 * (i + 1), c.download(names.get(i)).length);
                    received += Header.SIZE + new DownloadRequest(0, 0, "group1", names.get(i)).size();
                    sent += Header.SIZE + 1000 * (i + 1);
                }
                for (int i = 0; i < 2; i++) {
                    assertEquals(0, c.delete(names.get(i)).status());
                    received += Header.SIZE + new GroupFile("group1", names.get(i)).size();
                    sent += Header.SIZE;
                }
                assertEquals(2, c.download(names.get(0), 0, 0).status(), "ENOENT");
                received += Header.SIZE + new DownloadRequest(0, 0, "group1", names.get(0)).size();
                assertEquals(2, c.delete(names.get(1)).status(), "ENOENT");
                received += Header.SIZE + new GroupFile("group1", names.get(1)).size();
                sent += 2 * Header.SIZE;
            }
            String text = eventually(() -> text(port, "/metrics"), m -> valueOrNaN(m, "kfdfs_connections_open") == 0,
                    "the connection counted as closed");
            assertEquals(5.0, value(text, "kfdfs_requests_total", "cmd", "UPLOAD_FILE", "status", "OK", "role", "storage"));
            assertEquals(4.0, value(text, "kfdfs_requests_total", "cmd", "DOWNLOAD_FILE", "status", "OK"));
            assertEquals(1.0, value(text, "kfdfs_requests_total", "cmd", "DOWNLOAD_FILE", "status", "ENOENT"));
            assertEquals(2.0, value(text, "kfdfs_requests_total", "cmd", "DELETE_FILE", "status", "OK"));
            assertEquals(1.0, value(text, "kfdfs_requests_total", "cmd", "DELETE_FILE", "status", "ENOENT"));
            assertEquals(5.0, value(text, "kfdfs_request_duration_seconds_count", "cmd", "UPLOAD_FILE"));
            assertEquals(5.0, value(text, "kfdfs_request_duration_seconds_bucket", "cmd", "UPLOAD_FILE", "le", "+Inf"));
            assertEquals(received, value(text, "kfdfs_network_received_bytes_total"));
            assertEquals(sent, value(text, "kfdfs_network_sent_bytes_total"));
            assertEquals(3.0, value(text, "kfdfs_store_path_files", "store_path", "M00"));
            assertEquals(100_000.0 * (1 << 20), value(text, "kfdfs_store_path_total_bytes", "store_path", "M00"));
            assertEquals(60_000.0 * (1 << 20), value(text, "kfdfs_store_path_free_bytes", "store_path", "M00"));

            storage.stop();
            storage.start();
            int again = storage.startHttp();
            assertEquals(3.0, value(text(again, "/metrics"), "kfdfs_store_path_files", "store_path", "M00"),
                    "kept in the stat file across a restart");
            assertTrue(find(text(again, "/metrics"), "kfdfs_requests_total", Map.of("cmd", "DELETE_FILE")).isEmpty(),
                    "request counters start again with the process, as Prometheus expects");

            storage.stop();
            Path stat = dir.resolve("data").resolve(StatFile.NAME);
            Files.writeString(stat, Files.readString(stat).replaceAll("store_path0_file_count=.*\n", ""));
            storage.start();
            assertEquals(3.0, value(text(storage.startHttp(), "/metrics"), "kfdfs_store_path_files", "store_path", "M00"),
                    "counted once when the stat file has no count");
        }
    }

    @Test
    void aFileOnlyOnItsSourceIsServedThroughAnotherMember() throws Exception {
        try (Members group = new Members(dir)) {
            StorageFixture a = group.a;
            StorageFixture b = group.b;
            int httpB = b.startHttp();
            eventually(() -> b.server.reporter().group().size(), n -> n == 2, "b to learn its group's members");
            byte[] content = "written on a, never uploaded, so never replicated".getBytes(StandardCharsets.UTF_8);
            String name = placeOn(a, 100001, content);
            String ofB = placeOn(null, 100002, content);
            String unknownSource = placeOn(null, 100003, content);
            String aLacks = placeOn(null, 100001, content);

            HttpResponse<byte[]> r = get(httpB, "/group1/" + name);
            assertEquals(200, r.statusCode());
            assertArrayEquals(content, r.body());
            assertFalse(Files.exists(b.file(name)), "streamed from a, not stored on b");
            assertEquals(206, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpB + "/group1/" + name))
                    .header("Range", "bytes=0-6").build(), HttpResponse.BodyHandlers.ofString()).statusCode());

            assertEquals(404, get(httpB, "/group1/" + ofB).statusCode(), "b is the source itself");
            assertEquals(404, get(httpB, "/group1/" + unknownSource).statusCode(), "no such member");
            assertEquals(404, get(httpB, "/group1/" + aLacks).statusCode(), "the source has no such file");
        }
    }

    @Test
    void syncLagPerPeerAndReplicatedFilesCounted() throws Exception {
        try (Members group = new Members(dir)) {
            StorageFixture a = group.a;
            StorageFixture b = group.b;
            int httpA = a.startHttp();
            eventually(() -> text(httpA, "/metrics"), m -> find(m, "kfdfs_sync_lag_records", Map.of("peer", "100002"))
                    .isPresent(), "a's sync to b");
            b.stop();
            try (TestClient c = a.client()) {
                for (int i = 0; i < 3; i++) {
                    c.upload(("kept for b " + i).getBytes(StandardCharsets.UTF_8), "txt");
                }
            }
            String lagging = eventually(() -> text(httpA, "/metrics"),
                    m -> valueOrNaN(m, "kfdfs_sync_lag_records", "peer", "100002") == 3, "three records b has not received");
            assertTrue(value(lagging, "kfdfs_sync_lag_seconds", "peer", "100002") >= 0);

            b.start();
            int httpB = b.startHttp();
            // Each gauge reads the binlog on its own: one scrape can show the age from before b's
            // acknowledgement and the count from after it, so both are awaited in the same scrape.
            eventually(() -> text(httpA, "/metrics"),
                    m -> valueOrNaN(m, "kfdfs_sync_lag_records", "peer", "100002") == 0
                            && valueOrNaN(m, "kfdfs_sync_lag_seconds", "peer", "100002") == 0, "b to catch up");
            eventually(() -> valueOrNaN(text(httpB, "/metrics"), "kfdfs_store_path_files", "store_path", "M00"), n -> n == 3,
                    "b to count the files it received");
        }
    }

    /** A tracker with storage IDs and two members of group1, a (100001) and b (100002), beating every second. */
    static final class Members implements AutoCloseable {
        final TrackerFixture tracker;
        final StorageFixture a;
        final StorageFixture b;

        Members(Path dir) throws Exception {
            int portA = Ports.free();
            int portB = Ports.free();
            tracker = new TrackerFixture(dir.resolve("tracker"), "reserved_storage_space = 1%\n",
                    "100001 group1 127.0.0.1:" + portA + "\n100002 group1 127.0.0.1:" + portB + "\n");
            String conf = StorageFixture.FAST + "tracker_server = 127.0.0.1:" + tracker.port();
            a = StorageFixture.at(dir.resolve("a")).conf(conf).port(portA).start();
            b = StorageFixture.at(dir.resolve("b")).conf(conf).port(portB).start();
        }

        @Override
        public void close() throws Exception {
            b.close();
            a.close();
            tracker.close();
        }
    }

    /**
     * A name whose source is storage {@code serverId}, created now; the content is written straight into
     * {@code storage}'s store path (no binlog record) when it is given.
     */
    static String placeOn(StorageFixture storage, int serverId, byte[] content) throws Exception {
        CRC32 crc = new CRC32();
        crc.update(content);
        FileName.Block block = new FileName.Block(FileName.sourceOfServerId(serverId), System.currentTimeMillis() / 1000,
                FileName.sizeField(content.length, false, 0), (int) crc.getValue());
        String name = FileName.remoteFilename(0, 0, 0, block, FileName.extensionTail("txt", new Random()));
        if (storage != null) {
            Files.write(storage.file(name), content);
        }
        return name;
    }
}
