package io.kfdfs.tracker;

import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.replay.Mask;
import io.kfdfs.protocol.replay.Replay;
import io.kfdfs.protocol.testing.TestClient;
import io.kfdfs.protocol.tracker.ChangeNotice;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.vectors.VectorFrame;
import io.kfdfs.protocol.vectors.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The storage→tracker connections of the capture replayed against this tracker: how a C fdfs_storaged
 * 6.16 starts, joins, has a second member full-synced, joins again after a tracker restart and restarts
 * itself (01), and an IP-mode storage on its own (09). The connections overlap in time as they did: each
 * runs on its own socket and sends a request only once every frame captured before it was handled. Every
 * reply must match the C tracker's but for the tracker's own port and clock, and the replies named below.
 */
class StorageTrafficReplayTest {

    /** The C tracker crashed after frame #1761 and was restarted; frame #1827 is the first after. */
    static final int RESTART = 1800;
    /**
     * BEATs of 01 whose reply announced the leader and group one beat later from C: its tracker elected
     * itself about 2 s after it started, this one at the first JOIN. Each BEAT's reply is compared with the
     * reply C gave to the next BEAT on that connection, and the other way round.
     */
    static final Map<Integer, Integer> ANNOUNCED_A_BEAT_EARLIER = Map.of(137, 147, 1831, 1871, 1843, 1877);
    /** The same in 09. */
    static final Map<Integer, Integer> ANNOUNCED_A_BEAT_EARLIER_IP_MODE = Map.of(3336, 3350);
    /**
     * Replies to the first BEAT of a restarted storage, which C sent the leader only, as it tracks the group
     * list per storage record (testdata/vectors/NOTES.md D6): this tracker sends a new connection the group as well, so only the
     * leader record is compared.
     */
    static final Set<Integer> GROUP_SENT_TO_A_NEW_CONNECTION = Set.of(1902, 2660);
    @TempDir
    Path dir;

    /** What legitimately differs: the leader record's port is this tracker's; the cutoffs are its clock. */
    static Mask mask(VectorFrame reply) {
        ByteBuffer body = reply.body();
        if (GROUP_SENT_TO_A_NEW_CONNECTION.contains(reply.index())) {
            return Mask.none().ignore(0, 1).ignore(2, 6).ignoreLength();
        }
        return switch (reply.reqCmd()) {
            case Cmd.STORAGE_SYNC_DEST_REQ, Cmd.STORAGE_SYNC_SRC_REQ -> Mask.none().ignore(16, 24); // the cutoff: now
            case Cmd.STORAGE_BEAT, Cmd.STORAGE_REPORT_DISK_USAGE, Cmd.STORAGE_SYNC_REPORT ->
                    body.hasRemaining() && (body.get(0) & ChangeNotice.FLAG_LEADER) != 0 ? Mask.none().ignore(2, 6)
                            : Mask.none();
            default -> Mask.none();
        };
    }

    @Test
    void storageSessionsOfTheIdModeCluster() throws Exception {
        List<VectorFrame> frames = swapReplies(Vectors.load("01_storage_tracker.jsonl"), ANNOUNCED_A_BEAT_EARLIER);
        String conf = ParametersTest.capturedConf("tracker.conf");
        try (TrackerFixture t = new TrackerFixture(dir, conf, VectorReplayTest.IDS)) {
            Result before = replay(t, frames, f -> f.index() < RESTART);
            t.stop();
            // testdata/vectors/NOTES.md C9: the C tracker had not saved 100002's changes after WAIT_SYNC when it crashed
            Path servers = t.data(StateFiles.SERVERS);
            String saved = Files.readString(servers);
            int at = saved.indexOf("\tstatus=", saved.indexOf("\tid=100002\n"));
            Files.writeString(servers, saved.substring(0, at) + "\tstatus=1"
                    + saved.substring(saved.indexOf('\n', at)));
            t.start();
            Result after = replay(t, frames, f -> f.index() >= RESTART);
            List<String> mismatches = new ArrayList<>(before.mismatches);
            mismatches.addAll(after.mismatches);
            assertEquals(List.of(), mismatches);
            assertEquals(frames.stream().filter(f -> !f.request()).count(), before.compared + after.compared,
                    "every reply compared");
        }
    }

    /**
     * Every storage connection of the IP-mode cluster: storage A (127.0.0.1), and storage B (127.0.0.2),
     * first refused for a port that is not the group's, then joining and full-syncing from A. Each
     * connection leaves from its captured address, since without storage IDs that is the storage's identity.
     */
    @Test
    void storageSessionsOfTheIpModeCluster() throws Exception {
        List<VectorFrame> frames = swapReplies(Vectors.load("09_ipmode_all.jsonl"),
                ANNOUNCED_A_BEAT_EARLIER_IP_MODE).stream()
                .filter(f -> f.kind().equals("storage->tracker")).toList();
        try (TrackerFixture t = new TrackerFixture(dir, ParametersTest.capturedConf("tracker_ip.conf"), null)) {
            Result r = replay(t, frames, f -> true);
            assertEquals(List.of(), r.mismatches);
            assertEquals(frames.stream().filter(f -> !f.request()).count(), r.compared, "every reply compared");
        }
    }

    record Result(List<String> mismatches, int compared) {
    }

