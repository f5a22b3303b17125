package io.kfdfs.storage.commands;

import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.RemoteFilename;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.storage.UploadSlaveRequest;
import io.kfdfs.protocol.tracker.StatBlock.Counter;
import io.kfdfs.storage.store.Binlog;
import io.kfdfs.storage.store.DataFiles;
import io.kfdfs.storage.store.Naming;
import io.kfdfs.storage.store.Reservation;
import io.kfdfs.storage.store.Store;
import io.kfdfs.storage.store.StorePath;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * UPLOAD_FILE (11), UPLOAD_APPENDER_FILE (23) and UPLOAD_SLAVE_FILE (21). The content goes to a
 * temporary file in the target store path (room reserved first, so a full disk answers ENOSPC before a
 * byte is written); then the file is named, recorded in the binlog, renamed into place and only then
 * acknowledged. A client that goes away mid-upload leaves nothing behind.
 */
public final class UploadCommands {

    private final StorageContext ctx;

    public UploadCommands(StorageContext ctx) {
        this.ctx = ctx;
    }

    public void upload(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        boolean appender = h.cmd() == Cmd.UPLOAD_APPENDER_FILE;
        UploadFileRequest req;
        int source;
        try {
            req = UploadFileRequest.decode(Frames.byteBuffer(prefix), h.bodyLength());
            source = ctx.identity.nameSource();
        } catch (ProtocolException e) {
            done(conn, h, 0, e);
            return;
        }
        ContentWriter.toClaimedTempFile(ctx, () -> claim(req.storePathIndex(), req.fileSize(), source, appender), rest,
                        (c, rcv) -> place(c.room().path(), c.dir(), rcv, source, appender, req.ext()))
                .onSuccess(name -> {
                    done(conn, h, req.fileSize(), null);
                    Replies.ok(conn, new GroupFile(ctx.identity.group(), name));
                })
                .onFailure(e -> done(conn, h, req.fileSize(), e));
    }

    public void uploadSlave(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        ByteBuffer in = Frames.byteBuffer(prefix);
        UploadSlaveRequest req;
        RemoteFilename master;
        RemoteFilename slave;
        int source;
        try {
            req = UploadSlaveRequest.decode(in, h.bodyLength());
            master = RemoteFilename.parse(req.masterFilename());
            slave = RemoteFilename.parse(FileName.slaveName(master.text(), req.prefix(), req.ext()));
            ctx.store.pathOf(master);
            source = ctx.identity.slaveAsLink() ? ctx.identity.nameSource() : 0;
        } catch (ProtocolException e) {
            done(conn, h, 0, e);
            return;
        }
        Buffer head = prefix.getBuffer(in.position(), prefix.length());
        ctx.blocking(() -> claimSlave(master, slave, req.fileSize()))
                .compose(res -> ContentWriter.toTempFile(ctx, res.path(), head, rest)
                        .compose(rcv -> ctx.blocking(() -> placeSlave(res.path(), rcv, slave, source, req.ext())))
                        .andThen(x -> {
                            res.release();
                            ctx.naming.release(slave.text());
                        }))
                .onSuccess(name -> {
                    done(conn, h, req.fileSize(), null);
                    Replies.ok(conn, new GroupFile(ctx.identity.group(), name));
                })
                .onFailure(e -> done(conn, h, req.fileSize(), e));
    }

    private void done(FrameConnection conn, Header h, long bytes, Throwable failure) {
        ctx.counters.count(Counter.TOTAL_UPLOAD_COUNT, Counter.SUCCESS_UPLOAD_COUNT, failure == null);
        ctx.counters.add(Counter.TOTAL_UPLOAD_BYTES, bytes);
        if (failure == null) {
            ctx.counters.add(Counter.SUCCESS_UPLOAD_BYTES, bytes);
            ctx.counters.set(Counter.LAST_SOURCE_UPDATE, StorageContext.now());
        } else {
            Replies.fail(conn, h.cmd(), failure);
        }
    }

    /** Room for an upload and its {@code HH/HH}, where it is written and renamed. */
    private record Claim(Reservation room, Naming.Dir dir, Path temp) implements ContentWriter.Claim {
        @Override
        public void release() {
            room.release();
        }
    }

