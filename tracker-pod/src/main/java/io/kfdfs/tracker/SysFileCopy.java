package io.kfdfs.tracker;

import io.kfdfs.pod.FrameClient;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.PodLimits;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.kfdfs.protocol.tracker.TrackerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system-data copy of docs/protocol.md §5.3: a tracker that starts without groups, or that was down longer
 * than 2 × 300 s by its {@code .tracker_status}, copies the four data files (61, 63, 62) from the best of
 * the other trackers a storage's JOIN names, before it accepts that JOIN, and loads them. As in C, a failed
 * copy fails the JOIN with EAGAIN (the storage joins again a beat later), and so does a peer that cannot be
 * asked while no peer has data to give; a peer without groups has nothing to give. Unlike C, that last
 * refusal lasts {@code peer_data_wait} seconds at most: a tracker that never comes back (a pod that cannot
 * be scheduled) must not keep the others from serving; after that the tracker starts from what the
 * storages report, and says so. Runs on the tracker's event loop; JOINs that arrive during a copy wait
 * for it.
 */
final class SysFileCopy {

    private static final System.Logger LOG = System.getLogger(SysFileCopy.class.getName());
    /** 2 × TRACKER_SYNC_STATUS_FILE_INTERVAL: a longer stop makes the data worth replacing. */
    private static final long MAX_DOWNTIME_SECONDS = 600;

    private final Vertx vertx;
    private final Cluster cluster;
    private final TrackerServer server;
    private final Leadership leadership;
    private final PodLimits limits;
    private final long peerDataWaitNanos;
    /** When a JOIN was first refused because no peer could be asked; 0 before that. */
    private long unreachableSince;
    /** C's need_get_sys_files, inverted: the downtime check has been passed. */
    private boolean downtimeChecked;
    /** C's get_sys_files_done: a copy has been made, or found unnecessary. */
    private boolean done;
    /** The last check queued: each JOIN's check starts when the one before has finished. */
    private Future<Void> tail = Future.succeededFuture();

