package io.kfdfs.storage.sync;

import io.kfdfs.pod.Answer;
import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.ReportServerIdRequest;
import io.kfdfs.protocol.storage.SyncCaughtUp;
import io.kfdfs.protocol.storage.SyncDeleteRequest;
import io.kfdfs.protocol.storage.SyncFileRequest;
import io.kfdfs.protocol.storage.SyncLinkRequest;
import io.kfdfs.protocol.storage.SyncRangeRequest;
import io.kfdfs.protocol.storage.SyncTruncateRequest;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.storage.commands.ContentWriter;
import io.kfdfs.storage.commands.Replies;
import io.kfdfs.storage.commands.StorageContext;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.Reservation;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.kfdfs.storage.sync.SyncProgress;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The receiving side of replication (docs/protocol.md §4.13): a peer's REPORT_SERVER_ID (9) and its sync
 * commands 16, 17, 18, 19, 25, 35, 37, 40, plus kfdfs's caught-up notice. Each change is applied as the C
 * storage applies it, so a record sent twice (after a reconnect) does no harm: the repeat is answered
 * EEXIST or ENOENT, which senders count as done. Applied changes are written to the binlog in lowercase
 * with the origin's timestamp, never pushed on (only a full sync forwards them).
 *
 * <p>Sync commands may arrive on connections that never sent 9 (C's parallel sync workers, testdata/vectors/NOTES.md D2):
 * they are applied all the same; only the per-source progress needs to know the source.
 */
public final class SyncCommands {

    private static final System.Logger LOG = System.getLogger(SyncCommands.class.getName());

    private final StorageContext ctx;
    private final SyncProgress progress;
    private final long peerBinlogBuffer;

    /** @param peerBinlogBuffer seconds a C peer may hold a record before its binlog file has it */
    public SyncCommands(StorageContext ctx, SyncProgress progress, long peerBinlogBuffer) {
        this.ctx = ctx;
        this.progress = progress;
        this.peerBinlogBuffer = peerBinlogBuffer;
    }

    /** 9: who is sending; the sync commands that follow on this connection come from that storage. */
    public void reportServerId(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        conn.attach(ReportServerIdRequest.decode(in).storageId());
        Replies.ok(conn);
    }

    public void caughtUp(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncCaughtUp notice = SyncCaughtUp.decode(in);
        String source = conn.attachment();
        if (source == null) {
            throw ProtocolException.invalid("caught-up notice on a connection without REPORT_SERVER_ID");
        }
        progress.received(source, notice.timestamp());
        Replies.ok(conn);
    }

    /**
     * ACTIVE_TEST on a sync connection: a C source sends it only from the end of its binlog file, once a
     * heartbeat interval has passed with nothing to send (storage_sync.c, at read ENOENT), so it has sent every
     * record of that file. A C storage holds a record up to its sync_binlog_buff_interval before the file has
     * it (docs/migration.md asks for 1 s in every member; C's and this storage's default is 60), taken here to
     * be this storage's own: every record older than that before now has arrived, the C counterpart of 240. Without it, what a member received from a quiet C source stayed at
     * that source's last record, older than its last change (C stamps an upload's record with its start and
     * its last change with its end), and migrate status never said yes.
     */
    public void sourceIdle(FrameConnection conn) {
        String source = conn.attachment();
        if (source != null) {
            progress.received(source, System.currentTimeMillis() / 1000 - peerBinlogBuffer);
        }
    }

    /** 16 / 18 with the content streamed: a CREATE finding a regular file of that size keeps it (EEXIST). */
    public void file(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        ByteBuffer in = Frames.byteBuffer(prefix);
        SyncFileRequest req;
        RemoteFilename name;
        StorePath path;
        try {
            req = SyncFileRequest.decode(in, h.bodyLength(), h.status());
            name = name(req.group(), req.filename());
            path = ctx.store.pathOf(name);
        } catch (ProtocolException e) {
            Replies.fail(conn, h.cmd(), e);
            return;
        }
        String source = conn.attachment();
        if (req.recordOnly()) {
            // C's sender checked with QUERY_FILE_INFO that we have the file: nothing to write
            applied(conn, source, req.timestamp(), 0, Status.EEXIST);
            return;
        }
        boolean update = h.cmd() == Cmd.SYNC_UPDATE_FILE;
        Buffer head = prefix.getBuffer(in.position(), prefix.length());
        ctx.serialized(name.text(), () -> ctx.blocking(() -> {
                    Target target = target(update, name, req.fileSize());
                    return target == Target.KEEP ? null : new Claim(target, ctx.store.reserveIn(path, req.fileSize()));
                })
                .compose(claim -> claim == null ? Future.succeededFuture(Status.EEXIST)
                        : ContentWriter.toTempFile(ctx, path, head, rest)
                                .compose(rcv -> ctx.blocking(() -> place(rcv.temp(), update, name, req.timestamp(),
                                        claim.target() == Target.FRESH)))
                                .andThen(x -> claim.room().release())))
                .onSuccess(status -> applied(conn, source, req.timestamp(), status == Status.OK ? req.fileSize() : 0, status))
                .onFailure(e -> failed(conn, h.cmd(), req.fileSize(), e));
    }

    /** 16 / 18 whose content came with the request (up to buff_size): one trip to the disk. */
    public void smallFile(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncFileRequest req = SyncFileRequest.decode(in, h.status());
        RemoteFilename name = name(req.group(), req.filename());
        StorePath path = ctx.store.pathOf(name);
        String source = conn.attachment();
        if (req.recordOnly()) {
            applied(conn, source, req.timestamp(), 0, Status.EEXIST);
            return;
        }
        boolean update = h.cmd() == Cmd.SYNC_UPDATE_FILE;
        ByteBuffer content = in.slice();
        Answer answer = conn.replyLater();
        ctx.serialized(name.text(), () -> ctx.blocking(() -> {
            Target target = target(update, name, req.fileSize());
            if (target == Target.KEEP) {
                return Status.EEXIST;
            }
            Reservation room = ctx.store.reserveIn(path, req.fileSize());
            Path temp = Store.tempFile(path);
            try {
                write(temp, 0, content, StandardOpenOption.CREATE_NEW);
                return place(temp, update, name, req.timestamp(), target == Target.FRESH);
            } catch (Exception e) {
                Files.deleteIfExists(temp); // a write that failed (place removes its own leftovers)
                throw e;
            } finally {
                room.release();
            }
        })).onSuccess(status -> applied(answer, source, req.timestamp(), status == Status.OK ? req.fileSize() : 0, status))
                .onFailure(e -> failed(answer, h.cmd(), req.fileSize(), e));
    }

    /** What a received copy finds where it is to go. */
    private enum Target { FRESH, KEEP, REPLACE }

    private record Claim(Target target, Reservation room) {
    }

    /**
     * A CREATE keeps a regular file of the same size (C: the copy is already there). Most copies are new:
     * File.exists answers that with one stat and no exception (NIO's lstat of a missing file builds a
     * NoSuchFileException with its stack trace, a good part of a small file's cost here).
     */
    private Target target(boolean update, RemoteFilename name, long size) throws Exception {
        Path file = ctx.store.dataFile(name);
        if (!file.toFile().exists()) {
            // missing, or a slave link whose target is gone: replaced all the same (counted as new)
            return Target.FRESH;
        }
        if (update) {
            return Target.REPLACE;
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isRegularFile() && a.size() == size ? Target.KEEP : Target.REPLACE;
    }

    /**
     * The received copy gets the origin's time, is recorded ({@code c}/{@code u}) and renamed into place; the
     * temporary file is removed if it did not get there.
     */
    private int place(Path temp, boolean update, RemoteFilename name, long timestamp, boolean fresh) throws Exception {
        boolean moved = false;
        try {
            // java.io's utimes by name: NIO's setLastModifiedTime opens the file for futimens and closes it again
            if (!temp.toFile().setLastModified(timestamp * 1000)) {
                throw new IOException("could not set the time of " + temp);
            }
            // a full sync this storage drives may send the record: not before the new content is in place
            Binlog.Pending recorded = ctx.binlog.appendPending(timestamp, update ? 'u' : 'c', name.text());
            try {
                Files.move(temp, ctx.store.dataFile(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            } finally {
                recorded.close();
            }
            if (fresh) {
                ctx.store.fileCounts().created(name);
            }
            return Status.OK;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** 25 / 35 with the content streamed: a range applied only where it fits (§4.13); else EEXIST or ENOENT. */
    public void range(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        ByteBuffer in = Frames.byteBuffer(prefix);
        SyncRangeRequest req;
        RemoteFilename name;
        try {
            req = SyncRangeRequest.decode(in, h.bodyLength());
            name = name(req.group(), req.filename());
            ctx.store.pathOf(name);
        } catch (ProtocolException e) {
            Replies.fail(conn, h.cmd(), e);
            return;
        }
        boolean append = h.cmd() == Cmd.SYNC_APPEND_FILE;
        String source = conn.attachment();
        Buffer head = prefix.getBuffer(in.position(), prefix.length());
        ctx.serialized(name.text(), () -> ctx.blocking(() -> fit(append, name, req))
                .compose(fit -> fit.status() != Status.OK ? Future.succeededFuture(fit.status())
                        : ContentWriter.intoFile(ctx, fit.file(), req.offset(), head, rest)
                                .compose(x -> ctx.blocking(() -> recordRange(append, name, req)))
                                .andThen(x -> fit.room().release())))
                .onSuccess(status -> applied(conn, source, req.timestamp(), status == Status.OK ? req.length() : 0, status))
                .onFailure(e -> failed(conn, h.cmd(), req.length(), e));
    }

    /** 25 / 35 whose content came with the request: one trip to the disk. */
    public void smallRange(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncRangeRequest req = SyncRangeRequest.decode(in);
        RemoteFilename name = name(req.group(), req.filename());
        ctx.store.pathOf(name);
        boolean append = h.cmd() == Cmd.SYNC_APPEND_FILE;
        String source = conn.attachment();
        ByteBuffer content = in.slice();
        ctx.serialized(name.text(), () -> ctx.blocking(() -> {
            Fit fit = fit(append, name, req);
            if (fit.status() != Status.OK) {
                return fit.status();
            }
            try {
                write(fit.file(), req.offset(), content, StandardOpenOption.WRITE);
                return recordRange(append, name, req);
            } finally {
                fit.room().release();
            }
        })).onSuccess(status -> applied(conn, source, req.timestamp(), status == Status.OK ? req.length() : 0, status))
                .onFailure(e -> failed(conn, h.cmd(), req.length(), e));
    }

    /** Whether a range fits the local file: append at its end, modify within it; else EEXIST or ENOENT. */
    private Fit fit(boolean append, RemoteFilename name, SyncRangeRequest req) throws Exception {
        Path file = ctx.store.dataFile(name);
        long size = Files.isRegularFile(file) ? Files.size(file) : -1;
        if (size < 0) {
            return new Fit(Status.ENOENT, file, null);
        }
        if (append ? size == req.offset() : size >= req.offset()) {
            long growth = Math.max(0, req.offset() + req.length() - size);
            return new Fit(Status.OK, file, ctx.store.reserveIn(ctx.store.pathOf(name), growth));
        }
        return new Fit(size < req.offset() + req.length() ? Status.ENOENT : Status.EEXIST, file, null);
    }

    /** The copy takes the origin's time (as C's receiver does), then the change is recorded. */
    private int recordRange(boolean append, RemoteFilename name, SyncRangeRequest req) throws Exception {
        Files.setLastModifiedTime(ctx.store.dataFile(name), FileTime.fromMillis(req.timestamp() * 1000));
        ctx.binlog.append(req.timestamp(), append ? 'a' : 'm', name.text(), req.offset() + " " + req.length());
        return Status.OK;
    }

    /** Writes {@code content} at {@code position}, forced to disk when {@code fsync_after_written_bytes} asks. */
    private void write(Path file, long position, ByteBuffer content, StandardOpenOption mode) throws Exception {
        try (FileChannel ch = FileChannel.open(file, mode, StandardOpenOption.WRITE)) {
            ByteBuffer b = content.duplicate();
            long at = position;
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            if (ctx.fsyncEvery > 0) {
                ch.force(false);
            }
        }
    }

    private record Fit(int status, Path file, Reservation room) {
    }

    public void delete(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncDeleteRequest req = SyncDeleteRequest.decode(in);
        RemoteFilename name = name(req.group(), req.filename());
        String source = conn.attachment();
        finish(conn, Cmd.SYNC_DELETE_FILE, source, req.timestamp(), ctx.serialized(name.text(), () -> ctx.blocking(() -> {
            Path file = ctx.store.dataFile(name);
            // File.exists first: one stat, no exception (a slave link whose target went first fails it)
            if (!file.toFile().exists() && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return Status.ENOENT;
            }
            ctx.binlog.append(req.timestamp(), 'd', name.text());
            Files.delete(file);
            ctx.store.fileCounts().deleted(name);
            return Status.OK;
        })));
    }

    public void truncate(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncTruncateRequest req = SyncTruncateRequest.decode(in);
        RemoteFilename name = name(req.group(), req.filename());
        String source = conn.attachment();
        finish(conn, Cmd.SYNC_TRUNCATE_FILE, source, req.timestamp(), ctx.serialized(name.text(), () -> ctx.blocking(() -> {
            Path file = ctx.store.dataFile(name);
            if (!Files.exists(file)) {
                return Status.ENOENT;
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile() || a.size() != req.oldSize()) {
                return Status.EEXIST;
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(req.newSize());
            }
            Files.setLastModifiedTime(file, FileTime.fromMillis(req.timestamp() * 1000));
            ctx.binlog.append(req.timestamp(), 't', name.text(), req.oldSize() + " " + req.newSize());
            return Status.OK;
        })));
    }

    /** 19: the link is made if missing and its target exists; an existing link is fine. */
    public void link(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncLinkRequest req = SyncLinkRequest.decode(in);
        RemoteFilename link = name(req.group(), req.dest());
        RemoteFilename target = RemoteFilename.parse(req.source());
        String source = conn.attachment();
        finish(conn, Cmd.SYNC_CREATE_LINK, source, req.timestamp(), ctx.serialized(link.text(), () -> ctx.blocking(() -> {
            Path linkFile = ctx.store.dataFile(link);
            Path targetFile = ctx.store.dataFile(target);
            if (Files.exists(linkFile, LinkOption.NOFOLLOW_LINKS)) {
                return Status.OK;
            }
            if (!Files.exists(targetFile)) {
                return Status.ENOENT;
            }
            ctx.binlog.append(req.timestamp(), 'l', link.text(), target.text());
            Files.createSymbolicLink(linkFile, linkFile.getParent().relativize(targetFile));
            ctx.store.fileCounts().created(link);
            return Status.OK;
        })));
    }

    /** 40: header-only reply on success (C 6.16.1 echoes the request, testdata/vectors/NOTES.md D1). */
    public void rename(FrameConnection conn, Header h, ByteBuffer in) throws ProtocolException {
        SyncLinkRequest req = SyncLinkRequest.decode(in);
        RemoteFilename fresh = name(req.group(), req.dest());
        RemoteFilename old = RemoteFilename.parse(req.source());
        String source = conn.attachment();
        finish(conn, Cmd.SYNC_RENAME_FILE, source, req.timestamp(), ctx.serialized(old.text(), () -> ctx.blocking(() -> {
            Path to = ctx.store.dataFile(fresh);
            Path from = ctx.store.dataFile(old);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                return Status.EEXIST;
            }
            if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                return Status.ENOENT;
            }
            ctx.binlog.append(req.timestamp(), 'r', fresh.text(), old.text());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return Status.OK;
        })));
    }

    /** Applies a buffered record while the records after it are read and started ({@link FrameConnection#replyLater}). */
    private void finish(FrameConnection conn, int cmd, String source, long timestamp, Future<Integer> result) {
        Answer answer = conn.replyLater();
        result.onSuccess(status -> applied(answer, source, timestamp, 0, status))
                .onFailure(e -> failed(answer, cmd, 0, e));
    }

    /**
     * A record is done with (applied, or found applied already): the source's progress moves on once the
     * reply has gone out, after those of the records before it, which may still be under way.
     */
    private void applied(Answer answer, String source, long timestamp, long bytes, int status) {
        ctx.counters.add(Counter.TOTAL_SYNC_IN_BYTES, bytes);
        ctx.counters.add(Counter.SUCCESS_SYNC_IN_BYTES, bytes);
        if (status == Status.OK) {
            ctx.counters.set(Counter.LAST_SYNC_UPDATE, StorageContext.now());
        }
        answer.reply(status == Status.OK ? Frames.ok() : Frames.error(status),
                source == null ? null : () -> progress.received(source, timestamp));
    }

    private void failed(Answer conn, int cmd, long bytes, Throwable e) {
        ctx.counters.add(Counter.TOTAL_SYNC_IN_BYTES, bytes);
        LOG.log(System.Logger.Level.DEBUG, () -> Cmd.name(cmd) + " from " + conn.remoteAddress() + " failed: " + e);
        Replies.fail(conn, cmd, e);
    }

    /** Validates the group (EINVAL if it is not ours) and the file name. */
    private RemoteFilename name(String group, String filename) throws ProtocolException {
        if (!group.equals(ctx.identity.group())) {
            throw ProtocolException.invalid("group " + group + " is not this storage's group " + ctx.identity.group());
        }
        return RemoteFilename.parse(filename);
    }
}
