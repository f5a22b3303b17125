package io.kfdfs.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.JoinReply;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A storage server test double: one reporter connection to the tracker, speaking the real storage→tracker
 * frames of docs/protocol.md §5.1 with the codec records.
 */
final class FakeStorage implements AutoCloseable {

    final String group;
    final String id;
    final int port;
    final TestClient conn;
    int storePathCount = 1;
    long uploadPriority = 10;
    /** The tracker_server lines it sends in JOIN: by default only the tracker it talks to. */
    List<String> trackers;
    /** The version it joins with: C's, as in the captured frames, unless it stands for a kfdfs storage. */
    String version = Version.FASTDFS;

    FakeStorage(int trackerPort, String localIp, String group, String id, int port) throws IOException {
        this.group = group;
        this.id = id;
        this.port = port;
        this.conn = TestClient.from(localIp, trackerPort);
        this.trackers = List.of("127.0.0.1:" + trackerPort);
    }

    FakeStorage(int trackerPort, String group, String id, int port) throws IOException {
        this(trackerPort, "127.0.0.1", group, id, port);
    }

    /** Joins as a kfdfs storage does (docs/protocol.md §14.4). */
    FakeStorage kfdfs() {
        version = Version.KFDFS;
        return this;
    }

    JoinRequest joinRequest(boolean initFlag, int status) {
        return new JoinRequest(group, port, storePathCount, 256, uploadPriority, 1700000000, 1700000001, version,
                initFlag, status, id, "127.0.0.1", trackers);
    }

    TestClient.Reply joinReply(boolean initFlag, int status) throws IOException {
        return conn.call(Cmd.STORAGE_JOIN, joinRequest(initFlag, status));
    }

    JoinReply join(boolean initFlag, int status) throws Exception {
        TestClient.Reply r = joinReply(initFlag, status);
        assertEquals(Status.OK, r.status(), "join of " + id);
        return JoinReply.decode(r.buffer());
    }

    ChangeNotice beat() throws Exception {
        return notice(conn.call(Cmd.STORAGE_BEAT, StatBlock.ZERO.with(StatBlock.Counter.TOTAL_UPLOAD_COUNT, 3)));
    }

    ChangeNotice emptyBeat() throws Exception {
        return notice(conn.call(Cmd.STORAGE_BEAT));
    }

    ChangeNotice diskUsage(long totalMb, long... freeMbPerPath) throws Exception {
        List<DiskUsage.Path> paths = java.util.Arrays.stream(freeMbPerPath)
                .mapToObj(f -> new DiskUsage.Path(totalMb, f)).toList();
        return notice(conn.call(Cmd.STORAGE_REPORT_DISK_USAGE, new DiskUsage(paths)));
    }

    ChangeNotice syncReport(SyncReport.Entry... entries) throws Exception {
        return notice(conn.call(Cmd.STORAGE_SYNC_REPORT, new SyncReport(List.of(entries))));
    }

    Optional<SyncSource> syncDestReq() throws Exception {
        TestClient.Reply r = conn.call(Cmd.STORAGE_SYNC_DEST_REQ);
        assertEquals(Status.OK, r.status());
        return r.body().length == 0 ? Optional.empty() : Optional.of(SyncSource.decode(r.buffer()));
    }

    int syncNotify(String srcId, long until) throws IOException {
        return conn.call(Cmd.STORAGE_SYNC_NOTIFY, new SyncSource(srcId, until)).status();
    }

    /** The first storage of its group: join, no source, beat and disk report make it ACTIVE. */
    FakeStorage startAlone(long totalMb, long freeMb) throws Exception {
        join(true, 0);
        assertEquals(Optional.empty(), syncDestReq());
        assertEquals(Status.OK, syncNotify("", 0));
        beat();
        freeMbPerPath(totalMb, freeMb);
        return this;
    }

    private void freeMbPerPath(long totalMb, long freeMb) throws Exception {
        long[] free = new long[storePathCount];
        java.util.Arrays.fill(free, freeMb);
        diskUsage(totalMb, free);
    }

    /** A storage that already has its data (restart after a tracker loss): joins as it last was. */
    FakeStorage startKnown(int status, long totalMb, long freeMb) throws Exception {
        join(false, status);
        assertEquals(Status.OK, syncNotify("", 0));
        beat();
        freeMbPerPath(totalMb, freeMb);
        return this;
    }

    TestClient.Reply call(int cmd, Body body) throws IOException {
        return conn.call(cmd, body);
    }

    private static ChangeNotice notice(TestClient.Reply r) throws Exception {
        assertEquals(Status.OK, r.status(), "change notice status");
        return ChangeNotice.decode(r.buffer());
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
