package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The tracker's dashboard as a browser shows it: a tracker on 127.0.0.1 and a storage that joins and beats
 * over the wire (a {@link FakeStorage}: the page is the tracker's, whatever runs behind the storage's port),
 * its beat counting a few uploads, then Debian's headless chromium loads the page, runs its script and dumps
 * the DOM. The screenshot stays in {@code target/dashboard.png}. Without chromium the test is skipped on a
 * developer machine and fails on CI ({@code CI} set).
 */
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheGroupItsStorageAndItsState() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                fail(CHROMIUM + " is missing: .ci/run installs the chromium package");
            }
            Assumptions.abort(CHROMIUM + " is not installed (apt-get install chromium); CI runs this test");
        }
        int storagePort = 23000;
        try (TrackerFixture tracker = TrackerFixture.at(dir).storageIds("100001 group1 127.0.0.1:" + storagePort + "\n")
                .http().start();
             FakeStorage storage = new FakeStorage(tracker.port(), "group1", "100001", storagePort)) {
            storage.startAlone(1000, 500);
            StatBlock threeUploads = StatBlock.ZERO.with(Counter.TOTAL_UPLOAD_COUNT, 3).with(Counter.SUCCESS_UPLOAD_COUNT, 3);
            assertEquals(Status.OK, storage.call(Cmd.STORAGE_BEAT, threeUploads).status());
            String url = "http://127.0.0.1:" + tracker.httpPort() + "/";
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest api = HttpRequest.newBuilder(URI.create(url + "api/cluster")).build();
            eventually(() -> http.send(api, HttpResponse.BodyHandlers.ofString()).body(), DashboardBrowserTest::storageShown,
                    "the tracker to show the storage ACTIVE with 3 uploads");

            String dom = chromium("--dump-dom", url);
            assertTrue(dom.contains("data-group=\"group1\""), "the group's section\n" + dom);
            assertTrue(dom.contains("<h2>group1<"), dom);
            assertTrue(dom.contains("data-id=\"100001\""), "the storage's row\n" + dom);
            assertEquals("ACTIVE", first(dom, "<span class=\"badge state-([A-Z_]+)\">"), dom);
            assertTrue(dom.contains("<td>127.0.0.1:" + storagePort + "</td>"), dom);
            assertTrue(dom.contains("<div class=\"ops\">3 / 3</div>"), "three uploads\n" + dom);
            assertTrue(dom.contains("LEADER"), "the tracker leads\n" + dom);
            assertTrue(dom.contains("updated "), "the script fetched the API\n" + dom);

            Path png = Path.of("target", "dashboard.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium("--screenshot=" + png, "--window-size=1280,800", url);
            assertTrue(Files.size(png) > 10_000, "a screenshot of the rendered page at " + png);
        }
    }

    /** The tracker reports the storage ACTIVE, with the three uploads counted from its beats, and leads. */
    private static boolean storageShown(String json) {
        JsonObject c = new JsonObject(json);
        if (c.getJsonArray("groups").isEmpty() || c.getString("leader") == null) {
            return false;
        }
        JsonObject s = c.getJsonArray("groups").getJsonObject(0).getJsonArray("storages").getJsonObject(0);
        return s.getString("status").equals("ACTIVE") && s.getJsonObject("counters").getLong("success_upload_count") == 3
                && s.getLong("totalMb") > 0;
    }

    /** Runs headless chromium with a fresh profile; returns what it printed on stdout. */
    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Path err = Files.createTempFile(dir, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("chromium did not finish within 90 s: " + Files.readString(err));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(err));
        return Files.readString(out);
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not in\n" + text);
        return m.group(1);
    }
}
