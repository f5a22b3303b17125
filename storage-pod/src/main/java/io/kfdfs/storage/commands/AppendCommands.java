package io.kfdfs.storage.commands;

import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.storage.AppendFileRequest;
import io.kfdfs.protocol.storage.ModifyFileRequest;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.storage.store.AppenderFiles;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.DataFiles;
import io.kfdfs.storage.store.Reservation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;

/**
 * APPEND_FILE (24) and MODIFY_FILE (34): content written into an existing appender file. Operations on
 * one file run one after the other; an append the client abandons is cut back to the old size.
 */
public final class AppendCommands {

    private final StorageContext ctx;

    public AppendCommands(StorageContext ctx) {
        this.ctx = ctx;
    }

    private record Target(DataFiles.Stat stat, Reservation room) {
    }

    public void append(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        ByteBuffer in = Frames.byteBuffer(prefix);
        AppendFileRequest req;
        RemoteFilename name;
        try {
            req = AppendFileRequest.decode(in, h.bodyLength());
            name = RemoteFilename.parse(req.filename());
            AppenderFiles.requireAppender(name);
        } catch (ProtocolException e) {
            done(conn, h, Counter.TOTAL_APPEND_COUNT, 0, e);
            return;
        }
        Buffer head = prefix.getBuffer(in.position(), prefix.length());
        ctx.serialized(name.text(), () -> ctx.blocking(() -> target(name, req.length()))
                        .compose(t -> req.length() == 0 ? release(t)
                                : ctx.blocking(() -> record(Binlog.APPEND, name, t.stat().size(), req.length()))
                                .compose(pending -> ContentWriter.intoFile(ctx, t.stat().path(), t.stat().size(), head, rest)
                                        .recover(e -> ctx.blocking(() -> cutBack(t.stat())).transform(x -> Future.failedFuture(e)))
                                        .andThen(x -> pending.close()).<Void>mapEmpty())
                                .andThen(x -> t.room().release())))
                .onSuccess(x -> {
                    done(conn, h, Counter.TOTAL_APPEND_COUNT, req.length(), null);
                    Replies.ok(conn);
                })
                .onFailure(e -> done(conn, h, Counter.TOTAL_APPEND_COUNT, req.length(), e));
    }

    public void modify(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        ByteBuffer in = Frames.byteBuffer(prefix);
        ModifyFileRequest req;
        RemoteFilename name;
        try {
            req = ModifyFileRequest.decode(in, h.bodyLength());
            name = RemoteFilename.parse(req.filename());
            AppenderFiles.requireAppender(name);
        } catch (ProtocolException e) {
            done(conn, h, Counter.TOTAL_MODIFY_COUNT, 0, e);
            return;
        }
        Buffer head = prefix.getBuffer(in.position(), prefix.length());
        ctx.serialized(name.text(), () -> ctx.blocking(() -> {
                    DataFiles.Stat st = ctx.files.stat(name);
                    if (req.offset() > st.size()) {
                        throw ProtocolException.invalid("modify offset " + req.offset() + " beyond the size " + st.size()
                                + " of " + name);
                    }
                    long growth = Math.max(0, req.offset() + req.length() - st.size());
                    return new Target(st, ctx.store.reserveIn(ctx.store.pathOf(name), growth));
                })
                .compose(t -> ctx.blocking(() -> record(Binlog.MODIFY, name, req.offset(), req.length()))
                        .compose(pending -> ContentWriter.intoFile(ctx, t.stat().path(), req.offset(), head, rest)
                                .andThen(x -> pending.close()))
                        .andThen(x -> t.room().release())))
                .onSuccess(x -> {
                    done(conn, h, Counter.TOTAL_MODIFY_COUNT, req.length(), null);
                    Replies.ok(conn);
                })
                .onFailure(e -> done(conn, h, Counter.TOTAL_MODIFY_COUNT, req.length(), e));
    }

    private Target target(RemoteFilename name, long length) throws Exception {
        DataFiles.Stat st = ctx.files.stat(name);
        return new Target(st, ctx.store.reserveIn(ctx.store.pathOf(name), length));
    }

    private static Future<Void> release(Target t) {
        t.room().release();
        return Future.succeededFuture();
    }

    private Void cutBack(DataFiles.Stat before) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(before.path().toFile(), "rw")) {
            f.setLength(before.size());
        }
        return null;
    }

    /**
     * {@code A|M <name> <offset> <length>}, written before the bytes and held back from the senders until
     * they are written (closing the returned record): a storage killed in between has a record for bytes
     * that may be partly there, which its senders send as the file is, where bytes written before their
     * record would be on this storage only, for good.
     */
    private Binlog.Pending record(char op, RemoteFilename name, long offset, long length) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        Binlog.Pending pending = ctx.binlog.appendPending(now, op, name.text(), offset + " " + length);
        ctx.counters.set(Counter.LAST_SOURCE_UPDATE, now);
        return pending;
    }

    private void done(FrameConnection conn, Header h, Counter total, long bytes, Throwable failure) {
        boolean append = total == Counter.TOTAL_APPEND_COUNT;
        ctx.counters.count(total, append ? Counter.SUCCESS_APPEND_COUNT : Counter.SUCCESS_MODIFY_COUNT, failure == null);
        ctx.counters.add(append ? Counter.TOTAL_APPEND_BYTES : Counter.TOTAL_MODIFY_BYTES, bytes);
        if (failure == null) {
            ctx.counters.add(append ? Counter.SUCCESS_APPEND_BYTES : Counter.SUCCESS_MODIFY_BYTES, bytes);
        } else {
            Replies.fail(conn, h.cmd(), failure);
        }
    }
}
