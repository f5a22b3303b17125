package io.kfdfs.storage;

import io.kfdfs.pod.BodyPolicy;
import io.kfdfs.pod.BodyStream;
import io.kfdfs.pod.FrameConnection;
import io.kfdfs.pod.FrameHandler;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Header;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.AppendFileRequest;
import io.kfdfs.protocol.storage.ModifyFileRequest;
import io.kfdfs.protocol.storage.SyncFileRequest;
import io.kfdfs.protocol.storage.SyncRangeRequest;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.storage.UploadSlaveRequest;
import io.kfdfs.storage.sync.SyncProgress;
import io.vertx.core.buffer.Buffer;

/**
 * Routes each storage request: content-carrying commands are streamed (only their fixed part is
 * buffered), the others must fit the {@code buff_size} buffer as in C (§1.2). Unknown commands get EINVAL.
 * While the storage is read-only (being retired) client commands that would change files get EACCES.
 */
final class StorageHandler implements FrameHandler {

    private final StorageContext ctx;
    private final long maxBufferedBody;
    private final UploadCommands uploads;
    private final AppendCommands appends;
    private final FileCommands files;
    private final SyncCommands sync;
    private final Retirement retirement;
    private final BinlogExport export;

    StorageHandler(StorageContext ctx, long buffSize, SyncProgress progress, Retirement retirement) {
        this.ctx = ctx;
        // C refuses a non-streamed request whose header and body reach the buffer size
        this.maxBufferedBody = buffSize - Header.SIZE - 1;
        this.uploads = new UploadCommands(ctx);
        this.appends = new AppendCommands(ctx);
        this.files = new FileCommands(ctx);
        this.sync = new SyncCommands(ctx, progress);
        this.retirement = retirement;
        this.export = new BinlogExport(ctx);
    }

    @Override
    public BodyPolicy policy(Header h) {
        if (ctx.binlog.localChangesRefused() && changesFiles(h.cmd())) {
            return BodyPolicy.reject(Status.EACCES);
        }
        return switch (h.cmd()) {
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE -> BodyPolicy.streamed(UploadFileRequest.FIXED_SIZE);
            case Cmd.UPLOAD_SLAVE_FILE -> BodyPolicy.streamed(UploadSlaveRequest.MAX_FIXED_SIZE);
            case Cmd.APPEND_FILE -> BodyPolicy.streamed(AppendFileRequest.MAX_FIXED_SIZE);
            case Cmd.MODIFY_FILE -> BodyPolicy.streamed(ModifyFileRequest.MAX_FIXED_SIZE);
            case Cmd.DELETE_FILE, Cmd.SET_METADATA, Cmd.DOWNLOAD_FILE, Cmd.GET_METADATA, Cmd.QUERY_FILE_INFO,
                 Cmd.TRUNCATE_FILE, Cmd.REGENERATE_APPENDER_FILENAME -> BodyPolicy.buffered(maxBufferedBody);
            // small copies come whole and are written in one trip to the disk; large ones are streamed
            case Cmd.SYNC_CREATE_FILE, Cmd.SYNC_UPDATE_FILE -> h.bodyLength() <= maxBufferedBody
                    ? BodyPolicy.buffered(maxBufferedBody) : BodyPolicy.streamed(SyncFileRequest.MAX_FIXED_SIZE);
            case Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE -> h.bodyLength() <= maxBufferedBody
                    ? BodyPolicy.buffered(maxBufferedBody) : BodyPolicy.streamed(SyncRangeRequest.MAX_FIXED_SIZE);
            case Cmd.REPORT_SERVER_ID, Cmd.SYNC_DELETE_FILE, Cmd.SYNC_TRUNCATE_FILE, Cmd.SYNC_CREATE_LINK,
                 Cmd.SYNC_RENAME_FILE, Cmd.KFDFS_SYNC_CAUGHT_UP, Cmd.KFDFS_RETIRE, Cmd.FETCH_ONE_PATH_BINLOG ->
                    BodyPolicy.buffered(maxBufferedBody);
            // trunk storage (small files packed into trunk files) is not supported: say so, as C does when it is off
            case Cmd.TRUNK_ALLOC_SPACE, Cmd.TRUNK_ALLOC_CONFIRM, Cmd.TRUNK_FREE_SPACE, Cmd.TRUNK_SYNC_BINLOG,
                 Cmd.TRUNK_GET_BINLOG_SIZE, Cmd.TRUNK_DELETE_BINLOG_MARKS, Cmd.TRUNK_TRUNCATE_BINLOG_FILE ->
                    BodyPolicy.reject(Status.EOPNOTSUPP);
            default -> BodyPolicy.reject(Status.EINVAL);
        };
    }

    private static boolean changesFiles(int cmd) {
        return switch (cmd) {
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE, Cmd.UPLOAD_SLAVE_FILE, Cmd.DELETE_FILE, Cmd.SET_METADATA,
                 Cmd.APPEND_FILE, Cmd.MODIFY_FILE, Cmd.TRUNCATE_FILE, Cmd.REGENERATE_APPENDER_FILENAME,
                 Cmd.CREATE_LINK -> true;
            default -> false;
        };
    }

    @Override
    public void onRequest(FrameConnection conn, Header h, Buffer body) {
        switch (h.cmd()) {
            case Cmd.REPORT_SERVER_ID, Cmd.SYNC_DELETE_FILE, Cmd.SYNC_TRUNCATE_FILE, Cmd.SYNC_CREATE_LINK,
                 Cmd.SYNC_RENAME_FILE, Cmd.KFDFS_SYNC_CAUGHT_UP, Cmd.SYNC_CREATE_FILE, Cmd.SYNC_UPDATE_FILE,
                 Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE -> sync.handle(conn, h, body);
            case Cmd.KFDFS_RETIRE -> retirement.handle(conn, body);
            case Cmd.FETCH_ONE_PATH_BINLOG -> export.handle(conn, body);
            default -> files.handle(conn, h, body);
        }
    }

    @Override
    public void onStream(FrameConnection conn, Header h, Buffer prefix, BodyStream rest) {
        switch (h.cmd()) {
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE -> uploads.upload(conn, h, prefix, rest);
            case Cmd.UPLOAD_SLAVE_FILE -> uploads.uploadSlave(conn, h, prefix, rest);
            case Cmd.APPEND_FILE -> appends.append(conn, h, prefix, rest);
            case Cmd.MODIFY_FILE -> appends.modify(conn, h, prefix, rest);
            case Cmd.SYNC_CREATE_FILE, Cmd.SYNC_UPDATE_FILE -> sync.file(conn, h, prefix, rest);
            case Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE -> sync.range(conn, h, prefix, rest);
            default -> conn.replyError(Status.EINVAL);
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
