package io.kfdfs.storage.sync;

import io.kfdfs.pod.FileChangedException;
import io.kfdfs.pod.FrameClient;
import io.kfdfs.pod.Frames;
import io.kfdfs.pod.Reply;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.storage.ContentRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.ReportServerIdRequest;
import io.kfdfs.protocol.storage.SyncCaughtUp;
import io.kfdfs.protocol.storage.SyncDeleteRequest;
import io.kfdfs.protocol.storage.SyncFileRequest;
import io.kfdfs.protocol.storage.SyncLinkRequest;
import io.kfdfs.protocol.storage.SyncRangeRequest;
import io.kfdfs.protocol.storage.SyncTruncateRequest;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.SyncSource;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.BinlogPosition;
import io.kfdfs.storage.store.BinlogReader;
import io.kfdfs.storage.store.BinlogRecord;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pushes this storage's binlog to one peer of its group (docs/protocol.md §9.4), on the replication context.
 * One connection, records in binlog order, so changes to one file arrive in the order they were made
 * (C's parallel workers reorder them, testdata/vectors/NOTES.md D3). Which requests replay a record is {@link Replay}'s
 * business; this class carries them out. Records whose reply settles them (creates, updates, deletes,
 * links: the bulk of a busy group's binlog) are pipelined to a kfdfs peer, up to {@link #WINDOW} requests
 * out before their replies are back (the peer serves them in order; a C peer gets one at a time, see
 * {@link #peerIsKfdfs}); the mark moves over them in binlog order as
 * their replies come. A record whose reply may ask for more, or whose file the batch did not find, goes
 * alone once the records before it are done, and the next waits for it. The position is kept in the
 * peer's mark file (§9.3): a restart resumes there, and records sent again are harmless (receivers answer
 * EEXIST/ENOENT).
 *
 * <p>The task is in one {@link State} at a time, changed only by {@link #moveTo}: a pass (load the mark,
 * ask the trackers for the peer's source if needed, connect, send a batch) runs in {@link State#PASSING};
 * at the end of the binlog it tells the peer it is caught up, so the peer can report this source as
 * synced up to now (§9.6 rule 3), and rests in {@link State#IDLE} until the binlog grows (no polling). A
 * peer that is down or refuses is retried with growing delays ({@link State#BACKING_OFF}); nothing here
 * ever waits for it on anyone else's behalf.
 *
 * <p>The full sync of a new member (§6.3) is driven from here when the trackers name this storage its
 * source: WAIT_SYNC → SYNCING, the whole binlog, then OFFLINE (the peer turns ACTIVE at its next beat).
 * It is driven again whenever the peer is seen waiting, so a tracker that lost those steps (testdata/vectors/NOTES.md C9)
 * does not leave the peer in WAIT_SYNC.
 */
final class PeerSync {

    private static final System.Logger LOG = System.getLogger(PeerSync.class.getName());
    private static final long MIN_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** A successful SYNC_RENAME_FILE reply of C 6.16.1 echoes the request (testdata/vectors/NOTES.md D1). */
    private static final long MAX_REPLY = 1024;

    /** How long a record may wait for its file to be put in place before it is given up. */
    private static final long PLACE_WAIT_NANOS = 10_000_000_000L;
    /** A record's file is recorded but not yet in place: try the record again shortly. */
    private static final Exception NOT_YET = new Exception("file not in place yet", null, false, false) { };
    /** Records in flight on the connection at most (a peer reads ahead 64 KiB of requests, then waits). */
    static final int WINDOW = 32;

    enum State {
        /** Nothing under way: the peer is not one to sync to now, or the task has not run yet. */
        PARKED,
        /** A pass is under way; a request to run meanwhile makes another follow it. */
        PASSING,
        /** At the end of the binlog: the next pass starts when it grows, or at the keep-alive timer. */
        IDLE,
        /** The last pass failed: the next starts at the retry timer, or when the peer's status changes. */
        BACKING_OFF,
        STOPPED
    }

    /** How a pass ended. */
    private enum Outcome { MORE, IDLE, NOT_NOW }

    private final Replication owner;
    final String peerId;
    private final Path markFile;
    private final Lookahead lookahead;
    private StorageBrief peer;
    private State state = State.PARKED;
    /** The timer of {@link State#IDLE} (keep-alive) or {@link State#BACKING_OFF} (retry); -1 in the others. */
    private long timer = -1;
    /** run() was called during a pass: run again once it ends (else a status change is lost). */
    private boolean rerun;
    /** The binlog grew since the current pass began. */
    private boolean woken;
    private long backoff = MIN_BACKOFF_MILLIS;
    private FrameClient client;

    private SyncMark mark;
    private boolean markLoaded;
    private long unsaved;
    private long lastMarkSave;
    private boolean sourceChecked;
    /** Bumped whenever the peer's source must be asked again, so an answer to an older question counts not. */
    private long sourceQuestion;
    private long lastCaughtUp;
    /**
     * The peer is kfdfs (its reported version says so, docs/protocol.md §14.4): it gets the caught-up
     * notice and pipelined requests. A C peer, or one not listed yet, gets ACTIVE_TEST (a C storage closes
     * the connection on 240) and one request at a time: a C storage (6.10 on) reads its connections
     * edge-triggered and, once it has answered a request, reads the next only when more bytes arrive, so
     * a request written ahead waits in its socket until the sender's network timeout.
     */
    private boolean peerIsKfdfs;

    /** After an EEXIST, CREATEs are checked first with QUERY_FILE_INFO, as C does (§4.13). */
    private boolean checkBeforeCreate;
    /** Old names of renamed files with changes skipped before the rename: the new name goes whole. */
    private final Set<String> staleBeforeRename = new HashSet<>();
    /** The local files of the batch being sent. */
    private LocalFiles files;
    /** Since when the record at the mark waits for its file to be put in place (0: it does not). */
    private long waitingSince;

    PeerSync(Replication owner, StorageBrief peer, Path markFile) {
        this.owner = owner;
        this.peerId = peer.id();
        this.peer = peer;
        this.markFile = markFile;
        this.lookahead = new Lookahead(owner.reader());
    }

    /**
     * The tracker's newest word on the peer: a new address means reconnecting; a peer waiting for a full
     * sync (newly, or with another source) means asking again who its source is.
     */
    void update(StorageBrief now) {
        StorageBrief before = peer;
        peer = now;
        if (!before.ip().equals(now.ip()) || before.port() != now.port()) {
            disconnect();
        }
        boolean changed = before.status() != now.status();
        boolean recheck = waiting(now.status()) && (changed || mark == null || !mark.replayingOld());
        if (recheck) {
            sourceChecked = false;
            sourceQuestion++;
            if (changed && !waiting(before.status())) {
                disconnect();
            }
        }
        if ((changed || recheck) && state == State.BACKING_OFF) {
            moveTo(State.PARKED);
        }
        if (changed || recheck) {
            run();
        }
    }

    /**
     * Runs a parked task whose peer is one to sync to. Its peer's news (status, address) should have moved
     * it on; this makes sure a missed one does not leave it parked for good (found by the Kubernetes
     * stand-in: a member replaced with a new IP was never synced to again by its peers, now and then).
     */
    void nudge() {
        if (state == State.PARKED && syncable(peer.status())) {
            run();
        }
    }

    /** The binlog grew. */
    void wake() {
        woken = true;
        if (state == State.IDLE) {
            run();
        }
    }

    /** The version the peer reported when it joined (null: not known). */
    void peerVersion(String version) {
        peerIsKfdfs = Version.isKfdfs(version);
    }

    /** How far the peer has acknowledged this storage's binlog; null before the mark is known. */
    BinlogPosition acknowledged() {
        return mark == null ? null : mark.position();
    }

    StorageBrief peer() {
        return peer;
    }

    Future<Void> stop(boolean removeMark) {
        moveTo(State.STOPPED);
        disconnect();
        SyncMark last = mark;
        return owner.blocking(() -> {
            if (removeMark) {
                Files.deleteIfExists(markFile);
            } else if (last != null && unsaved > 0) {
                last.save(markFile);
            }
            return null;
        });
    }

    /** Starts a pass now if the task is parked or idle, after the current one if one is under way. */
    void run() {
        switch (state) {
            case PASSING -> rerun = true;
            case PARKED, IDLE -> pass();
            case BACKING_OFF, STOPPED -> { }
        }
    }

    private void moveTo(State next) {
        moveTo(next, -1);
    }

    /**
     * The one place the state changes. {@link State#IDLE} and {@link State#BACKING_OFF} end at a timer
     * (then the task parks and runs); leaving a state cancels its timer.
     */
    private void moveTo(State next, long timerMillis) {
        if ((next == State.IDLE || next == State.BACKING_OFF) != timerMillis >= 0) {
            throw new IllegalArgumentException(next + " with timer " + timerMillis);
        }
        if (timer >= 0) {
            owner.vertx().cancelTimer(timer);
            timer = -1;
        }
        state = next;
        if (timerMillis >= 0) {
            timer = owner.vertx().setTimer(timerMillis, id -> {
                timer = -1;
                if (state == next) {
                    moveTo(State.PARKED);
                    run();
                }
            });
        }
    }

    private void pass() {
        if (!syncable(peer.status())) {
            disconnect();
            moveTo(State.PARKED);
            return;
        }
        moveTo(State.PASSING);
        woken = false;
        prepare().compose(push -> push ? connected().compose(v -> pushSome()) : Future.succeededFuture(Outcome.NOT_NOW))
                .onComplete(this::passed);
    }

    private void passed(AsyncResult<Outcome> ar) {
        if (state == State.STOPPED) {
            return;
        }
        boolean again = rerun;
        rerun = false;
        if (ar.failed()) {
            failed(ar.cause());
            return;
        }
        switch (ar.result()) {
            case MORE -> pass();
            case IDLE -> {
                if (again || woken) {
                    pass();
                } else {
                    moveTo(State.IDLE, owner.heartBeatMillis());
                }
            }
            case NOT_NOW -> {
                disconnect();
                if (again) {
                    pass();
                } else {
                    moveTo(State.PARKED);
                }
            }
        }
    }

    private static boolean syncable(int status) {
        return status == StorageStatus.ACTIVE || waiting(status);
    }

    private static boolean waiting(int status) {
        return status == StorageStatus.WAIT_SYNC || status == StorageStatus.SYNCING;
    }

    /**
     * Loads the mark, and asks the trackers for the peer's full-sync source when there is no mark or the
     * peer waits for a full sync (§9.4 step 2). Answers whether to push now: to an ACTIVE peer, or to a
     * waiting one whose source this storage is.
     */
    private Future<Boolean> prepare() {
        Future<Void> loaded = markLoaded ? Future.succeededFuture() : owner.blocking(() -> {
            mark = SyncMark.load(markFile);
            markLoaded = true;
            return null;
        });
        return loaded.compose(v -> {
            boolean ask = mark == null || (waiting(peer.status()) && !sourceChecked);
            long question = sourceQuestion;
            return ask ? owner.trackers().syncSource(peerId).compose(src -> adoptSource(src, question))
                    : Future.succeededFuture();
        }).map(v -> peer.status() == StorageStatus.ACTIVE || (mark.needSyncOld() && waiting(peer.status())));
    }

    /** What SYNC_SRC_REQ said: a new mark unless the current one already serves that full sync. */
    private Future<Void> adoptSource(Optional<SyncSource> src, long question) {
        if (src.isEmpty() && waiting(peer.status())) {
            // a waiting peer has a source; the tracker asked has not heard it yet (the peer tells each
            // tracker in turn): ask again shortly rather than take it for a plain peer and never send
            return Future.failedFuture(new ProtocolException(Status.EAGAIN,
                    "no tracker names the full-sync source of this waiting peer yet"));
        }
        boolean mine = src.isPresent() && src.get().srcId().equals(owner.myId());
        long until = src.map(SyncSource::untilTimestamp).orElse(0L);
        // the peer's status changed while the trackers were asked: that answer may predate its source
        sourceChecked = question == sourceQuestion;
        if (mark != null && mark.needSyncOld() == mine && mark.until() == until) {
            return Future.succeededFuture();
        }
        SyncMark fresh = SyncMark.fresh(mine, until);
        LOG.log(System.Logger.Level.INFO, "sync to " + peerId + ": starting from the beginning of the binlog"
                + (mine ? ", full sync up to " + until + " (this storage is its source)" : ""));
        return owner.<Void>blocking(() -> {
            fresh.save(markFile);
            return null;
        }).map(v -> {
            // in the chain, not beside it: what follows reads the mark, and a side listener may run after it
            mark = fresh;
            unsaved = 0;
            lookahead.restart();
            return null;
        });
    }

    /** Connects, introduces this storage (9) and moves a waiting peer's full sync on (76 to every tracker). */
    private Future<Void> connected() {
        if (client != null && !client.isClosed()) {
            return Future.succeededFuture();
        }
        return FrameClient.connect(owner.vertx(), peer.ip(), peer.port(), owner.limits()).compose(c -> {
            client = c;
            checkBeforeCreate = false;
            return expect(c.call(Frames.request(Cmd.REPORT_SERVER_ID, new ReportServerIdRequest(owner.myId())), 0),
                    Cmd.REPORT_SERVER_ID, Status.OK);
        }).map(status -> {
            backoff = MIN_BACKOFF_MILLIS;
            if (mark.needSyncOld() && peer.status() == StorageStatus.WAIT_SYNC) {
                reportPeer(StorageStatus.SYNCING);
            }
            if (mark.needSyncOld() && mark.syncOldDone() && waiting(peer.status())) {
                reportPeer(StorageStatus.OFFLINE);
            }
            return null;
        });
    }

    private void reportPeer(int status) {
        LOG.log(System.Logger.Level.INFO, "full sync to " + peerId + ": reporting it " + StorageStatus.name(status));
        peer = new StorageBrief(status, peer.port(), peer.id(), peer.ip());
        owner.trackers().reportStatus(new StorageBrief(status, 0, peer.id(), peer.ip()));
    }

    /**
     * Reads the next records, and in the same trip to the disk the files they need, then sends them; at
     * the end (known without reading when the mark is at the binlog's settled end), {@link #atEnd}.
     */
    private Future<Outcome> pushSome() {
        BinlogPosition from = mark.position();
        if (!from.before(owner.settled())) {
            return atEnd();
        }
        LocalFiles batch = new LocalFiles(owner::dataFile);
        return owner.blocking(() -> {
            List<BinlogReader.Entry> entries = owner.reader().read(from, owner.settled());
            for (BinlogReader.Entry e : entries) {
                BinlogRecord r = e.record();
                if (r != null && !r.name().isEmpty() && Replay.wanted(r, mark) && Replay.readsLocalFile(r)) {
                    batch.look(r.name());
                }
            }
            return entries;
        }).compose(entries -> {
            if (entries.isEmpty()) {
                return atEnd();
            }
            files = batch;
            return send(entries).map(Outcome.MORE);
        });
    }

    private Future<Void> send(List<BinlogReader.Entry> entries) {
        Promise<Void> done = Promise.promise();
        new Batch(entries, done).pump();
        return done.future();
    }

    /**
     * The records of one batch on their way: each is sent once fewer than {@link #WINDOW} are in flight (one,
     * to a peer not known to be kfdfs), in binlog order; the mark moves over each once it and every record before it are done. A record that is
     * not {@linkplain Replay#pipelinable pipelinable} goes alone.
     */
    private final class Batch {
        private final List<BinlogReader.Entry> entries;
        private final Promise<Void> done;
        private final ArrayDeque<Future<Void>> window = new ArrayDeque<>();
        private int next;
        /** Completes when every record sent so far is done and the mark has moved over it. */
        private Future<Void> inOrder = Future.succeededFuture();

        Batch(List<BinlogReader.Entry> entries, Promise<Void> done) {
            this.entries = entries;
            this.done = done;
        }

        void pump() {
            while (next < entries.size() && state != State.STOPPED && !inOrder.failed()) {
                if (client == null || client.isClosed()) {
                    inOrder = Future.failedFuture(new IOException("connection to " + peerId + " closed"));
                    break;
                }
                BinlogReader.Entry e = entries.get(next);
                BinlogRecord r = e.record();
                boolean wanted = r != null && Replay.wanted(r, mark);
                boolean alone = wanted && !Replay.pipelinable(r, checkBeforeCreate, files.present(r.name()));
                while (!window.isEmpty() && window.peek().isComplete()) {
                    window.poll();
                }
                if (window.size() >= (peerIsKfdfs ? WINDOW : 1) || alone && !window.isEmpty()) {
                    (alone ? inOrder : window.peek()).onComplete(ar -> pump());
                    return;
                }
                next++;
                Future<Boolean> sent = wanted ? carry(e, Replay.first(r, checkBeforeCreate)) : Future.succeededFuture(false);
                inOrder = inOrder.compose(v -> sent).compose(s -> advance(e, s));
                window.add(inOrder);
                if (alone) {
                    inOrder.onComplete(ar -> pump());
                    return;
                }
            }
            inOrder.onComplete(ar -> {
                if (ar.succeeded()) {
                    done.tryComplete();
                } else {
                    done.tryFail(ar.cause());
                }
            });
        }
    }

    private Future<Void> advance(BinlogReader.Entry e, boolean sent) {
        waitingSince = 0;
        mark = mark.advanced(e.after(), sent);
        backoff = MIN_BACKOFF_MILLIS;
        lookahead.passed(e.after());
        return ++unsaved >= owner.writeMarkFreq() ? saveMark() : Future.succeededFuture();
    }

    /**
     * Carries out one step of a record's replay, and the steps its replies lead to; true if something
     * went out. A step's request is queued on the connection before this returns unless it needs a local
     * file the batch did not look at.
     */
    private Future<Boolean> carry(BinlogReader.Entry e, Replay.Step step) {
        BinlogRecord r = e.record();
        if (step.needsLocalFile()) {
            return local(r.name()).compose(l -> {
                Replay.Step now = Replay.withLocalFile(step, r, l.size());
                return now == step ? request(e, step, l) : carry(e, now);
            });
        }
        return switch (step) {
            case SENT -> Future.succeededFuture(true);
            case NOT_SENT -> Future.succeededFuture(false);
            case REFUSED -> {
                LOG.log(System.Logger.Level.WARNING, "sync to " + peerId + " refused (EINVAL), skipped: " + r);
                yield Future.succeededFuture(true);
            }
            case UNNAMED_LINK -> {
                LOG.log(System.Logger.Level.WARNING, "binlog record without a link name (written by C 6.16.1,"
                        + " testdata/vectors/NOTES.md D9), skipped: " + r);
                yield Future.succeededFuture(false);
            }
            case ABSENT -> absent(e, r.name());
            default -> request(e, step, null);
        };
    }

    /** Sends a step's request (§9.4 step 5) and carries on with what its reply leads to. */
    private Future<Boolean> request(BinlogReader.Entry e, Replay.Step step, LocalFiles.Local l) {
        BinlogRecord r = e.record();
        if (step == Replay.Step.ASK) {
            return client.call(Frames.toBuffer(new GroupFile(owner.group(), r.name()).frame(step.cmd,
                    QueryFileInfoResponse.FLAG_NOT_CALC_CRC32)), MAX_REPLY)
                    .compose(reply -> carry(e, Replay.afterAsk(reply.status(), peerSize(reply), l.size())));
        }
        Future<Integer> status = switch (step) {
            case CREATE, UPDATE -> withContent(new SyncFileRequest(r.name(), l.size(), r.timestamp(), owner.group(),
                    false), step.cmd, l, 0, l.size());
            case RECORD_ONLY -> call(new SyncFileRequest(r.name(), l.size(), r.timestamp(), owner.group(), true),
                    step.cmd);
            case APPEND, MODIFY -> withContent(new SyncRangeRequest(r.name(), r.first(), r.second(), r.timestamp(),
                    owner.group()), step.cmd, l, r.first(), r.second());
            case DELETE -> call(new SyncDeleteRequest(r.timestamp(), owner.group(), r.name()), step.cmd);
            case TRUNCATE -> call(new SyncTruncateRequest(r.name(), r.first(), r.second(), r.timestamp(),
                    owner.group()), step.cmd);
            case LINK, RENAME -> call(new SyncLinkRequest(r.name(), r.other(), r.timestamp(), owner.group()), step.cmd);
            default -> throw new IllegalArgumentException("not a request: " + step);
        };
        boolean stale = step == Replay.Step.RENAME && staleBeforeRename.remove(r.other());
        return status.compose(s -> {
            if (step == Replay.Step.CREATE && s == Status.EEXIST) {
                checkBeforeCreate = true;
            } else if ((step == Replay.Step.CREATE || step == Replay.Step.UPDATE) && s == Status.OK) {
                checkBeforeCreate = false;
            }
            Replay.Step next = Replay.after(step, s, checkBeforeCreate, stale);
            return next == Replay.Step.FAILED ? Future.failedFuture(new ProtocolException(s, "sync to " + peerId
                    + " answered " + Status.name(s) + ": " + r)) : carry(e, next);
        });
    }

    private Future<Integer> call(Body body, int cmd) {
        return client.pipelined(Frames.request(cmd, body), MAX_REPLY).map(Reply::status);
    }

    /** A request followed by {@code length} bytes of the file from {@code offset}: from memory, or sendfile. */
    private Future<Integer> withContent(ContentRequest req, int cmd, LocalFiles.Local l, long offset, long length) {
        Buffer prefix = Frames.toBuffer(req.request(cmd));
        Future<Reply> reply = l.bytes() != null
                ? client.pipelined(prefix.appendBytes(l.bytes(), (int) offset, (int) length), MAX_REPLY)
                : client.callWithFile(prefix, l.path().toString(), offset, length, MAX_REPLY);
        return reply.map(r -> {
            owner.counters().add(Counter.TOTAL_SYNC_OUT_BYTES, length);
            if (r.ok()) {
                owner.counters().add(Counter.SUCCESS_SYNC_OUT_BYTES, length);
            }
            return r.status();
        });
    }

    private Future<Integer> expect(Future<Reply> reply, int cmd, int status) {
        return reply.compose(r -> r.status() == status ? Future.succeededFuture(r.status())
                : Future.failedFuture(new ProtocolException(r.status(), Cmd.name(cmd) + " to " + peerId + " answered "
                        + Status.name(r.status()))));
    }

    /** The file size in a QUERY_FILE_INFO reply; -1 when it holds none. */
    private static long peerSize(Reply reply) {
        if (!reply.ok()) {
            return -1;
        }
        try {
            return QueryFileInfoResponse.decode(reply.bodyBuffer()).fileSize();
        } catch (ProtocolException e) {
            return -1;
        }
    }

    /**
     * A file the current record needs is not here: removed later in the binlog (skip the record), left
     * behind by a crash between record and rename in an earlier run (skip), or recorded by its writer but not
     * yet renamed into place (try again shortly, for a while).
     */
    private Future<Boolean> absent(BinlogReader.Entry e, String name) {
        BinlogPosition at = e.after();
        if (!owner.startedAt().before(at)) {
            return Future.succeededFuture(false);
        }
        return owner.blocking(() -> lookahead.after(name, at)).compose(fate -> {
            if (fate == Lookahead.Fate.RENAMED && e.record().kind() != Binlog.CREATE) {
                // these bytes went along with the rename: the peer gets the renamed file whole
                staleBeforeRename.add(name);
            }
            if (fate != Lookahead.Fate.STAYS) {
                return Future.succeededFuture(false);
            }
            long now = System.nanoTime();
            if (waitingSince == 0) {
                waitingSince = now;
            } else if (now - waitingSince > PLACE_WAIT_NANOS) {
                LOG.log(System.Logger.Level.WARNING, "sync to " + peerId + ": " + name + " was recorded but never put"
                        + " in place; skipped: " + e.record());
                return Future.succeededFuture(false);
            }
            // the batch ends here; the next one, from the mark, looks at the file again
            return Future.failedFuture(NOT_YET);
        });
    }

    /** The local file as the batch saw it, or as it is now if the batch did not look at it. */
    private Future<LocalFiles.Local> local(String name) {
        if (files.known(name)) {
            try {
                return Future.succeededFuture(files.look(name));
            } catch (IOException | ProtocolException e) {
                return Future.failedFuture(e);
            }
        }
        LocalFiles batch = files;
        return owner.blocking(() -> batch.look(name));
    }

    /**
     * Nothing left to send: finish a full sync, tell the peer it is caught up (at most once a second: the
     * notice's time has that resolution) and save the mark now and then. A busy binlog sends its records
     * at once, without these extra steps in between.
     */
    private Future<Outcome> atEnd() {
        if (woken) {
            return Future.succeededFuture(Outcome.MORE);
        }
        long now = System.currentTimeMillis();
        boolean saveNow = mark.replayingOld() || (unsaved > 0 && now - lastMarkSave >= owner.heartBeatMillis());
        if (mark.replayingOld()) {
            mark = mark.oldDone();
            unsaved++;
            LOG.log(System.Logger.Level.INFO, "full sync to " + peerId + " done");
            reportPeer(StorageStatus.OFFLINE);
        }
        Future<Void> done = saveNow ? saveMark() : Future.succeededFuture();
        if (now - lastCaughtUp >= 1000) {
            lastCaughtUp = now;
            done = done.compose(v -> caughtUp());
        }
        return done.map(Outcome.IDLE);
    }

    /** Every local record older than a second ago has been sent (a record's time can precede its write). */
    private Future<Void> caughtUp() {
        FrameClient c = client;
        if (c == null || c.isClosed()) {
            return Future.succeededFuture();
        }
        if (!peerIsKfdfs) {
            return c.call(Buffer.buffer(Header.request(Cmd.ACTIVE_TEST, 0).toBytes()), 0).mapEmpty();
        }
        long until = System.currentTimeMillis() / 1000 - 1;
        return c.call(Frames.request(Cmd.KFDFS_SYNC_CAUGHT_UP, new SyncCaughtUp(until)), 0).map(reply -> {
            if (reply.status() == Status.EINVAL) {
                peerIsKfdfs = false;
            }
            return null;
        });
    }

    private Future<Void> saveMark() {
        SyncMark m = mark;
        long saving = unsaved;
        lastMarkSave = System.currentTimeMillis();
        return owner.<Void>blocking(() -> {
            m.save(markFile);
            return null;
        }).onSuccess(v -> unsaved -= saving);
    }

    /** A pass failed: the record at the mark is tried again, shortly or after a growing delay. */
    private void failed(Throwable cause) {
        if (cause == NOT_YET) {
            moveTo(State.BACKING_OFF, 5);
            return;
        }
        disconnect();
        if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException
                || cause instanceof FileChangedException) {
            // a local file was deleted or truncated while it was being sent: not the peer's fault, no back-off;
            // the record is skipped or sent with what the file holds now
            pass();
            return;
        }
        if (cause instanceof IOException || cause instanceof ProtocolException) {
            LOG.log(System.Logger.Level.INFO, "sync to " + peerId + " (" + peer.ip() + ":" + peer.port() + "): "
                    + cause.getMessage() + "; retrying in " + backoff + " ms");
        } else {
            LOG.log(System.Logger.Level.WARNING, "sync to " + peerId + " failed; retrying in " + backoff + " ms", cause);
        }
        moveTo(State.BACKING_OFF, backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }

    private void disconnect() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
