package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.replay.Mask;
import io.kfdfs.protocol.replay.Replay;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import io.kfdfs.storage.store.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage-to-storage traffic of the capture (vectors/07_storage_sync.jsonl): what C 6.16.1 storages
 * sent each other, replayed against kfdfs storages in their places, answered as the C receivers did
 * (ACTIVE_TEST, answered by the framing layer, is left out).
 */
class SyncVectorsTest {

    @TempDir
    Path dir;

    /** A successful SYNC_RENAME_FILE reply of C echoes the request (testdata/vectors/NOTES.md D1): kfdfs answers header only. */
    private static Mask mask(VectorFrame reply) {
        return switch (reply.reqCmd()) {
            case Cmd.SYNC_RENAME_FILE -> Mask.none().ignoreLength().ignoreFrom(0);
            default -> Mask.none();
        };
    }

    /**
     * Every request to {@code role} with its reply, each on its own connection, in capture order: C's sync
     * workers sent on several connections at once (testdata/vectors/NOTES.md D2, D3), so only capture order keeps a file's
     * create before the changes another connection made to it. A receiver keeps no state per connection
     * that a reply depends on.
     */
    private static Map<Integer, List<VectorFrame>> requests(String role) {
        Map<Integer, List<VectorFrame>> byRequest = new TreeMap<>();
        for (List<VectorFrame> conn : Replay.connections(Vectors.load("07_storage_sync.jsonl"),
                f -> f.serverRole().equals(role)).values()) {
            for (int i = 0; i < conn.size(); i++) {
                VectorFrame f = conn.get(i);
                if (f.request() && f.cmd() != Cmd.ACTIVE_TEST) {
                    byRequest.put(f.index(), i + 1 < conn.size() && !conn.get(i + 1).request()
                            ? List.of(f, conn.get(i + 1)) : List.of(f));
                }
            }
        }
        return byRequest;
    }

    /** Replays {@code role}'s sync traffic; returns the lowercase records kfdfs wrote to its binlog. */
    private Set<String> receivesAsC(String role, String serverId, int atLeast) throws Exception {
        try (StorageFixture s = new StorageFixture(dir.resolve(role), "")) {
            Identity id = s.server.identity();
            id.setServerId(serverId);
            id.setIdInFilename(true);
            id.setPeerIps(Map.of("100001", "127.0.0.1", "100002", "127.0.0.1"));
            Replay replay = new Replay("127.0.0.1", s.server.port(), SyncVectorsTest::mask).run(requests(role));
            assertEquals(List.of(), replay.mismatches());
            assertTrue(replay.compared() >= atLeast, "compared " + replay.compared());
            return replicated(Files.readString(s.base.resolve("data/sync/binlog.000")));
        }
    }

    private static Set<String> replicated(String binlog) {
        return binlog.lines().filter(l -> Character.isLowerCase(l.charAt(l.indexOf(' ') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The replica records what it applied as C's storage2 did: the same lowercase lines, origin times. */
    @Test
    void storage2sFullSyncAndRealTimeSyncFromStorage1() throws Exception {
        Set<String> written = receivesAsC("storage2", "100002", 90);
        assertEquals(replicated(Files.readString(Vectors.dir().resolve("run/storage2/data/sync/binlog.000"))), written);
    }

    @Test
    void storage1sRealTimeSyncFromStorage2() throws Exception {
        Set<String> written = receivesAsC("storage1", "100001", 15);
        assertEquals(replicated(Files.readString(Vectors.dir().resolve("run/storage1/data/sync/binlog.000"))), written);
    }
}
