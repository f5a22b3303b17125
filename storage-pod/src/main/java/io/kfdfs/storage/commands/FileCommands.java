package io.kfdfs.storage.commands;

import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.storage.TruncateFileRequest;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.storage.store.Crc;
import io.kfdfs.storage.store.DataFiles;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * The storage commands whose request fits in one buffer: delete (12), set/get metadata (13/15),
 * download (14), file info (22), truncate (36) and regenerate (38).
 */
public final class FileCommands {

    private final StorageContext ctx;

    public FileCommands(StorageContext ctx) {
        this.ctx = ctx;
    }

    public void delete(FrameConnection conn, Header h, ByteBuffer in) {
        finish(conn, Cmd.DELETE_FILE, () -> {
            GroupFile req = GroupFile.decode(in);
            RemoteFilename name = name(req.group(), req.filename());
            return ctx.serialized(name.text(), () -> ctx.blocking(() -> {
                ctx.files.delete(name, StorageContext.now());
                return Frames.ok();
            }));
        });
    }

    public void setMetadata(FrameConnection conn, Header h, ByteBuffer in) {
        finish(conn, Cmd.SET_METADATA, () -> {
            SetMetadataRequest req = SetMetadataRequest.decode(in);
            RemoteFilename name = name(req.group(), req.filename());
            return ctx.serialized(name.text(), () -> ctx.blocking(() -> {
                ctx.metadata.set(name, req.flag(), req.metadata(), StorageContext.now());
                return Frames.ok();
            }));
        });
    }

    public void getMetadata(FrameConnection conn, Header h, ByteBuffer in) {
        finish(conn, Cmd.GET_METADATA, () -> {
            GroupFile req = GroupFile.decode(in);
            RemoteFilename name = name(req.group(), req.filename());
            return ctx.blocking(() -> {
                byte[] packed = ctx.metadata.get(name);
                return Buffer.buffer(Header.response(packed.length).toBytes()).appendBytes(packed);
            });
        });
    }

    /**
     * §4.5: {@code offset >= size} is EINVAL, except that an empty file downloads as an empty success
     * (C 6.15.4+ refuses it, which breaks clients that download whatever they uploaded); the length is
     * clamped to the end. Up to {@link #INLINE_DOWNLOAD} bytes are read with the stat, in one trip to a
     * worker, and go out with the header in one write; larger ranges go out with sendFile.
     */
    public void download(FrameConnection conn, Header h, ByteBuffer in) {
        DownloadRequest req;
        RemoteFilename name;
        try {
            req = DownloadRequest.decode(in);
            name = name(req.group(), req.filename());
        } catch (ProtocolException e) {
            count(Cmd.DOWNLOAD_FILE, false);
            Replies.fail(conn, Cmd.DOWNLOAD_FILE, e);
            return;
        }
        ctx.blocking(() -> prepareDownload(name, req)).onComplete(ar -> {
            if (ar.failed()) {
                count(Cmd.DOWNLOAD_FILE, false);
                Replies.fail(conn, Cmd.DOWNLOAD_FILE, ar.cause());
                return;
            }
            Download d = ar.result();
            if (d.frame() != null) {
                downloaded(d.length());
                conn.reply(d.frame());
                return;
            }
            conn.write(Buffer.buffer(Header.response(d.length()).toBytes()));
            conn.sendFile(d.file(), req.offset(), d.length()).onSuccess(v -> {
                downloaded(d.length());
                conn.done();
            }).onFailure(e -> {
                // the header is out: the client learns of the failure from a short read
                count(Cmd.DOWNLOAD_FILE, false);
                conn.close();
            });
        });
    }

    /** Bytes of a download read into memory rather than sent from the file: C's default buff_size. */
    public static final int INLINE_DOWNLOAD = 256 * 1024;

    /** A download's whole reply ({@code frame}), or the open file whose range goes after a header. */
    private record Download(ByteBuf frame, FileChannel file, long length) {
    }

    /** Stat, range check and, for a small range, the reply itself. Blocking. */
    private Download prepareDownload(RemoteFilename name, DownloadRequest req) throws ProtocolException, IOException {
        DataFiles.Stat st = ctx.files.stat(name);
        if (req.offset() >= st.size() && !(st.size() == 0 && req.offset() == 0)) {
            throw ProtocolException.invalid("download offset " + req.offset() + " >= size " + st.size() + " of "
                    + name);
        }
        long remaining = st.size() - req.offset();
        long length = req.length() == 0 ? remaining : Math.min(req.length(), remaining);
        if (length > INLINE_DOWNLOAD) {
            // opened here, off the event loop; a delete from now on does not cut the download short
            return new Download(null, FileChannel.open(st.path(), StandardOpenOption.READ), length);
        }
        // a pooled direct buffer: the file is read straight into it and the socket writes it as it is
        // (a heap buffer costs a zeroed array, a temporary direct copy on read and another on write)
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(Header.SIZE + (int) length);
        boolean read = false;
        try (FileChannel file = FileChannel.open(st.path(), StandardOpenOption.READ)) {
            frame.writeBytes(Header.response(length).toBytes());
            ByteBuffer body = frame.nioBuffer(Header.SIZE, (int) length);
            while (body.hasRemaining()) {
                if (file.read(body, req.offset() + body.position()) < 0) {
                    throw new IOException(name + " shrank to " + (req.offset() + body.position())
                            + " bytes while being read");
                }
            }
            frame.writerIndex(Header.SIZE + (int) length);
            read = true;
        } finally {
            if (!read) {
                frame.release();
            }
        }
        return new Download(frame, null, length);
    }

