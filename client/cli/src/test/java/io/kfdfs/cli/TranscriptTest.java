package io.kfdfs.cli;

import io.kfdfs.client.fake.FakeServer;
import io.kfdfs.client.fake.FakeTracker;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fdfs_file_info} and {@code fdfs_monitor} print what the C 6.16.1 tools printed
 * (vectors/transcript.txt), given the replies the C servers sent for those runs.
 */
class TranscriptTest {

    /** One command of the transcript and what it printed. */
    record Block(String command, String output) {
        String[] argv() {
            return command.split(" ");
        }
    }

    static List<Block> transcript() throws Exception {
        List<Block> blocks = new ArrayList<>();
        String command = null;
        StringBuilder output = new StringBuilder();
        for (String line : Files.readAllLines(Vectors.dir().resolve("transcript.txt"))) {
            if (line.startsWith("$ ")) {
                command = line.substring(2);
                output.setLength(0);
            } else if (line.startsWith("[exit ") && command != null) {
                blocks.add(new Block(command, output.toString()));
                command = null;
            } else if (command != null) {
                output.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** The captured reply to each request of {@code cmd}, keyed by the request body and status. */
    private static Map<String, byte[]> replies(int cmd, String... files) {
        Map<String, byte[]> map = new HashMap<>();
        for (String file : files) {
            List<VectorFrame> frames = Vectors.load(file);
            for (int i = 0; i < frames.size(); i++) {
                VectorFrame req = frames.get(i);
                if (req.request() && req.cmd() == cmd) {
                    for (VectorFrame r : frames.subList(i + 1, frames.size())) {
                        if (!r.request() && r.conn() == req.conn()) {
                            map.put(key(req.status(), req.bodyBytes()), r.bytes());
                            break;
                        }
                    }
                }
            }
        }
        return map;
    }

    private static String key(int status, byte[] body) {
        return status + ":" + HexFormat.of().formatHex(body);
    }

    /** A client.conf of the transcript's kind for a tracker on {@code port}. */
    private static Path conf(Path dir, String kind, int port) throws Exception {
        Path ids = Files.writeString(dir.resolve("storage_ids.conf"),
                "100001 group1 127.0.0.1:23200\n100002 group1 127.0.0.1:23201\n");
        boolean withIds = kind.equals("conf/client.conf");
        return Files.writeString(dir.resolve(kind.replace("conf/", "")), "tracker_server = 127.0.0.1:" + port + "\n"
                + (withIds ? "use_storage_id = true\nstorage_ids_filename = " + ids + "\n" : ""));
    }

    @Test
    void fileInfoPrintsWhatTheCToolPrinted(@TempDir Path dir) throws Exception {
        Map<String, byte[]> info = replies(Cmd.QUERY_FILE_INFO, "04_file_info_delete.jsonl",
                "05_metadata_appender_slave.jsonl", "07b_client_ops_during_sync.jsonl", "09_ipmode_all.jsonl");
        try (FakeServer storage = FakeServer.start(r -> FakeServer.Reply.raw(info.get(key(r.header().status(), r.body()))));
             FakeServer tracker = FakeServer.start(new FakeTracker("group1", storage.address()))) {
            int compared = 0;
            for (Block b : transcript()) {
                if (!b.command().startsWith("fdfs_file_info ") || !b.output().startsWith("GET FROM SERVER")) {
                    continue;
                }
                String[] argv = b.argv();
                String confArg = argv[argv.length - 2];
                argv[argv.length - 2] = conf(dir, confArg, tracker.port()).toString();
                CliRun run = CliRun.run(argv);
                assertEquals(0, run.code(), b.command() + "\n" + run);
                assertEquals(b.output(), run.out(), b.command());
                compared++;
            }
            assertEquals(12, compared);
            assertTrue(storage.requests(Cmd.QUERY_FILE_INFO).size() < compared, "decoded ones need no server");
        }
    }

    @Test
    void monitorPrintsWhatTheCToolPrinted(@TempDir Path dir) throws Exception {
        List<byte[]> replies = new ArrayList<>();
        for (String file : List.of("06_monitor.jsonl", "09_ipmode_all.jsonl")) {
            for (VectorFrame f : Vectors.load(file)) {
                if (!f.request() && (f.reqCmd() == Cmd.SERVER_LIST_ALL_GROUPS || f.reqCmd() == Cmd.SERVER_LIST_STORAGE)
                        && f.kind().equals("client")) {
                    replies.add(f.bytes());
                }
            }
        }
        int[] next = {0};
        try (FakeServer tracker = FakeServer.start(r -> FakeServer.Reply.raw(replies.get(next[0]++)))) {
            int compared = 0;
            for (Block b : transcript()) {
                if (!b.command().startsWith("fdfs_monitor ")) {
                    continue;
                }
                String[] argv = b.argv();
                argv[1] = conf(dir, argv[1], tracker.port()).toString();
                CliRun run = CliRun.run(argv);
                assertEquals(0, run.code(), b.command() + "\n" + run);
                assertEquals(b.output().replace("127.0.0.1:22200", "127.0.0.1:" + tracker.port()), run.out(),
                        b.command());
                compared++;
            }
            assertEquals(5, compared);
            assertEquals(replies.size(), next[0]);
        }
    }
}
