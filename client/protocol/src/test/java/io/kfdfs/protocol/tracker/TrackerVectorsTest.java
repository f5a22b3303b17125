package io.kfdfs.protocol.tracker;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every frame the C 6.16.1 programs exchanged with a tracker decodes with the tracker records and
 * re-encodes to the same bytes.
 */
class TrackerVectorsTest {

    /** Replies whose C encoder leaves stale bytes after the NUL of string fields (testdata/vectors/NOTES.md D4). */
    private static final Set<Integer> STALE_AFTER_NUL = Set.of(Cmd.SERVER_TRACKER_CLUSTER_STAT,
            Cmd.SERVER_STORAGE_CLUSTER_STAT, Cmd.SERVER_STORAGE_VOLUMN_STAT);

    private interface Decoder {
        Body decode(int cmd, ByteBuffer body) throws ProtocolException;
    }

    @Test
    void everyCapturedTrackerFrameRoundTrips() throws Exception {
        Set<String> covered = new TreeSet<>();
        int frames = 0;
        for (Map.Entry<String, List<VectorFrame>> file : Vectors.all().entrySet()) {
            Set<Integer> rejected = rejectedRequests(file.getValue());
            for (VectorFrame f : trackerFrames(file.getValue())) {
                if (f.truncated() || f.status() != Status.OK || f.command() == Cmd.QUIT
                        || rejected.contains(f.index()) || (f.request() && !knownCommand(f.cmd()))) {
                    continue;
                }
                Decoder d = f.request() ? TrackerCodecs::request : TrackerCodecs::reply;
                byte[] original = f.bodyBytes();
                Body decoded;
                try {
                    decoded = d.decode(f.command(), f.body());
                } catch (ProtocolException e) {
                    throw new AssertionError(file.getKey() + " " + f + ": " + e.getMessage(), e);
                }
                byte[] encoded = decoded.toBytes();
                assertEquals(original.length, decoded.size(), f.toString());
                if (!f.request() && STALE_AFTER_NUL.contains(f.command())) {
                    assertEquals(decoded, d.decode(f.command(), ByteBuffer.wrap(encoded)), f.toString());
                } else {
                    assertArrayEquals(original, encoded, file.getKey() + " " + f);
                }
                covered.add((f.request() ? "req " : "reply ") + Cmd.name(f.command()));
                frames++;
            }
        }
        assertTrue(frames > 1800, "decoded only " + frames + " frames");
        for (String expected : List.of("req STORAGE_JOIN", "reply STORAGE_JOIN", "req STORAGE_BEAT",
                "reply STORAGE_BEAT", "req STORAGE_REPORT_DISK_USAGE", "req STORAGE_SYNC_REPORT",
                "req STORAGE_REPLICA_CHG", "req STORAGE_REPORT_STATUS", "reply STORAGE_PARAMETER_REQ",
                "reply STORAGE_FETCH_STORAGE_IDS", "reply SERVER_LIST_STORAGE", "reply SERVER_LIST_ALL_GROUPS",
                "reply SERVER_STORAGE_CLUSTER_STAT", "reply SERVER_STORAGE_VOLUMN_STAT",
                "reply SERVER_TRACKER_CLUSTER_STAT", "reply SERVICE_QUERY_FETCH_ALL",
                "reply SERVICE_QUERY_STORE_WITH_GROUP_ALL", "reply STORAGE_GET_STATUS", "reply TRACKER_GET_STATUS",
                "reply STORAGE_SYNC_SRC_REQ", "reply STORAGE_GET_GROUP_NAME", "reply STORAGE_GET_MY_IP")) {
            assertTrue(covered.contains(expected), "no captured frame for " + expected + " in " + covered);
        }
    }

    /** Requests the C tracker answered with EINVAL are rejected by the codec too (except JOIN's semantic checks). */
    @Test
    void requestsTheCTrackerRejectedFailToDecode() {
        int checked = 0;
        for (List<VectorFrame> file : Vectors.all().values()) {
            Map<Integer, VectorFrame> pending = new HashMap<>();
            for (VectorFrame f : trackerFrames(file)) {
                if (f.request()) {
                    pending.put(f.conn(), f);
                    continue;
                }
                VectorFrame req = pending.remove(f.conn());
                if (req == null || f.status() != Status.EINVAL || !knownCommand(req.cmd())
                        || req.cmd() == Cmd.STORAGE_JOIN) {
                    continue;
                }
                assertThrows(ProtocolException.class, () -> TrackerCodecs.request(req.cmd(), req.body()),
                        req.toString());
                checked++;
            }
        }
        assertTrue(checked >= 4, "only " + checked + " rejected requests found");
    }