    SysFileCopy(Vertx vertx, Cluster cluster, TrackerServer server, Leadership leadership, PodLimits limits,
                int peerDataWaitSeconds) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.server = server;
        this.leadership = leadership;
        this.limits = limits;
        this.peerDataWaitNanos = TimeUnit.SECONDS.toNanos(peerDataWaitSeconds);
    }

    /** Completes when a JOIN naming these other trackers may proceed; fails when the needed copy failed. */
    Future<Void> beforeJoin(List<Leadership.Peer> peers) {
        if (downtimeChecked && (done || !cluster.groups.isEmpty())) {
            return Future.succeededFuture();
        }
        tail = tail.transform(ar -> check(peers));
        return tail;
    }

    private Future<Void> check(List<Leadership.Peer> peers) {
        if (!downtimeChecked) {
            long downtime = server.startTime() - server.lastCheckTime();
            if (server.lastCheckTime() > 0 && downtime > MAX_DOWNTIME_SECONDS) {
                LOG.log(Level.INFO, "this tracker was down for " + downtime + " s: asking the other trackers for "
                        + "fresher data");
                return copyFromBest(peers, leadership.status()).onSuccess(v -> {
                    downtimeChecked = true;
                    done = true;
                });
            }
            downtimeChecked = true;
        }
        if (!done && cluster.groups.isEmpty()) {
            return copyFromBest(peers, null).onSuccess(v -> done = true);
        }
        return Future.succeededFuture();
    }

    /** Copies from the peer with the best standing, if it has data and (with {@code mine}) stands better. */
    private Future<Void> copyFromBest(List<Leadership.Peer> peers, TrackerStatus mine) {
        List<Future<Leadership.Candidate>> asks = peers.stream().map(leadership::ask).toList();
        return Future.join(asks).transform(ar -> {
            Optional<Leadership.Candidate> best = asks.stream().filter(f -> f.succeeded() && f.result() != null)
                    .map(Future::result).max(Leadership.ORDER);
            if (best.isEmpty()) {
                Optional<Throwable> unreachable = asks.stream().filter(Future::failed).findFirst().map(Future::cause);
                if (unreachable.isEmpty() || waitedLongEnough(unreachable.get())) {
                    return Future.succeededFuture(); // no tracker has data yet, or none that can be reached
                }
                return Future.failedFuture(unreachable.get());
            }
            if (mine != null && Leadership.STANDING.compare(mine, best.get().status()) >= 0) {
                LOG.log(Level.INFO, "no other tracker has fresher data than this one");
                return Future.succeededFuture();
            }
            Leadership.Peer from = best.get().peer();
            return fetch(from).compose(files -> load(from, files));
        });
    }

    /** Whether the refusals because of an unreachable peer have lasted {@code peer_data_wait}. */
    private boolean waitedLongEnough(Throwable why) {
        long now = System.nanoTime();
        if (unreachableSince == 0) {
            unreachableSince = now;
        }
        if (now - unreachableSince < peerDataWaitNanos) {
            return false;
        }
        LOG.log(Level.WARNING, "no other tracker could be asked for its data for "
                + TimeUnit.NANOSECONDS.toSeconds(now - unreachableSince) + " s (peer_data_wait; last: "
                + why.getMessage() + "): starting from what the storages report");
        return true;
    }

    /** The four files of {@code p}, held by its sys-file lock (61 ... 62) so they belong together. */
    private Future<List<byte[]>> fetch(Leadership.Peer p) {
        return FrameClient.connect(vertx, p.ip(), p.port(), limits).compose(c -> {
            Future<List<byte[]>> files = expectOk(c, Cmd.TRACKER_GET_SYS_FILES_START).map(v -> new ArrayList<>());
            for (int i = 0; i < SysFileRequest.FILE_COUNT; i++) {
                int index = i;
                files = files.compose(list -> fetchFile(c, index, new ByteArrayOutputStream()).map(bytes -> {
                    list.add(bytes);
                    return list;
                }));
            }
            return files.compose(list -> expectOk(c, Cmd.TRACKER_GET_SYS_FILES_END).map(list)).eventually(c::close);
        });
    }

    private Future<byte[]> fetchFile(FrameClient c, int index, ByteArrayOutputStream into) {
        return c.call(Frames.request(Cmd.TRACKER_GET_ONE_SYS_FILE, new SysFileRequest(index, into.size())),
                8 + SysFileChunk.MAX_DATA).compose(r -> {
                    if (!r.ok()) {
                        return Future.failedFuture("file " + index + ": " + Status.name(r.status()));
                    }
                    SysFileChunk chunk;
                    try {
                        chunk = SysFileChunk.decode(r.bodyBuffer());
                    } catch (ProtocolException e) {
                        return Future.failedFuture(e);
                    }
                    into.writeBytes(chunk.data());
                    if (into.size() >= chunk.fileSize()) {
                        return Future.succeededFuture(into.toByteArray());
                    }
                    if (chunk.data().length == 0) {
                        return Future.failedFuture("file " + index + ": no data at offset " + into.size() + " of "
                                + chunk.fileSize());
                    }
                    return fetchFile(c, index, into);
                });
    }

    private static Future<Void> expectOk(FrameClient c, int cmd) {
        return c.call(Frames.request(cmd, Body.EMPTY), 0).compose(r -> r.ok() ? Future.succeededFuture()
                : Future.failedFuture(Cmd.name(cmd) + ": " + Status.name(r.status())));
    }

    /** Parses the copy into a fresh cluster first, so a bad file leaves this tracker's state as it was. */
    private Future<Void> load(Leadership.Peer from, List<byte[]> files) {
        Cluster copy = new Cluster(cluster.config, cluster.ids, cluster.clock);
        try {
            StateFiles.load(copy, server.store().dir, text(files.get(0)), text(files.get(1)), text(files.get(2)),
                    text(files.get(3)));
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalStateException("the data files of tracker " + from.address()
                    + " do not load: " + e.getMessage(), e));
        }
        cluster.adopt(copy);
        LOG.log(Level.INFO, "data copied from tracker " + from.address() + ": " + cluster.groups.size() + " groups, "
                + cluster.allStorages().size() + " storages");
        return server.store().saveAll(cluster);
    }

    private static String text(byte[] file) {
        return new String(file, StandardCharsets.ISO_8859_1);
    }
}
