package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** PARAMETER_REQ (75): with the capture's tracker.conf, the reply is the C tracker's, byte for byte. */
class ParametersTest {

    @TempDir
    Path dir;

    /** A tracker.conf of the capture, minus where it listened and stored (the fixture sets those). */
    static String capturedConf(String name) throws IOException {
        return Files.readAllLines(Vectors.dir().resolve("conf").resolve(name)).stream()
                .filter(l -> !l.matches("\\s*(port|base_path|bind_addr|storage_ids_filename|use_storage_id)\\s*=.*"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void sameBytesAsTheCTracker() throws Exception {
        VectorFrame captured = Vectors.load("01_storage_tracker.jsonl").stream()
                .filter(f -> !f.request() && f.reqCmd() == Cmd.STORAGE_PARAMETER_REQ).findFirst().orElseThrow();
        try (TrackerFixture t = new TrackerFixture(dir, capturedConf("tracker.conf"), "100001 group1 127.0.0.1:23200\n");
             TestClient c = new TestClient(t.port())) {
            TestClient.Reply r = c.call(Cmd.STORAGE_PARAMETER_REQ);
            assertEquals(Status.OK, r.status());
            assertArrayEquals(captured.bodyBytes(), r.body(), new String(r.body()));
        }
    }
}