    @Test
    void parameterReplyKeepsTheCKeyOrder() throws Exception {
        VectorFrame reply = Vectors.load("01_storage_tracker.jsonl").stream()
                .filter(f -> !f.request() && f.reqCmd() == Cmd.STORAGE_PARAMETER_REQ).findFirst().orElseThrow();
        Parameters p = Parameters.decode(reply.body());
        assertEquals(List.of("use_storage_id", "id_type_in_filename", "trust_storage_server_id",
                "response_ip_addr_size", "storage_ip_changed_auto_adjust", "storage_sync_file_max_delay",
                "store_path", "reserved_storage_space", "use_trunk_file", "slot_min_size", "slot_max_size",
                "trunk_alloc_alignment_size", "trunk_file_size", "trunk_create_file_advance",
                "trunk_create_file_time_base", "trunk_create_file_interval", "trunk_create_file_space_threshold",
                "trunk_init_check_occupying", "trunk_init_reload_from_binlog", "trunk_free_space_merge",
                "delete_unused_trunk_files", "trunk_compress_binlog_min_interval", "trunk_compress_binlog_interval",
                "trunk_compress_binlog_time_base", "trunk_binlog_max_backups", "store_slave_file_use_link"),
                new ArrayList<>(p.values().keySet()));
        assertEquals("20.00%", p.get("reserved_storage_space"));
    }

    @Test
    void joinCarriesEveryDocumentedField() throws Exception {
        VectorFrame join = Vectors.load("01_storage_tracker.jsonl").stream()
                .filter(f -> f.request() && f.cmd() == Cmd.STORAGE_JOIN).findFirst().orElseThrow();
        JoinRequest j = JoinRequest.decode(join.body());
        assertEquals("group1", j.group());
        assertEquals(23200, j.storagePort());
        assertEquals(256, j.subdirCountPerPath());
        assertEquals("6.16.1", j.version());
        assertTrue(j.initFlag());
        assertEquals("100001", j.storageId());
        assertEquals(List.of("127.0.0.1:22200"), j.trackers());
    }

    @Test
    void changeNoticeSplitsLeaderAndGroupRecords() throws Exception {
        VectorFrame notice = Vectors.load("01_storage_tracker.jsonl").stream()
                .filter(f -> !f.request() && f.reqCmd() == Cmd.STORAGE_BEAT && f.length() == 135).findFirst()
                .orElseThrow();
        ChangeNotice n = ChangeNotice.decode(notice.body());
        assertEquals(ChangeNotice.FLAG_LEADER | ChangeNotice.FLAG_GROUP, n.flags());
        assertEquals(new StorageBrief(0, 22200, "127.0.0.1", "127.0.0.1"), n.leader());
        assertEquals(List.of(new StorageBrief(7, 23200, "100001", "127.0.0.1")), n.group());
    }

    /** Indexes of the requests that the C tracker answered with an error status. */
    private static Set<Integer> rejectedRequests(List<VectorFrame> file) {
        Set<Integer> rejected = new TreeSet<>();
        Map<Integer, VectorFrame> pending = new HashMap<>();
        for (VectorFrame f : trackerFrames(file)) {
            if (f.request()) {
                pending.put(f.conn(), f);
            } else {
                VectorFrame req = pending.remove(f.conn());
                if (req != null && f.status() != Status.OK) {
                    rejected.add(req.index());
                }
            }
        }
        return rejected;
    }

    private static List<VectorFrame> trackerFrames(List<VectorFrame> file) {
        return file.stream().filter(VectorFrame::toTracker).toList();
    }

    private static boolean knownCommand(int cmd) {
        if (Cmd.name(cmd).startsWith("CMD_")) {
            return false;
        }
        try {
            TrackerCodecs.request(cmd, ByteBuffer.allocate(0));
        } catch (ProtocolException e) {
            return true;
        } catch (RuntimeException e) {
            fail("unchecked exception for cmd " + cmd, e);
        }
        return true;
    }
}