    private void downloaded(long length) {
        count(Cmd.DOWNLOAD_FILE, true);
        ctx.counters.add(Counter.TOTAL_DOWNLOAD_BYTES, length);
        ctx.counters.add(Counter.SUCCESS_DOWNLOAD_BYTES, length);
    }

    /**
     * §4.7: size and time from the file; the CRC from the name for normal files, computed for appender
     * and slave files unless flag 1 says not to (then 0); the source IP from the name.
     */
    public void queryFileInfo(FrameConnection conn, Header h, ByteBuffer in) {
        int flags = h.status();
        finish(conn, Cmd.QUERY_FILE_INFO, () -> {
            GroupFile req = GroupFile.decode(in);
            RemoteFilename name = name(req.group(), req.filename());
            FileInfo info = FileInfo.decode(name);
            FileName.Block block = FileName.blockOf(name);
            return ctx.blocking(() -> {
                DataFiles.Stat st = ctx.files.stat(name);
                int crc = info.type() == FileInfo.Type.NORMAL ? info.crc32()
                        : (flags & QueryFileInfoResponse.FLAG_NOT_CALC_CRC32) != 0 ? 0 : Crc.of(st.path());
                return Frames.response(new QueryFileInfoResponse(st.size(), st.mtime(), crc,
                        ctx.identity.sourceIp(block), ctx.identity.responseIpSize()));
            });
        });
    }

    public void truncate(FrameConnection conn, Header h, ByteBuffer in) {
        finish(conn, Cmd.TRUNCATE_FILE, () -> {
            TruncateFileRequest req = TruncateFileRequest.decode(in);
            RemoteFilename name = RemoteFilename.parse(req.filename());
            return ctx.serialized(name.text(), () -> ctx.blocking(() -> {
                ctx.appenders.truncate(name, req.newSize(), StorageContext.now());
                return Frames.ok();
            }));
        });
    }

    public void regenerate(FrameConnection conn, Header h, ByteBuffer in) {
        finish(conn, Cmd.REGENERATE_APPENDER_FILENAME, () -> {
            int source = ctx.identity.nameSource();
            RemoteFilename name = RemoteFilename.parse(RegenerateAppenderRequest.decode(in).filename());
            return ctx.serialized(name.text(), () -> ctx.blocking(() -> {
                RemoteFilename fresh = ctx.appenders.regenerate(name, source, StorageContext.now());
                return Frames.response(new GroupFile(ctx.identity.group(), fresh.text()));
            }));
        });
    }

    /** Validates the group (EINVAL if it is not ours) and the file name. */
    private RemoteFilename name(String group, String filename) throws ProtocolException {
        if (!group.equals(ctx.identity.group())) {
            throw ProtocolException.invalid("group " + group + " is not this storage's group " + ctx.identity.group());
        }
        return RemoteFilename.parse(filename);
    }

    /** A command's work once its request is decoded and checked (which may refuse it). */
    @FunctionalInterface
    private interface Work {
        Future<Buffer> start() throws ProtocolException;
    }

    /** Starts the work and replies with its result; counts the command either way. */
    private void finish(FrameConnection conn, int cmd, Work work) {
        Future<Buffer> reply;
        try {
            reply = work.start();
        } catch (ProtocolException e) {
            reply = Future.failedFuture(e);
        }
        reply.onSuccess(frame -> {
            count(cmd, true);
            conn.reply(frame);
        }).onFailure(e -> {
            count(cmd, false);
            Replies.fail(conn, cmd, e);
        });
    }

    private void count(int cmd, boolean ok) {
        switch (cmd) {
            case Cmd.DELETE_FILE -> ctx.counters.count(Counter.TOTAL_DELETE_COUNT, Counter.SUCCESS_DELETE_COUNT, ok);
            case Cmd.SET_METADATA -> ctx.counters.count(Counter.TOTAL_SET_META_COUNT, Counter.SUCCESS_SET_META_COUNT, ok);
            case Cmd.GET_METADATA -> ctx.counters.count(Counter.TOTAL_GET_META_COUNT, Counter.SUCCESS_GET_META_COUNT, ok);
            case Cmd.DOWNLOAD_FILE -> ctx.counters.count(Counter.TOTAL_DOWNLOAD_COUNT, Counter.SUCCESS_DOWNLOAD_COUNT, ok);
            case Cmd.TRUNCATE_FILE -> ctx.counters.count(Counter.TOTAL_TRUNCATE_COUNT, Counter.SUCCESS_TRUNCATE_COUNT, ok);
            default -> {
                // 22 and 38 have no counters in the stat block
            }
        }
        if (ok && (cmd == Cmd.DELETE_FILE || cmd == Cmd.SET_METADATA || cmd == Cmd.TRUNCATE_FILE
                || cmd == Cmd.REGENERATE_APPENDER_FILENAME)) {
            ctx.counters.set(Counter.LAST_SOURCE_UPDATE, StorageContext.now());
        }
    }
}
