package io.kfdfs.storage;

import io.kfdfs.pod.BodyPolicy;
import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.FrameHandler;
import io.kfdfs.pod.Frames;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.AppendFileRequest;
import io.kfdfs.protocol.storage.ModifyFileRequest;
import io.kfdfs.protocol.storage.SyncFileRequest;
import io.kfdfs.protocol.storage.SyncRangeRequest;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.storage.UploadSlaveRequest;
import io.kfdfs.storage.commands.AppendCommands;
import io.kfdfs.storage.commands.FileCommands;
import io.kfdfs.storage.commands.Replies;
import io.kfdfs.storage.commands.StorageContext;
import io.kfdfs.storage.commands.UploadCommands;
import io.kfdfs.storage.sync.BinlogExport;
import io.kfdfs.storage.sync.SyncCommands;
import io.kfdfs.storage.sync.SyncProgress;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The storage's commands, one entry each in {@link #commands}: how the body is read, whether the command
 * changes files, and what serves it; requests are routed by that table alone. Content-carrying commands
 * are streamed (only their fixed part is buffered), the others must fit the {@code buff_size} buffer as in
 * C (docs/protocol.md §1.2). Unknown commands get EINVAL. While the storage is read-only (being retired)
 * client commands that would change files get EACCES.
 */
final class StorageHandler implements FrameHandler {

    /** How a command's body is read. */
    private enum Read {
        /** Whole, at most the buffer. */
        BUFFERED,
        /** The fixed part buffered, the content streamed. */
        STREAMED,
        /** Whole when it fits the buffer (one trip to the disk for small copies), else streamed. */
        BUFFERED_IF_SMALL,
        /** Trunk storage (small files packed into trunk files): EOPNOTSUPP, as C says when it is off. */
        UNSUPPORTED
    }

    /** Serves a buffered request; a ProtocolException is answered with its status. */
    @FunctionalInterface
    interface Buffered {
        void serve(FrameConnection conn, Header h, ByteBuffer body) throws ProtocolException;
    }

    @FunctionalInterface
    interface Streamed {
        void serve(FrameConnection conn, Header h, Buffer prefix, BodyStream rest);
    }

    /**
     * @param fixedSize     the bytes buffered before a streamed body's content
     * @param changesFiles  a client's change: refused while the storage is read-only
     */
    private record Command(Read read, int fixedSize, boolean changesFiles, Buffered buffered, Streamed streamed) {
    }

    private static final boolean CHANGES = true;
    private static final boolean READS = false;

    private final StorageContext ctx;
    private final long maxBufferedBody;
    private final SyncCommands sync;
    private final Map<Integer, Command> commands = new HashMap<>();

