package io.kfdfs.protocol.storage;

import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;

import java.nio.ByteBuffer;

/** Test dispatch from a command code to the record that decodes its request or reply body. */
final class StorageBodies {

    private StorageBodies() {
    }

    /** Decodes a request body; null for commands whose body is empty or not a storage record. */
    static Body request(int cmd, int status, ByteBuffer body) throws ProtocolException {
        return switch (cmd) {
            case Cmd.REPORT_SERVER_ID -> ReportServerIdRequest.decode(body);
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE -> UploadFileRequest.decode(body);
            case Cmd.UPLOAD_SLAVE_FILE -> UploadSlaveRequest.decode(body);
            case Cmd.DELETE_FILE, Cmd.GET_METADATA, Cmd.QUERY_FILE_INFO -> GroupFile.decode(body);
            case Cmd.SET_METADATA -> SetMetadataRequest.decode(body);
            case Cmd.DOWNLOAD_FILE -> DownloadRequest.decode(body);
            case Cmd.APPEND_FILE -> AppendFileRequest.decode(body);
            case Cmd.MODIFY_FILE -> ModifyFileRequest.decode(body);
            case Cmd.TRUNCATE_FILE -> TruncateFileRequest.decode(body);
            case Cmd.REGENERATE_APPENDER_FILENAME -> RegenerateAppenderRequest.decode(body);
            case Cmd.CREATE_LINK -> CreateLinkRequest.decode(body);
            case Cmd.SYNC_CREATE_FILE, Cmd.SYNC_UPDATE_FILE -> SyncFileRequest.decode(body, status);
            case Cmd.SYNC_DELETE_FILE -> SyncDeleteRequest.decode(body);
            case Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE -> SyncRangeRequest.decode(body);
            case Cmd.SYNC_TRUNCATE_FILE -> SyncTruncateRequest.decode(body);
            case Cmd.SYNC_CREATE_LINK, Cmd.SYNC_RENAME_FILE -> SyncLinkRequest.decode(body);
            case Cmd.FETCH_ONE_PATH_BINLOG -> FetchOnePathBinlogRequest.decode(body);
            case Cmd.KFDFS_SYNC_CAUGHT_UP -> SyncCaughtUp.decode(body);
            case Cmd.KFDFS_RETIRE -> RetireRequest.decode(body);
            default -> null;
        };
    }

    /** Decodes a success reply body to {@code reqCmd}; null for replies that carry raw bytes or nothing. */
    static Body response(int reqCmd, ByteBuffer body) throws ProtocolException {
        return switch (reqCmd) {
            case Cmd.UPLOAD_FILE, Cmd.UPLOAD_APPENDER_FILE, Cmd.UPLOAD_SLAVE_FILE, Cmd.CREATE_LINK,
                 Cmd.REGENERATE_APPENDER_FILENAME -> GroupFile.decode(body);
            case Cmd.QUERY_FILE_INFO -> QueryFileInfoResponse.decode(body);
            case Cmd.GET_METADATA -> Metadata.decode(body);
            case Cmd.SYNC_RENAME_FILE -> SyncLinkRequest.decodeRenameReply(body).orElse(null);
            case Cmd.KFDFS_RETIRE -> RetireStatus.decode(body);
            default -> null;
        };
    }

    /** Offsets of the {@code str[16]} group field in requests whose C sender leaves junk after the NUL. */
    static int groupOffset(int cmd) {
        return switch (cmd) {
            case Cmd.SYNC_CREATE_FILE, Cmd.SYNC_UPDATE_FILE, Cmd.SYNC_CREATE_LINK, Cmd.SYNC_RENAME_FILE -> 20;
            case Cmd.SYNC_DELETE_FILE -> 4;
            case Cmd.SYNC_APPEND_FILE, Cmd.SYNC_MODIFY_FILE, Cmd.SYNC_TRUNCATE_FILE -> 28;
            case Cmd.SET_METADATA -> 17;
            case Cmd.DOWNLOAD_FILE -> 16;
            default -> 0;
        };
    }
}