    /**
     * Replays the chosen connections, each on its own thread, its requests let out in capture order by a
     * {@link Turnstile}; JOINs name this tracker instead of the capture's.
     */
    static Result replay(TrackerFixture t, List<VectorFrame> all, Predicate<VectorFrame> which) throws Exception {
        Map<Integer, List<VectorFrame>> conns = Replay.connections(all.stream().map(f -> rewriteJoin(f, t.port()))
                .toList(), which);
        Turnstile turnstile = new Turnstile(conns);
        ExecutorService pool = Executors.newFixedThreadPool(conns.size());
        try {
            List<Future<Replay>> runs = new ArrayList<>();
            for (Map.Entry<Integer, List<VectorFrame>> c : conns.entrySet()) {
                runs.add(pool.submit(() -> {
                    Replay r = new Replay("127.0.0.1", t.port(), StorageTrafficReplayTest::mask);
                    try {
                        return r.run(Map.of(c.getKey(), turnstile.gate(c.getKey(), c.getValue())));
                    } finally {
                        turnstile.finished(c.getKey(), t.port());
                    }
                }));
            }
            List<String> mismatches = new ArrayList<>();
            int compared = 0;
            for (Future<Replay> run : runs) {
                mismatches.addAll(run.get().mismatches());
                compared += run.get().compared();
            }
            return new Result(mismatches, compared);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The frames with the replies to each pair of requests exchanged. */
    static List<VectorFrame> swapReplies(List<VectorFrame> frames, Map<Integer, Integer> pairs) {
        Map<Integer, VectorFrame> replyTo = new HashMap<>();
        Map<Integer, VectorFrame> previous = new HashMap<>();
        for (VectorFrame f : frames) {
            VectorFrame p = previous.put(f.conn(), f);
            if (p != null && p.request() && !f.request()) {
                replyTo.put(p.index(), f);
            }
        }
        Map<Integer, VectorFrame> swapped = new HashMap<>();
        pairs.forEach((a, b) -> {
            swapped.put(replyTo.get(a).index(), withBytesOf(replyTo.get(a), replyTo.get(b)));
            swapped.put(replyTo.get(b).index(), withBytesOf(replyTo.get(b), replyTo.get(a)));
        });
        return frames.stream().map(f -> swapped.getOrDefault(f.index(), f)).toList();
    }

    static VectorFrame withBytesOf(VectorFrame f, VectorFrame other) {
        return new VectorFrame(f.index(), f.conn(), f.client(), f.server(), f.serverRole(), f.kind(), f.request(),
                f.cmd(), f.reqCmd(), other.status(), other.length(), other.truncated(), f.crafted(), f.desc(),
                other.bytes());
    }

    /** A JOIN lists the trackers the storage reports to: here this tracker alone. */
    static VectorFrame rewriteJoin(VectorFrame f, int trackerPort) {
        if (!f.request() || f.cmd() != Cmd.STORAGE_JOIN) {
            return f;
        }
        try {
            JoinRequest r = JoinRequest.decode(f.body());
            JoinRequest here = new JoinRequest(r.group(), r.storagePort(), r.storePathCount(), r.subdirCountPerPath(),
                    r.uploadPriority(), r.joinTime(), r.upTime(), r.version(), r.initFlag(), r.status(), r.storageId(),
                    r.currentTrackerIp(), List.of("127.0.0.1:" + trackerPort));
            byte[] bytes = here.request(Cmd.STORAGE_JOIN).array();
            return new VectorFrame(f.index(), f.conn(), f.client(), f.server(), f.serverRole(), f.kind(), true, f.cmd(),
                    f.reqCmd(), f.status(), bytes.length - 10L, false, f.crafted(), f.desc(), bytes);
        } catch (ProtocolException e) {
            throw new IllegalArgumentException("captured JOIN #" + f.index() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Orders the requests of concurrently replayed connections as they were captured: a connection's
     * request waits until every other connection has moved past the requests captured before it (or has
     * ended), so each reply reflects what the C tracker had seen when it answered.
     */
    static final class Turnstile {

        /** Per connection: the capture index of the request it is at (sending, or waiting to send). */
        private final Map<Integer, Integer> at = new HashMap<>();

        Turnstile(Map<Integer, List<VectorFrame>> conns) {
            conns.forEach((conn, frames) -> frames.stream().filter(VectorFrame::request).findFirst()
                    .ifPresent(f -> at.put(conn, f.index())));
        }

        /** The frames of {@code conn}, each request handed out when its turn has come. */
        List<VectorFrame> gate(int conn, List<VectorFrame> frames) {
            Set<Integer> passed = new HashSet<>();
            return new AbstractList<>() {
                @Override
                public VectorFrame get(int i) {
                    VectorFrame f = frames.get(i);
                    if (f.request() && passed.add(i)) {
                        awaitTurn(conn, f.index());
                    }
                    return f;
                }

                @Override
                public int size() {
                    return frames.size();
                }
            };
        }

        private synchronized void awaitTurn(int conn, int index) {
            at.put(conn, index);
            notifyAll();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (at.entrySet().stream().anyMatch(e -> e.getKey() != conn && e.getValue() < index)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("request #" + index + " still waits for " + at);
                }
                try {
                    wait(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        /**
         * {@code conn} has ended and its socket is closed. A round trip on a new connection makes sure the
         * tracker has seen the close before the next request goes out, as the C tracker had.
         */
        void finished(int conn, int trackerPort) throws Exception {
            try (TestClient c = new TestClient(trackerPort)) {
                c.call(Cmd.ACTIVE_TEST);
            }
            synchronized (this) {
                at.remove(conn);
                notifyAll();
            }
        }
    }
}
