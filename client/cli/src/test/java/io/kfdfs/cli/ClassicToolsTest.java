package io.kfdfs.cli;

import io.kfdfs.client.fake.FakeCluster;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classic tools: C argument order and output, non-zero exits with one-line errors. */
class ClassicToolsTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeCluster cluster = new FakeCluster();
    private String conf;
    private Path hello;

    @BeforeEach
    void start() throws Exception {
        conf = Files.writeString(dir.resolve("client.conf"),
                "tracker_server = 127.0.0.1:" + cluster.trackerServer.port() + "\n").toString();
        hello = Files.writeString(dir.resolve("hello.txt"), "hello");
    }

    @Test
    void uploadPrintsTheFileIdAndSendsWhatTheCToolSent() {
        CliRun run = CliRun.run("fdfs_upload_file", conf, hello.toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().matches("group1/M00/00/00/[A-Za-z0-9_-]{27}\\d{3}\\.txt\n"), run.out());
        assertEquals("", run.err());
        String captured = HexFormat.of().formatHex(Vectors.load("02_upload.jsonl").stream()
                .filter(f -> f.index() == 227).findFirst().orElseThrow().bytes());
        assertEquals(captured, HexFormat.of().formatHex(cluster.storageServer.requests(Cmd.UPLOAD_FILE).get(0).frame()));
    }

    @Test
    void uploadToAnExplicitStorageSkipsTheTracker() {
        String storage = "127.0.0.1:" + cluster.storageServer.port();
        assertEquals(0, CliRun.run("fdfs_upload_file", conf, hello.toString(), storage).code());
        assertEquals(0, CliRun.run("fdfs_upload_file", conf, hello.toString(), storage, "0").code());
        assertEquals(0, cluster.trackerServer.requests().size());
        assertEquals(0xFF, cluster.storageServer.requests(Cmd.UPLOAD_FILE).get(0).body()[0] & 0xFF);
        assertEquals(0, cluster.storageServer.requests(Cmd.UPLOAD_FILE).get(1).body()[0]);
    }

    @Test
    void downloadWritesTheFileOrARange() throws Exception {
        String id = CliRun.run("fdfs_upload_file", conf, hello.toString()).out().trim();
        Path whole = dir.resolve("whole.out");
        assertEquals(0, CliRun.run("fdfs_download_file", conf, id, whole.toString()).code());
        assertEquals("hello", Files.readString(whole));
        Path part = dir.resolve("part.out");
        CliRun run = CliRun.run("fdfs_download_file", conf, id, part.toString(), "1", "3");
        assertEquals("", run.out());
        assertEquals("ell", Files.readString(part));
    }

    @Test
    void appenderToolsUploadAppendAndRegenerate() throws Exception {
        String id = CliRun.run("fdfs_upload_appender", conf, hello.toString()).out().trim();
        assertTrue(id.endsWith(".txt"), id);
        assertEquals(0, CliRun.run("fdfs_append_file", conf, id, hello.toString()).code());
        CliRun regenerated = CliRun.run("fdfs_regenerate_filename", conf, id);
        assertEquals(0, regenerated.code(), regenerated.toString());
        String normal = regenerated.out().trim();
        assertArrayEquals("hellohello".getBytes(StandardCharsets.US_ASCII), cluster.storage.content(normal));
        assertFalse(cluster.storage.exists(id));
    }

    @Test
    void errorsAreOneLineOnStderrWithTheErrnoAsExitCode() {
        String missing = "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoZ152.txt";
        CliRun run = CliRun.run("fdfs_delete_file", conf, missing);
        assertEquals(2, run.code());
        assertEquals("", run.out());
        assertEquals("fdfs_delete_file: " + missing + ": no such file or group (ENOENT) from 127.0.0.1:"
                + cluster.storageServer.port() + "\n", run.err());

        String normal = CliRun.run("fdfs_upload_file", conf, hello.toString()).out().trim();
        assertEquals(22, CliRun.run("fdfs_append_file", conf, normal, hello.toString()).code());
        assertEquals(22, CliRun.run("fdfs_download_file", conf, "group1-no-slash").code());
    }

    @Test
    void localAndConfigurationProblemsAreReportedToo() throws Exception {
        CliRun noFile = CliRun.run("fdfs_upload_file", conf, dir.resolve("nope.bin").toString());
        assertEquals(1, noFile.code());
        assertTrue(noFile.err().startsWith("fdfs_upload_file: "), noFile.err());
        assertTrue(noFile.err().contains("nope.bin: no such file"), noFile.err());

        String badConf = Files.writeString(dir.resolve("bad.conf"), "connect_timeout = 5\n").toString();
        CliRun noTracker = CliRun.run("fdfs_monitor", badConf);
        assertEquals(1, noTracker.code());
        assertTrue(noTracker.err().contains("tracker_server"), noTracker.err());
    }

    @Test
    void tooFewArgumentsPrintTheUsage() {
        CliRun run = CliRun.run("fdfs_download_file", conf);
        assertEquals(64, run.code());
        assertEquals("Usage: fdfs_download_file <config_file> <file_id> [local_filename] "
                + "[<download_offset> <download_bytes>]\n", run.err());
    }

    @Test
    void monitorOfAnUnknownGroupPrintsOnlyTheHeader() {
        CliRun run = CliRun.run("fdfs_monitor", conf, "list", "nogroup");
        assertEquals(0, run.code(), run.toString());
        assertEquals("tracker server count=1, current server index=0\n\ntracker server is 127.0.0.1:"
                + cluster.trackerServer.port() + "\n\n", run.out());
        CliRun other = CliRun.run("fdfs_monitor", conf, "delete", "group1");
        assertEquals(64, other.code());
    }
}
