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
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pushes this storage's binlog to one peer of its group (PROTOCOL.md §9.4), on the replication context.
 * One connection, records in binlog order, so changes to one file arrive in the order they were made
 * (C's parallel workers reorder them, NOTES D3). Records whose reply settles them (creates, updates,
 * deletes, links: the bulk of a busy group's binlog) are pipelined, up to {@link #WINDOW} requests out
 * before their replies are back (the peer serves them in order); the mark moves over them in binlog order
 * as their replies come. A record whose reply may ask for more (an append, modify, truncate or rename:
 * the whole file after an ENOENT), or whose file the batch did not find, goes alone, once the records
 * before it are done, and the next waits for it: what it does next depends on the peer's answer. The
 * position is kept in the peer's mark file (§9.3): a restart resumes there, and records sent again are
 * harmless (receivers answer EEXIST/ENOENT).
 *
 * <p>At the end of the binlog the task sleeps until the binlog grows (no polling), and tells the peer it
 * is caught up, so the peer can report this source as synced up to now (§9.6 rule 3). A peer that is down
 * or refuses is retried with growing delays; nothing here ever waits for it on anyone else's behalf.
 *
 * <p>The full sync of a new member (§6.3) is driven from here when the trackers name this storage its
 * source: WAIT_SYNC → SYNCING, the whole binlog, then OFFLINE (the peer turns ACTIVE at its next beat).
 * It is driven again whenever the peer is seen waiting, so a tracker that lost those steps (NOTES C9)
 * does not leave the peer in WAIT_SYNC.
 */
final class PeerSync {

    private static final System.Logger LOG = System.getLogger(PeerSync.class.getName());
    private static final long MIN_BACKOFF_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /** A successful SYNC_RENAME_FILE reply of C 6.16.1 echoes the request (NOTES D1). */
    private static final long MAX_REPLY = 1024;

    /** How long a record may wait for its file to be put in place before it is given up. */
    private static final long PLACE_WAIT_NANOS = 10_000_000_000L;
    /** A record's file is recorded but not yet in place: try the record again shortly. */
    private static final Exception NOT_YET = new Exception("file not in place yet", null, false, false) { };
    /** Records in flight on the connection at most (a peer reads ahead 64 KiB of requests, then waits). */
    static final int WINDOW = 32;

    private enum Step { MORE, END, WAIT }

    private final Replication owner;
    final String peerId;
    private final Path markFile;
    private final Lookahead lookahead;
    private StorageBrief peer;
    private SyncMark mark;
    private boolean markLoaded;
    private long unsaved;
    private boolean sourceChecked;
    /** Bumped whenever the peer's source must be asked again, so an answer to an older question counts not. */
    private long sourceQuestion;
    private FrameClient client;
    private boolean busy;
    /** run() was called while busy: run again once the current pass ends (else a status change is lost). */
    private boolean rerun;
    private boolean stopped;
    private boolean idle;
    private boolean woken;
    private long lastCaughtUp;
    private long lastMarkSave;
    private long backoff = MIN_BACKOFF_MILLIS;
    private long retryTimer = -1;
    private long keepAliveTimer = -1;
    /** A C peer answers the caught-up notice EINVAL: it gets ACTIVE_TEST instead. */
    private boolean peerTakesNotice = true;
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
        if (changed || recheck) {
            cancelRetry();
            run();
        }
    }

    /**
     * Runs a task that waits for nothing: not busy, no retry or keep-alive due, its peer one to sync to.
     * Its peer's news (status, address) should have moved it on; this makes sure a missed one does not leave
     * it parked for good (found by the Kubernetes stand-in: a member replaced with a new IP was never synced
     * to again by its peers, now and then).
     */
    void nudge() {
        if (!idle && !busy && retryTimer < 0 && !stopped && syncable(peer.status())) {
            run();
        }
    }

    /** The binlog grew. */
    void wake() {
        woken = true;
        if (idle) {
            run();
        }
    }

    /** How far the peer has acknowledged this storage's binlog; null before the mark is known. */
    BinlogPosition acknowledged() {
        return mark == null ? null : mark.position();
    }

    StorageBrief peer() {
        return peer;
    }

    Future<Void> stop(boolean removeMark) {
        stopped = true;
        cancelRetry();
        cancelKeepAlive();
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

    void run() {
        if (stopped || retryTimer >= 0) {
            return;
        }
        if (busy) {
            rerun = true;
            return;
        }
        if (!syncable(peer.status())) {
            disconnect();
            return;
        }
        busy = true;
        idle = false;
        woken = false;
        cancelKeepAlive();
        prepare().compose(push -> push ? connected().compose(v -> pushSome()) : Future.succeededFuture(Step.WAIT))
                .onComplete(ar -> {
                    busy = false;
                    boolean again = rerun;
                    rerun = false;
                    if (stopped) {
                        return;
                    }
                    if (ar.failed() && ar.cause() == NOT_YET) {
                        retryIn(5);
                    } else if (ar.failed()) {
                        retryLater(ar.cause());
                    } else if (ar.result() == Step.MORE) {
                        run();
                    } else if (ar.result() == Step.END) {
                        reachedEnd();
                    } else {
                        disconnect();
                    }
                    if (again && !ar.failed() && ar.result() != Step.MORE) {
                        run();
                    }
                });
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
        }).onSuccess(v -> {
            mark = fresh;
            unsaved = 0;
            lookahead.restart();
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
     * Reads the next records, and in the same trip to the disk the files they need, then sends them; END
     * when there are none (known without reading when the mark is at the binlog's settled end).
     */
    private Future<Step> pushSome() {
        BinlogPosition from = mark.position();
        if (!from.before(owner.settled())) {
            return Future.succeededFuture(Step.END);
        }
        LocalFiles batch = new LocalFiles(owner::dataFile);
        return owner.blocking(() -> {
            List<BinlogReader.Entry> entries = owner.reader().read(from, owner.settled());
            for (BinlogReader.Entry e : entries) {
                BinlogRecord r = e.record();
                if (r != null && !r.name().isEmpty() && wanted(r) && carriesContent(r)) {
                    batch.look(r.name());
                }
            }
            return entries;
        }).compose(entries -> {
            if (entries.isEmpty()) {
                return Future.succeededFuture(Step.END);
            }
            files = batch;
            return send(entries).map(Step.MORE);
        });
    }

    private Future<Void> send(List<BinlogReader.Entry> entries) {
        Promise<Void> done = Promise.promise();
        new Batch(entries, done).pump();
        return done.future();
    }

    /**
     * The records of one batch on their way: each is sent once fewer than {@link #WINDOW} are in flight, in
     * binlog order; the mark moves over each once it and every record before it are done. A record that is
     * not {@linkplain #pipelinable pipelinable} goes alone.
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
            while (next < entries.size() && !stopped && !inOrder.failed()) {
                if (client == null || client.isClosed()) {
                    inOrder = Future.failedFuture(new IOException("connection to " + peerId + " closed"));
                    break;
                }
                BinlogReader.Entry e = entries.get(next);
                boolean alone = e.record() != null && wanted(e.record()) && !pipelinable(e.record());
                while (!window.isEmpty() && window.peek().isComplete()) {
                    window.poll();
                }
                if (window.size() >= WINDOW || alone && !window.isEmpty()) {
                    (alone ? inOrder : window.peek()).onComplete(ar -> pump());
                    return;
                }
                next++;
                Future<Boolean> sent = e.record() == null || !wanted(e.record()) ? Future.succeededFuture(false)
                        : send(e);
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

    /**
     * Whether a record may go out while the records before it wait for their replies: its one request is
     * queued at once and its reply settles it. Otherwise a reply (or a look down the binlog for a missing
     * file) decides what is sent next, and a later record sent meanwhile could overtake that.
     */
    private boolean pipelinable(BinlogRecord r) {
        return switch (r.kind()) {
            case Binlog.CREATE -> !checkBeforeCreate && files.present(r.name());
            case Binlog.RENAME -> !r.local() && !checkBeforeCreate && files.present(r.name());
            case Binlog.UPDATE -> files.present(r.name());
            case Binlog.DELETE -> true;
            case Binlog.LINK -> !r.name().isEmpty();
            default -> false;
        };
    }

    private Future<Void> advance(BinlogReader.Entry e, boolean sent) {
        waitingSince = 0;
        mark = mark.advanced(e.after(), sent);
        backoff = MIN_BACKOFF_MILLIS;
        lookahead.passed(e.after());
        return ++unsaved >= owner.writeMarkFreq() ? saveMark() : Future.succeededFuture();
    }

    private static boolean carriesContent(BinlogRecord r) {
        return switch (r.kind()) {
            case Binlog.CREATE, Binlog.UPDATE, Binlog.APPEND, Binlog.MODIFY -> true;
            case Binlog.RENAME -> !r.local();
            default -> false;
        };
    }

    /** §9.4 step 4: local records always; replicated ones only in a full sync, up to its cutoff. */
    private boolean wanted(BinlogRecord r) {
        if (r.local()) {
            return true;
        }
        return switch (r.kind()) {
            case Binlog.CREATE, Binlog.DELETE, Binlog.UPDATE, Binlog.LINK, Binlog.RENAME ->
                    mark.replayingOld() && r.timestamp() <= mark.until();
            default -> false;
        };
    }

    /**
     * Sends one record (§9.4 step 5); true if something went out, false if it was skipped. Its first request
     * is queued on the connection before this returns unless the batch did not find its file.
     */
    private Future<Boolean> send(BinlogReader.Entry e) {
        BinlogRecord r = e.record();
        return switch (r.kind()) {
            case Binlog.CREATE -> create(e, r.name(), r.timestamp());
            case Binlog.UPDATE -> whole(e, Cmd.SYNC_UPDATE_FILE, r.name(), r.timestamp());
            // sent even if the name exists again (a metadata file set anew): in order, the create that follows
            // brings the new content, where C's skip would leave the peer's old one
            case Binlog.DELETE -> settle(call(new SyncDeleteRequest(r.timestamp(), owner.group(), r.name()),
                    Cmd.SYNC_DELETE_FILE), r, Status.ENOENT);
            case Binlog.APPEND, Binlog.MODIFY -> range(e);
            case Binlog.TRUNCATE -> call(new SyncTruncateRequest(r.name(), r.first(), r.second(), r.timestamp(),
                    owner.group()), Cmd.SYNC_TRUNCATE_FILE).compose(status -> status == Status.ENOENT
                    ? whole(e, Cmd.SYNC_UPDATE_FILE, r.name(), r.timestamp()) : settle(status, r, Status.EEXIST));
            case Binlog.LINK -> link(r);
            case Binlog.RENAME -> r.local() ? rename(e) : create(e, r.name(), r.timestamp());
            default -> Future.succeededFuture(false);
        };
    }

    /**
     * 16 with the file as it is now; a file gone since is skipped (its delete follows). After an EEXIST
     * the peer is asked first (22): same size gets a record-only 16, another size the whole file as 18.
     */
    private Future<Boolean> create(BinlogReader.Entry e, String name, long timestamp) {
        if (!checkBeforeCreate) {
            return whole(e, Cmd.SYNC_CREATE_FILE, name, timestamp);
        }
        return local(name).compose(l -> {
            long size = l.size();
            if (size < 0) {
                return absent(e, name);
            }
            return client.call(Frames.toBuffer(new GroupFile(owner.group(), name).frame(Cmd.QUERY_FILE_INFO,
                    QueryFileInfoResponse.FLAG_NOT_CALC_CRC32)), MAX_REPLY).compose(reply -> {
                if (reply.status() == Status.ENOENT) {
                    return whole(e, Cmd.SYNC_CREATE_FILE, name, timestamp);
                }
                QueryFileInfoResponse info = decodeInfo(reply);
                if (info == null || info.fileSize() != size) {
                    return whole(e, Cmd.SYNC_UPDATE_FILE, name, timestamp);
                }
                SyncFileRequest recordOnly = new SyncFileRequest(name, size, timestamp, owner.group(), true);
                return settle(call(recordOnly, Cmd.SYNC_CREATE_FILE), "record-only create of " + name, Status.EEXIST);
            });
        });
    }

    /** 16 or 18 carrying the whole local file. */
    private Future<Boolean> whole(BinlogReader.Entry e, int cmd, String name, long timestamp) {
        return local(name).compose(l -> {
            if (l.size() < 0) {
                return absent(e, name);
            }
            SyncFileRequest req = new SyncFileRequest(name, l.size(), timestamp, owner.group(), false);
            return withContent(req, cmd, l, 0, l.size()).compose(status -> {
                if (status == Status.EEXIST && cmd == Cmd.SYNC_CREATE_FILE) {
                    checkBeforeCreate = true;
                } else if (status == Status.OK) {
                    checkBeforeCreate = false;
                }
                return settle(status, Cmd.name(cmd) + " " + name, Status.EEXIST);
            });
        });
    }

    /** 25 / 35 with the bytes as they are now; ENOENT (the peer lacks earlier bytes) sends the whole file. */
    private Future<Boolean> range(BinlogReader.Entry e) {
        BinlogRecord r = e.record();
        int cmd = r.kind() == Binlog.APPEND ? Cmd.SYNC_APPEND_FILE : Cmd.SYNC_MODIFY_FILE;
        return local(r.name()).compose(l -> {
            if (l.size() < 0) {
                return absent(e, r.name());
            }
            if (l.size() < r.first() + r.second()) {
                // truncated since: those bytes are gone, the whole file is the truth
                return whole(e, Cmd.SYNC_UPDATE_FILE, r.name(), r.timestamp());
            }
            SyncRangeRequest req = new SyncRangeRequest(r.name(), r.first(), r.second(), r.timestamp(), owner.group());
            return withContent(req, cmd, l, r.first(), r.second()).compose(status -> status == Status.ENOENT
                    ? whole(e, Cmd.SYNC_UPDATE_FILE, r.name(), r.timestamp()) : settle(status, r, Status.EEXIST));
        });
    }

    private Future<Boolean> link(BinlogRecord r) {
        if (r.name().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "binlog record without a link name (written by C 6.16.1, NOTES D9),"
                    + " skipped: " + r);
            return Future.succeededFuture(false);
        }
        return settle(call(new SyncLinkRequest(r.name(), r.other(), r.timestamp(), owner.group()), Cmd.SYNC_CREATE_LINK),
                r, Status.ENOENT);
    }

    /**
     * 40; a peer without the old name gets the new one whole (16), and so does a peer that missed changes
     * made to the file just before it was renamed.
     */
    private Future<Boolean> rename(BinlogReader.Entry e) {
        BinlogRecord r = e.record();
        return call(new SyncLinkRequest(r.name(), r.other(), r.timestamp(), owner.group()), Cmd.SYNC_RENAME_FILE)
                .compose(status -> status == Status.ENOENT ? create(e, r.name(), r.timestamp())
                        : settle(status, r, Status.EEXIST))
                .compose(sent -> staleBeforeRename.remove(r.other())
                        ? whole(e, Cmd.SYNC_UPDATE_FILE, r.name(), r.timestamp()) : Future.succeededFuture(sent));
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

    private Future<Boolean> settle(Future<Integer> status, Object what, int alsoDone) {
        return status.compose(s -> settle(s, what, alsoDone));
    }

    /**
     * OK and the status that means "already so" are done; EINVAL means the peer cannot take this record
     * at all (it is skipped with a warning, never retried for ever); anything else (a full disk, an I/O
     * error) is retried later.
     */
    private Future<Boolean> settle(int status, Object what, int alsoDone) {
        if (status == Status.OK || status == alsoDone) {
            return Future.succeededFuture(true);
        }
        if (status == Status.EINVAL) {
            LOG.log(System.Logger.Level.WARNING, "sync to " + peerId + " refused (EINVAL), skipped: " + what);
            return Future.succeededFuture(true);
        }
        return Future.failedFuture(new ProtocolException(status, "sync to " + peerId + " answered "
                + Status.name(status) + ": " + what));
    }

    private Future<Integer> expect(Future<Reply> reply, int cmd, int status) {
        return reply.compose(r -> r.status() == status ? Future.succeededFuture(r.status())
                : Future.failedFuture(new ProtocolException(r.status(), Cmd.name(cmd) + " to " + peerId + " answered "
                        + Status.name(r.status()))));
    }

    private static QueryFileInfoResponse decodeInfo(Reply reply) {
        if (!reply.ok()) {
            return null;
        }
        try {
            return QueryFileInfoResponse.decode(reply.bodyBuffer());
        } catch (ProtocolException e) {
            return null;
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
     * notice's time has that resolution), save the mark now and then, and wait for the binlog to grow. A
     * busy binlog sends its records at once, without these extra steps in between.
     */
    private void reachedEnd() {
        if (woken) {
            run();
            return;
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
        done.onComplete(ar -> {
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                retryLater(ar.cause());
                return;
            }
            if (woken) {
                run();
                return;
            }
            idle = true;
            keepAliveTimer = owner.vertx().setTimer(owner.heartBeatMillis(), id -> {
                keepAliveTimer = -1;
                if (idle) {
                    run();
                }
            });
        });
    }

    /** Every local record older than a second ago has been sent (a record's time can precede its write). */
    private Future<Void> caughtUp() {
        FrameClient c = client;
        if (c == null || c.isClosed()) {
            return Future.succeededFuture();
        }
        if (!peerTakesNotice) {
            return c.call(Buffer.buffer(Header.request(Cmd.ACTIVE_TEST, 0).toBytes()), 0).mapEmpty();
        }
        long until = System.currentTimeMillis() / 1000 - 1;
        return c.call(Frames.request(Cmd.KFDFS_SYNC_CAUGHT_UP, new SyncCaughtUp(until)), 0).map(reply -> {
            if (reply.status() == Status.EINVAL) {
                peerTakesNotice = false;
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

    private void retryLater(Throwable cause) {
        disconnect();
        if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException
                || cause instanceof FileChangedException) {
            // a local file was deleted or truncated while it was being sent: not the peer's fault, no back-off;
            // the record is skipped or sent with what the file holds now
            run();
            return;
        }
        if (cause instanceof IOException || cause instanceof ProtocolException) {
            LOG.log(System.Logger.Level.INFO, "sync to " + peerId + " (" + peer.ip() + ":" + peer.port() + "): "
                    + cause.getMessage() + "; retrying in " + backoff + " ms");
        } else {
            LOG.log(System.Logger.Level.WARNING, "sync to " + peerId + " failed; retrying in " + backoff + " ms", cause);
        }
        retryIn(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }

    private void retryIn(long millis) {
        retryTimer = owner.vertx().setTimer(millis, id -> {
            retryTimer = -1;
            run();
        });
    }

    private void cancelRetry() {
        if (retryTimer >= 0) {
            owner.vertx().cancelTimer(retryTimer);
            retryTimer = -1;
        }
    }

    private void cancelKeepAlive() {
        if (keepAliveTimer >= 0) {
            owner.vertx().cancelTimer(keepAliveTimer);
            keepAliveTimer = -1;
        }
    }

    private void disconnect() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