    /** @param peerBinlogBuffer the group's sync_binlog_buff_interval in seconds (C peers hold records that long) */
    StorageHandler(StorageContext ctx, long buffSize, long peerBinlogBuffer, SyncProgress progress, Retirement retirement) {
        this.ctx = ctx;
        // C refuses a non-streamed request whose header and body reach the buffer size
        this.maxBufferedBody = buffSize - Header.SIZE - 1;
        UploadCommands uploads = new UploadCommands(ctx);
        AppendCommands appends = new AppendCommands(ctx);
        FileCommands files = new FileCommands(ctx);
        this.sync = new SyncCommands(ctx, progress, peerBinlogBuffer);
        BinlogExport export = new BinlogExport(ctx);

        // clients (§4)
        streamed(Cmd.UPLOAD_FILE, UploadFileRequest.FIXED_SIZE, uploads::upload);
        streamed(Cmd.UPLOAD_APPENDER_FILE, UploadFileRequest.FIXED_SIZE, uploads::upload);
        streamed(Cmd.UPLOAD_SLAVE_FILE, UploadSlaveRequest.MAX_FIXED_SIZE, uploads::uploadSlave);
        streamed(Cmd.APPEND_FILE, AppendFileRequest.MAX_FIXED_SIZE, appends::append);
        streamed(Cmd.MODIFY_FILE, ModifyFileRequest.MAX_FIXED_SIZE, appends::modify);
        buffered(Cmd.DELETE_FILE, CHANGES, files::delete);
        buffered(Cmd.SET_METADATA, CHANGES, files::setMetadata);
        buffered(Cmd.TRUNCATE_FILE, CHANGES, files::truncate);
        buffered(Cmd.REGENERATE_APPENDER_FILENAME, CHANGES, files::regenerate);
        buffered(Cmd.DOWNLOAD_FILE, READS, files::download);
        buffered(Cmd.GET_METADATA, READS, files::getMetadata);
        buffered(Cmd.QUERY_FILE_INFO, READS, files::queryFileInfo);
        for (int trunk : new int[] {Cmd.TRUNK_ALLOC_SPACE, Cmd.TRUNK_ALLOC_CONFIRM, Cmd.TRUNK_FREE_SPACE,
                Cmd.TRUNK_SYNC_BINLOG, Cmd.TRUNK_GET_BINLOG_SIZE, Cmd.TRUNK_DELETE_BINLOG_MARKS,
                Cmd.TRUNK_TRUNCATE_BINLOG_FILE}) {
            commands.put(trunk, new Command(Read.UNSUPPORTED, 0, READS, null, null));
        }
        // the other members of the group (§9) and the retirement flow (§14)
        buffered(Cmd.REPORT_SERVER_ID, READS, sync::reportServerId);
        small(Cmd.SYNC_CREATE_FILE, SyncFileRequest.MAX_FIXED_SIZE, sync::smallFile, sync::file);
        small(Cmd.SYNC_UPDATE_FILE, SyncFileRequest.MAX_FIXED_SIZE, sync::smallFile, sync::file);
        small(Cmd.SYNC_APPEND_FILE, SyncRangeRequest.MAX_FIXED_SIZE, sync::smallRange, sync::range);
        small(Cmd.SYNC_MODIFY_FILE, SyncRangeRequest.MAX_FIXED_SIZE, sync::smallRange, sync::range);
        buffered(Cmd.SYNC_DELETE_FILE, READS, sync::delete);
        buffered(Cmd.SYNC_TRUNCATE_FILE, READS, sync::truncate);
        buffered(Cmd.SYNC_CREATE_LINK, READS, sync::link);
        buffered(Cmd.SYNC_RENAME_FILE, READS, sync::rename);
        buffered(Cmd.KFDFS_SYNC_CAUGHT_UP, READS, sync::caughtUp);
        buffered(Cmd.FETCH_ONE_PATH_BINLOG, READS, export::handle);
        buffered(Cmd.KFDFS_RETIRE, READS, retirement::handle);
    }

    private void buffered(int cmd, boolean changesFiles, Buffered handler) {
        commands.put(cmd, new Command(Read.BUFFERED, 0, changesFiles, handler, null));
    }

    private void streamed(int cmd, int fixedSize, Streamed handler) {
        commands.put(cmd, new Command(Read.STREAMED, fixedSize, CHANGES, null, handler));
    }

    private void small(int cmd, int fixedSize, Buffered whole, Streamed streamed) {
        commands.put(cmd, new Command(Read.BUFFERED_IF_SMALL, fixedSize, READS, whole, streamed));
    }

    @Override
    public BodyPolicy policy(Header h) {
        Command c = commands.get(h.cmd());
        if (c == null) {
            return BodyPolicy.reject(Status.EINVAL);
        }
        if (c.changesFiles() && ctx.binlog.localChangesRefused()) {
            return BodyPolicy.reject(Status.EACCES);
        }
        return switch (c.read()) {
            case BUFFERED -> BodyPolicy.buffered(maxBufferedBody);
            case STREAMED -> BodyPolicy.streamed(c.fixedSize());
            case BUFFERED_IF_SMALL -> h.bodyLength() <= maxBufferedBody
                    ? BodyPolicy.buffered(maxBufferedBody) : BodyPolicy.streamed(c.fixedSize());
            case UNSUPPORTED -> BodyPolicy.reject(Status.EOPNOTSUPP);
        };
    }

    @Override
    public void onRequest(FrameConnection conn, Header h, Buffer body) {
        try {
            commands.get(h.cmd()).buffered().serve(conn, h, Frames.byteBuffer(body));
        } catch (ProtocolException e) {
            Replies.fail(conn, h.cmd(), e);
        }
    }

    @Override
    public void onStream(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        commands.get(h.cmd()).streamed().serve(conn, h, prefix, rest);
    }

    /** ACTIVE_TEST is answered by the connection itself; on a sync connection it says the source is idle. */
    @Override
    public void onDone(FrameConnection conn, int cmd, int status, long nanos) {
        if (cmd == Cmd.ACTIVE_TEST) {
            sync.sourceIdle(conn);
        }
    }

    @Override
    public void onOpen(FrameConnection conn) {
        ctx.counters.connectionOpened();
    }

    @Override
    public void onClose(FrameConnection conn) {
        ctx.counters.connectionClosed();
    }
}
