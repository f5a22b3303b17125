package io.kfdfs.cli;

import io.kfdfs.protocol.testing.Ports;
import io.kfdfs.client.fake.FakeCluster;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code fdfs} command and its subcommands against a fake cluster. */
class FdfsCommandTest {

    @TempDir
    Path dir;
    @RegisterExtension
    final FakeCluster cluster = new FakeCluster();
    private String tracker;

    @BeforeEach
    void start() {
        tracker = "127.0.0.1:" + cluster.trackerServer.port();
    }

    private CliRun fdfs(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--tracker";
        all[1] = tracker;
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.run(all);
    }

    private String upload(String content, String... options) throws Exception {
        Path f = Files.writeString(dir.resolve("f" + System.nanoTime() + ".txt"), content);
        String[] args = new String[options.length + 2];
        args[0] = "upload";
        System.arraycopy(options, 0, args, 1, options.length);
        args[args.length - 1] = f.toString();
        CliRun run = fdfs(args);
        assertEquals(0, run.code(), run.toString());
        return run.out().trim();
    }

    @Test
    void uploadWithMetadataThenDownloadToStdout() throws Exception {
        String id = upload("hello", "--meta", "width=1024", "-m", "height=768");
        assertTrue(id.endsWith(".txt"), id);
        assertEquals(Map.of("height", "768", "width", "1024"), cluster.storage.metadata(id));
        CliRun down = fdfs("download", id, "-");
        assertEquals("hello", down.out());
        CliRun meta = fdfs("meta", "get", id);
        assertEquals("height=768\nwidth=1024\n", meta.out());
    }

    @Test
    void optionsMayFollowTheSubcommand() throws Exception {
        Path f = Files.writeString(dir.resolve("a.bin"), "x");
        CliRun run = CliRun.run("upload", "--tracker", tracker, "--ext", "dat", f.toString());
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().trim().endsWith(".dat"), run.out());
    }

    @Test
    void uploadFromStandardInput() {
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        CliRun run = CliRun.runWithInput(data, "--tracker", tracker, "upload", "--ext", "bin", "-");
        assertEquals(0, run.code(), run.toString());
        assertArrayEquals(data, cluster.storage.content(run.out().trim()));
    }

    @Test
    void aLargeTransferDrawsNoProgressBarWhenStderrIsNotATerminal() throws Exception {
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[(int) Progress.THRESHOLD + 1]);
        CliRun run = fdfs("upload", big.toString());
        assertEquals(0, run.code(), run.toString());
        assertEquals("", run.err());
        Path back = dir.resolve("back.bin");
        CliRun down = fdfs("download", run.out().trim(), back.toString());
        assertEquals("", down.err());
        assertEquals(Files.size(big), Files.size(back));
    }

    @Test
    void downloadARangeToAFile() throws Exception {
        String id = upload("0123456789");
        Path target = dir.resolve("part");
        assertEquals(0, fdfs("download", "--offset", "2", "--length", "4", id, target.toString()).code());
        assertEquals("2345", Files.readString(target));
    }

    @Test
    void aFailedDownloadDoesNotClobberTheTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("keep"), "precious");
        CliRun run = fdfs("download", "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoZ152.txt", target.toString());
        assertEquals(2, run.code());
        assertEquals("precious", Files.readString(target));
    }

    @Test
    void appenderLifecycle() throws Exception {
        Path f = Files.writeString(dir.resolve("app.txt"), "0123456789");
        String id = fdfs("upload-appender", f.toString()).out().trim();
        assertEquals(0, fdfs("truncate", id, "5").code());
        assertEquals(0, CliRun.runWithInput("abc".getBytes(StandardCharsets.US_ASCII), "--tracker", tracker, "append",
                id, "-").code());
        assertEquals(0, fdfs("modify", id, "1", f.toString()).code());
        assertEquals("00123456789", new String(cluster.storage.content(id), StandardCharsets.US_ASCII));
        CliRun info = fdfs("info", id);
        assertTrue(info.out().startsWith("GET FROM SERVER: true\n\nfile type: appender\n"), info.out());
        assertTrue(info.out().contains("\nfile size: 11\n"), info.out());
        String normal = fdfs("regenerate", id).out().trim();
        assertEquals("00123456789", new String(cluster.storage.content(normal), StandardCharsets.US_ASCII));
        CliRun again = fdfs("truncate", normal);
        assertEquals(22, again.code());
        assertTrue(again.err().startsWith("fdfs: " + normal + ": invalid argument (EINVAL)"), again.err());
    }

    @Test
    void metaSetOverwritesMergesAndDeletes() throws Exception {
        String id = upload("x");
        assertEquals(0, fdfs("meta", "set", id, "a=1", "b=2").code());
        assertEquals(0, fdfs("meta", "set", "--merge", id, "b=3", "c=4").code());
        assertEquals("a=1\nb=3\nc=4\n", fdfs("meta", "get", id).out());
        assertEquals(0, fdfs("meta", "set", id).code());
        CliRun none = fdfs("meta", "get", id);
        assertEquals(2, none.code());
    }

    @Test
    void deleteGoesOnPastAMissingFile() throws Exception {
        String a = upload("a");
        String b = upload("b");
        String missing = "group1/M00/00/00/oYYBAGsHMNSAYgHRAAAABTYQpoZ152.txt";
        CliRun run = fdfs("delete", a, missing, b);
        assertEquals(2, run.code());
        assertEquals(1, run.err().lines().count());
        assertTrue(run.err().startsWith("fdfs: " + missing + ": no such file or group (ENOENT)"), run.err());
        assertFalse(cluster.storage.exists(a));
        assertFalse(cluster.storage.exists(b));
    }

    @Test
    void monitorSummarisesGroupsAndStorages() throws Exception {
        VectorFrame groups = frame(1173);
        VectorFrame storages = frame(1175);
        cluster.tracker.groups(GroupStats.decode(groups.body()).groups())
                .storages(StorageStats.decode(storages.body()).storages());
        CliRun run = fdfs("monitor");
        assertEquals(0, run.code(), run.toString());
        String[] lines = run.out().split("\n");
        assertEquals(3, lines.length, run.out());
        assertEquals("group1: 2 storages (2 readable, 2 writable), space 252 GB total, 77 GB free, 50 GB reserved",
                lines[0]);
        assertTrue(lines[1].matches("  100001 +127\\.0\\.0\\.1:23200  ACTIVE +rw=both \\(normal\\)  free 77 GB of 252 GB"
                + "  version 6\\.16\\.1  heartbeat 2026-11-25 19:04:09"), lines[1]);
        assertTrue(lines[2].startsWith("  100002   127.0.0.1:23201  ACTIVE"), lines[2]);
    }

    @Test
    void unreachableTrackerAndBadUsage() throws Exception {
        int down = Ports.free();
        CliRun refused = CliRun.run("--tracker", "127.0.0.1:" + down, "monitor");
        assertEquals(111, refused.code());
        assertTrue(refused.err().startsWith("fdfs: cannot connect to tracker 127.0.0.1:" + down), refused.err());

        CliRun usage = fdfs("download");
        assertEquals(64, usage.code());
        assertTrue(usage.err().contains("Missing required parameter"), usage.err());
        assertEquals(64, fdfs("frobnicate").code());
    }

    private static VectorFrame frame(int index) {
        return Vectors.load("06_monitor.jsonl").stream().filter(f -> f.index() == index).findFirst().orElseThrow();
    }
}
