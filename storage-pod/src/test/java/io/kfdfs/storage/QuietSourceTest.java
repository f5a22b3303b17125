package io.kfdfs.storage;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.kfdfs.protocol.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A source that is not kfdfs (here kfdfs members that take each other for C: the tracker's legacy list layout
 * cuts the version) says it has nothing more to send by an ACTIVE_TEST on the sync connection, which C sends
 * only from the end of its binlog. The receiver then counts every record older than its
 * sync_binlog_buff_interval as received; before, what it had received from a quiet C source stayed at that
 * source's last record for good, and fdfs migrate status never said a C member could go.
 */
class QuietSourceTest {

    @TempDir
    Path dir;

    /** What member 1 (100002) has received from 100001, per the tracker's storage_sync_timestamp.dat. */
    private static long receivedFrom100001(ReplicaGroup g) throws Exception {
        try (TestClient c = new TestClient(g.tracker(0).port())) {
            TestClient.Reply r = c.call(Cmd.TRACKER_GET_ONE_SYS_FILE, new SysFileRequest(2, 0));
            assertEquals(Status.OK, r.status());
            String file = new String(SysFileChunk.decode(r.buffer()).data(), StandardCharsets.ISO_8859_1);
            List<String[]> rows = file.lines().map(l -> l.split(",")).toList();
            int column = 2 + rows.stream().map(f -> f[1]).toList().indexOf(ReplicaGroup.id(1));
            return rows.stream().filter(f -> f[1].equals(ReplicaGroup.id(0))).findFirst()
                    .map(f -> Long.parseLong(f[column])).orElse(0L);
        }
    }

    @Test
    void anIdleSourcesActiveTestMovesWhatItsPeerHasReceivedOn() throws Exception {
        try (ReplicaGroup g = new ReplicaGroup(dir, 2, 1, false, "list_legacy_layout = true\n");
             StorageFixture a = StorageFixture.at(g.base(0)).conf(g.conf(0) + "sync_binlog_buff_interval = 1\n")
                     .port(g.port(0)).start();
             StorageFixture b = StorageFixture.at(g.base(1)).conf(g.conf(1) + "sync_binlog_buff_interval = 1\n")
                     .port(g.port(1)).start()) {
            g.awaitActive(0);
            g.awaitActive(1);
            String name;
            try (TestClient c = g.client(0)) {
                name = c.upload("the last change of 100001".getBytes(), "txt");
            }
            long uploaded = System.currentTimeMillis() / 1000;
            eventually(() -> Files.exists(b.file(name)), e -> e, "the file on 100002");
            // its record is at most `uploaded`; only the idle source's ACTIVE_TESTs take what 100002 has received
            // from 100001 past it
            eventually(() -> receivedFrom100001(g), t -> t >= uploaded + 3, Duration.ofSeconds(20),
                    "what 100002 received from 100001 moving on while 100001 is quiet");
        }
    }
}