    /** Reserves room and chooses the directory (§7.4) before the content arrives. Blocking. */
    private Claim claim(int storePathIndex, long size, int source, boolean appender)
            throws ProtocolException, IOException {
        Reservation room = ctx.store.reserve(storePathIndex, size);
        Naming.Dir dir = nextDir(source, size, appender);
        return new Claim(room, dir, Store.tempFile(room.path(), dir));
    }

    /** The directory of the next new file (§7.4); mode 1 hashes a provisional name, so no CRC is needed. */
    private Naming.Dir nextDir(int source, long size, boolean appender) {
        return ctx.naming.nextDir(new FileName.Block(source, StorageContext.now(),
                FileName.sizeField(size, appender, ctx.naming.randomBits()), 0));
    }

    /**
     * Names the received file (§7), records it and renames it into place in {@code dir}; the caller
     * removes the temporary file if this fails. Blocking. The hot path of every upload, so it throws no
     * exception when all goes well: {@code File.exists} rather than {@code Files.exists} (which throws
     * and catches one for a missing file; it would also see a dangling symlink, which rename replaces).
     */
    private String place(StorePath path, Naming.Dir dir, ContentWriter.Received rcv, int source, boolean appender,
                         String ext) throws IOException, ProtocolException {
        long now = StorageContext.now();
        FileName.Block block = new FileName.Block(source, now,
                FileName.sizeField(rcv.bytes(), appender, ctx.naming.randomBits()), rcv.crc32());
        for (int attempt = 0; attempt < 10; attempt++) {
            String name = ctx.naming.newName(path.index(), dir, block, ext);
            if (name == null) {
                break;
            }
            try {
                // the name is new and lies in dir: its last part is all that needs reading
                Path target = Store.dataDir(path, dir).resolve(name.substring(name.lastIndexOf('/') + 1));
                if (target.toFile().exists()) {
                    continue;
                }
                ctx.binlog.append(now, Binlog.CREATE, name);
                Files.move(rcv.temp(), target, StandardCopyOption.ATOMIC_MOVE);
                ctx.store.fileCounts().created(path.index());
                return name;
            } finally {
                ctx.naming.release(name);
            }
        }
        throw new ProtocolException(Status.EBUSY, "could not find a unique file name");
    }

    /** The master must exist and the slave must not; holds the slave's name and room beside the master. */
    private Reservation claimSlave(RemoteFilename master, RemoteFilename slave, long size)
            throws ProtocolException, IOException {
        ctx.files.stat(master);
        if (Files.exists(ctx.store.dataFile(slave), LinkOption.NOFOLLOW_LINKS) || !ctx.naming.reserve(slave.text())) {
            throw new ProtocolException(Status.EEXIST, "slave file " + slave + " already exists");
        }
        try {
            return ctx.store.reserveIn(ctx.store.pathOf(master), size);
        } catch (ProtocolException | IOException | RuntimeException e) {
            ctx.naming.release(slave.text());
            throw e;
        }
    }

    /**
     * Puts a received slave in place: renamed to the slave name, or (tracker parameter
     * {@code store_slave_file_use_link}) stored under a fresh normal name with the slave name as a
     * symlink to it, recorded as {@code C <real>} and {@code L <slave> <real>}. Blocking.
     */
    private String placeSlave(StorePath path, ContentWriter.Received rcv, RemoteFilename slave, int source, String ext)
            throws IOException, ProtocolException {
        try {
            Path target = ctx.store.dataFile(slave);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ProtocolException(Status.EEXIST, "slave file " + slave + " already exists");
            }
            if (!ctx.identity.slaveAsLink()) {
                long mtime = Files.getLastModifiedTime(rcv.temp()).toMillis() / 1000;
                ctx.binlog.append(mtime, Binlog.CREATE, slave.text());
                Files.move(rcv.temp(), target, StandardCopyOption.ATOMIC_MOVE);
                ctx.store.fileCounts().created(path.index());
                return slave.text();
            }
            RemoteFilename real = RemoteFilename.parse(place(path, nextDir(source, rcv.bytes(), false), rcv, source,
                    false, ext));
            ctx.binlog.append(StorageContext.now(), Binlog.LINK, slave.text(), real.text());
            Files.createSymbolicLink(target, DataFiles.linkText(real));
            ctx.store.fileCounts().created(path.index());
            return slave.text();
        } finally {
            Files.deleteIfExists(rcv.temp());
        }
    }
}
