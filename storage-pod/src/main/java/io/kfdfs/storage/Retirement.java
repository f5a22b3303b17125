package io.kfdfs.storage;

import io.kfdfs.pod.FrameConnection;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.RetireRequest;
import io.kfdfs.protocol.storage.RetireStatus;
import io.kfdfs.storage.commands.Replies;
import io.kfdfs.storage.commands.StorageContext;
import io.kfdfs.storage.report.Reporter;
import io.kfdfs.storage.sync.Replication;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * KFDFS_RETIRE (docs/replication.md): taking a storage out of its group without losing a file. PREPARE
 * makes it read-only (no local change can happen any more, and the trackers stop sending uploads to it)
 * and says which peers still lack some of its changes; LEAVE, once none does, stops its reports and its
 * sync so the trackers see it go and can delete it (93); CANCEL makes it writable again.
 */
final class Retirement {

    private static final System.Logger LOG = System.getLogger(Retirement.class.getName());
    private static final long DRAIN_POLL_MILLIS = 100;

    private final StorageContext ctx;
    private final Reporter reporter;
    private final Replication replication;
    private final Context replicationContext;
    private final Runnable leave;

    Retirement(StorageContext ctx, Reporter reporter, Replication replication, Context replicationContext,
               Runnable leave) {
        this.ctx = ctx;
        this.reporter = reporter;
        this.replication = replication;
        this.replicationContext = replicationContext;
        this.leave = leave;
    }

    void handle(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        RetireRequest req = RetireRequest.decode(in);
        switch (req.step()) {
            case RetireRequest.CANCEL -> {
                readOnly(false);
                Replies.ok(conn);
            }
            case RetireRequest.PREPARE -> {
                readOnly(true);
                unsynced().onSuccess(reasons -> Replies.ok(conn, new RetireStatus(reasons.isEmpty(), reasons)));
            }
            default -> unsynced().onSuccess(reasons -> {
                if (!ctx.binlog.localChangesRefused() || !reasons.isEmpty()) {
                    conn.replyError(Status.EBUSY);
                    return;
                }
                LOG.log(System.Logger.Level.INFO, "retiring: every peer has all local changes; leaving the group");
                Replies.ok(conn);
                leave.run();
            });
        }
    }

    private void readOnly(boolean on) {
        if (ctx.binlog.localChangesRefused() != on) {
            LOG.log(System.Logger.Level.INFO, on ? "read-only: taking no new files or changes (retirement)"
                    : "writable again (retirement cancelled)");
        }
        ctx.binlog.refuseLocalChanges(on);
        reporter.setReadOnly(on);
    }

    /**
     * Before a stop (SIGTERM: a rolling update, a node drain): read-only, then until every ACTIVE peer has
     * all this storage's changes, for at most {@code max}, so that no acknowledged file is readable only on
     * a storage that is going away; then one heartbeat more ({@code reportDelay}, within {@code max}), in
     * which the peers report their progress to the trackers, who then send reads of those files to them. A
     * peer that is down is not waited for: it will get the changes when both are up.
     */
    Future<Void> drain(Duration max, Duration reportDelay) {
        readOnly(true);
        long deadline = System.nanoTime() + max.toNanos();
        return Future.<Void>future(p -> awaitDrained(deadline, p)).compose(v -> {
            long left = Math.min(reportDelay.toMillis(), (deadline - System.nanoTime()) / 1_000_000);
            return left <= 0 ? Future.succeededFuture() : Future.future(p -> ctx.vertx.setTimer(left, id -> p.complete()));
        });
    }

    private void awaitDrained(long deadline, Promise<Void> done) {
        unsynced(replication::unsyncedActivePeers).onSuccess(reasons -> {
            if (reasons.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "stopping: every ACTIVE peer has all local changes");
                done.complete();
            } else if (System.nanoTime() > deadline) {
                LOG.log(System.Logger.Level.WARNING, "stopping before every peer has all local changes: " + reasons);
                done.complete();
            } else {
                ctx.vertx.setTimer(DRAIN_POLL_MILLIS, id -> awaitDrained(deadline, done));
            }
        });
    }

    private Future<List<String>> unsynced() {
        return unsynced(replication::unsyncedPeers);
    }

    /** The peers' progress, read on the replication context; the answer comes back on the caller's. */
    private Future<List<String>> unsynced(Supplier<List<String>> which) {
        Context caller = ctx.vertx.getOrCreateContext();
        return Future.future(p -> replicationContext.runOnContext(v -> {
            List<String> reasons = which.get();
            caller.runOnContext(x -> p.complete(reasons));
        }));
    }
}
