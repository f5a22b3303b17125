package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.replay.Mask;
import io.kfdfs.protocol.replay.Replay;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import io.kfdfs.storage.store.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client traffic captured against the C storages, replayed against a kfdfs storage configured as
 * they were: every reply must match the C one except for what legitimately differs (file names,
 * creation times).
 */
class CapturedTrafficTest {

    @TempDir
    Path dir;

    /** C 6.15.4+ refuses to download an empty file; kfdfs answers it with an empty success. */
    private static final int EMPTY_FILE_DOWNLOAD = 294;

    private static Mask mask(VectorFrame reply) {
        return switch (reply.reqCmd()) {
            // group, then Mxx/HH/HH/ as C chose it, then a name of our own
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE, Cmd.UPLOAD_SLAVE_FILE,
                 Cmd.REGENERATE_APPENDER_FILENAME -> Mask.none().ignoreFrom(16 + 10);
            case Cmd.QUERY_FILE_INFO -> Mask.none().ignore(8, 16);
            default -> Mask.none();
        };
    }

    /**
     * Every request to storage 100001 with its reply, each as its own connection and in capture order:
     * the C tools interleave connections (fdfs_appender_test asks for file info on a second connection
     * between appends), and a storage keeps no per-connection state. Left out: requests naming files
     * that storage 100002 created (this storage gets no replication), the one FETCH_ONE_PATH_BINLOG
     * (not served yet), and the empty-file download.
     */
    private static Map<Integer, List<VectorFrame>> storageRequests(String serverRole, String... files) {
        Map<Integer, List<VectorFrame>> byRequest = new TreeMap<>();
        for (String file : files) {
            for (List<VectorFrame> conn : Replay.connections(Vectors.load(file),
                    f -> f.serverRole().equals(serverRole) && f.kind().equals("client")).values()) {
                for (int i = 0; i < conn.size(); i++) {
                    VectorFrame f = conn.get(i);
                    if (f.request()) {
                        byRequest.put(f.index(), i + 1 < conn.size() && !conn.get(i + 1).request()
                                ? List.of(f, conn.get(i + 1)) : List.of(f));
                    }
                }
            }
        }
        byRequest.values().removeIf(pair -> {
            VectorFrame req = pair.get(0);
            return req.cmd() == Cmd.FETCH_ONE_PATH_BINLOG || req.cmd() == Cmd.QUIT
                    || (pair.size() > 1 && pair.get(1).index() == EMPTY_FILE_DOWNLOAD)
                    || new String(req.bytes(), StandardCharsets.ISO_8859_1).contains("ooYBAG");
        });
        return byRequest;
    }

    @Test
    void repliesMatchTheCStorageInIdMode() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            Identity id = storage.server.identity();
            id.setServerId("100001");
            id.setIdInFilename(true);
            id.setPeerIps(Map.of("100001", "127.0.0.1"));
            assertReplaysAsC(storage, storageRequests("storage1", "02_upload.jsonl", "03_download.jsonl",
                    "04_file_info_delete.jsonl", "05_metadata_appender_slave.jsonl", "07b_client_ops_during_sync.jsonl",
                    "08_errors.jsonl"), 100);
        }
    }

    /** The IP-mode cluster of scenario 9: names carry 127.0.0.1, slaves are links (store_slave_file_use_link). */
    @Test
    void repliesMatchTheCStorageInIpMode() throws Exception {
        try (StorageFixture storage = new StorageFixture(dir, "")) {
            storage.server.identity().setSlaveAsLink(true);
            assertReplaysAsC(storage, storageRequests("storageA(ip-mode,127.0.0.1)", "09_ipmode_all.jsonl"), 15);
        }
    }

    private static void assertReplaysAsC(StorageFixture storage, Map<Integer, List<VectorFrame>> requests, int atLeast)
            throws Exception {
        Replay replay = new Replay("127.0.0.1", storage.server.port(), CapturedTrafficTest::mask).run(requests);
        assertEquals(List.of(), replay.mismatches());
        assertTrue(replay.compared() >= atLeast, "compared " + replay.compared());
        assertTrue(replay.renamed().size() >= 3, "names handed out: " + replay.renamed().size());
    }
}
