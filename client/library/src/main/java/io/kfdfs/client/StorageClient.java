package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.storage.AppendFileRequest;
import io.kfdfs.protocol.storage.ContentRequest;
import io.kfdfs.protocol.storage.DownloadRequest;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.storage.ModifyFileRequest;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.RegenerateAppenderRequest;
import io.kfdfs.protocol.storage.RetireRequest;
import io.kfdfs.protocol.storage.RetireStatus;
import io.kfdfs.protocol.storage.SetMetadataRequest;
import io.kfdfs.protocol.storage.TruncateFileRequest;
import io.kfdfs.protocol.storage.UploadFileRequest;
import io.kfdfs.protocol.storage.UploadSlaveRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The storage commands of docs/protocol.md §4, sent to a storage the caller chose (usually from a tracker
 * reply). File content is streamed in both directions through a fixed buffer. Local I/O failures (the
 * content to upload, the sink of a download) are thrown as {@link IOException}; server answers as
 * {@link FdfsException}s.
 */
public final class StorageClient {

    private static final long MAX_NAME_REPLY = Fields.GROUP_NAME_SIZE + Fields.MAX_FILENAME_LENGTH;
    private static final long MAX_INFO_REPLY = 24 + Fields.IPV6_SIZE;
    /** Metadata must fit the storage's buffer (256 KiB by default); leave room for larger settings. */
    private static final long MAX_METADATA_REPLY = 16L << 20;
    private static final long MAX_RETIRE_REPLY = 64 * 1024;

    private interface LocalIo<T> {
        T run() throws IOException;
    }

    private final ConnectionPool pool;

    StorageClient(ConnectionPool pool) {
        this.pool = pool;
    }

    /** UPLOAD_FILE (11). {@code storePathIndex} -1 lets the storage choose. Returns the file ID. */
    public String upload(HostPort storage, int storePathIndex, String ext, Content content) throws IOException {
        return upload(storage, Cmd.UPLOAD_FILE, storePathIndex, ext, content);
    }

    /** UPLOAD_APPENDER_FILE (23): a file that can later be appended to, modified and truncated. */
    public String uploadAppender(HostPort storage, int storePathIndex, String ext, Content content)
            throws IOException {
        return upload(storage, Cmd.UPLOAD_APPENDER_FILE, storePathIndex, ext, content);
    }

    private String upload(HostPort storage, int cmd, int storePathIndex, String ext, Content content)
            throws IOException {
        checkExtension(ext);
        return sendContent(storage, "upload", new UploadFileRequest(storePathIndex, content.length(), ext), cmd,
                content, body -> GroupFile.decode(body).fileId());
    }

    /**
     * UPLOAD_SLAVE_FILE (21): a file named after {@code master} with {@code prefix} and {@code ext}
     * (§7.5), stored beside it; send it to the master's storage (QUERY_UPDATE).
     */
    public String uploadSlave(HostPort storage, FileId master, String prefix, String ext, Content content)
            throws IOException {
        checkSlaveNaming(prefix, ext);
        UploadSlaveRequest request = new UploadSlaveRequest(master.remote().text(), content.length(), prefix, ext);
        return sendContent(storage, master.toString(), request, Cmd.UPLOAD_SLAVE_FILE, content,
                body -> GroupFile.decode(body).fileId());
    }

    /** APPEND_FILE (24) to an appender file. */
    public void append(HostPort storage, FileId id, Content content) throws IOException {
        sendContent(storage, id.toString(), new AppendFileRequest(id.remote().text(), content.length()),
                Cmd.APPEND_FILE, content, body -> null);
    }

    /** MODIFY_FILE (34): overwrite an appender file from {@code offset} (at most its size). */
    public void modify(HostPort storage, FileId id, long offset, Content content) throws IOException {
        sendContent(storage, id.toString(), new ModifyFileRequest(id.remote().text(), offset, content.length()),
                Cmd.MODIFY_FILE, content, body -> null);
    }

    /** TRUNCATE_FILE (36): cut or zero-extend an appender file to {@code newSize}. */
    public void truncate(HostPort storage, FileId id, long newSize) {
        call(storage, id.toString(), true, new TruncateFileRequest(id.remote().text(), newSize).request(Cmd.TRUNCATE_FILE),
                0, body -> null);
    }

    /** REGENERATE_APPENDER_FILENAME (38): turn an appender file into a normal one; returns its new ID. */
    public String regenerateAppenderFilename(HostPort storage, FileId id) {
        return call(storage, id.toString(), false,
                new RegenerateAppenderRequest(id.remote().text()).request(Cmd.REGENERATE_APPENDER_FILENAME),
                MAX_NAME_REPLY, body -> GroupFile.decode(body).fileId());
    }

    /** DELETE_FILE (12), with its metadata. */
    public void delete(HostPort storage, FileId id) {
        call(storage, id.toString(), false, fileRequest(id).request(Cmd.DELETE_FILE), 0, body -> null);
    }

    /** SET_METADATA (13). */
    public void setMetadata(HostPort storage, FileId id, Metadata metadata, MetadataMode mode) {
        SetMetadataRequest request = SetMetadataRequest.of(id.group(), id.remote().text(), mode.flag(), metadata);
        call(storage, id.toString(), true, request.request(Cmd.SET_METADATA), 0, body -> null);
    }

    /** GET_METADATA (15): ENOENT when the file or its metadata does not exist. */
    public Metadata getMetadata(HostPort storage, FileId id) {
        return call(storage, id.toString(), true, fileRequest(id).request(Cmd.GET_METADATA), MAX_METADATA_REPLY,
                Metadata::decode);
    }

    /**
     * QUERY_FILE_INFO (22). {@code flags}: {@link QueryFileInfoResponse#FLAG_NOT_CALC_CRC32} (no CRC for
     * appender and slave files), {@link QueryFileInfoResponse#FLAG_KEEP_SILENCE} (no server log line).
     */
    public QueryFileInfoResponse queryFileInfo(HostPort storage, FileId id, int flags) {
        return call(storage, id.toString(), true, fileRequest(id).frame(Cmd.QUERY_FILE_INFO, flags), MAX_INFO_REPLY,
                QueryFileInfoResponse::decode);
    }

    /**
     * DOWNLOAD_FILE (14): {@code length} bytes from {@code offset} (0 = to the end) streamed to
     * {@code sink}. Returns the number of bytes received.
     */
    public long download(HostPort storage, FileId id, long offset, long length, ChunkSink sink) throws IOException {
        DownloadRequest request = new DownloadRequest(offset, length, id.group(), id.remote().text());
        return local(() -> pool.execute(storage, "storage", true, c -> {
            c.send(request.request(Cmd.DOWNLOAD_FILE));
            c.flush();
            long size = c.readHeader(id.toString()).bodyLength();
            c.readBodyTo(size, sink);
            return size;
        }));
    }

    private static GroupFile fileRequest(FileId id) {
        return new GroupFile(id.group(), id.remote().text());
    }

    private <T> T sendContent(HostPort storage, String subject, ContentRequest request, int cmd, Content content,
                              Decoder<T> decoder) throws IOException {
        return local(() -> pool.execute(storage, "storage", false, c -> {
            c.send(request.request(cmd));
            c.sendContent(content);
            c.flush();
            return decoder.decode(c.readReply(MAX_NAME_REPLY, subject));
        }));
    }

    /**
     * KFDFS_RETIRE (kfdfs only) step {@link RetireRequest#PREPARE}: the storage turns read-only and says
     * whether every other member has all its changes.
     */
    public RetireStatus prepareRetirement(HostPort storage) {
        return call(storage, "retire " + storage, true, new RetireRequest(RetireRequest.PREPARE).request(Cmd.KFDFS_RETIRE),
                MAX_RETIRE_REPLY, RetireStatus::decode);
    }

    /** KFDFS_RETIRE step {@link RetireRequest#LEAVE} or {@link RetireRequest#CANCEL}. */
    public void retirementStep(HostPort storage, int step) {
        call(storage, "retire " + storage, true, new RetireRequest(step).request(Cmd.KFDFS_RETIRE), 0, body -> null);
    }

    private <T> T call(HostPort storage, String subject, boolean idempotent, ByteBuffer frame, long maxReply,
                       Decoder<T> decoder) {
        return pool.execute(storage, "storage", idempotent, c -> decoder.decode(c.call(frame, maxReply, subject)));
    }

    private interface Decoder<T> {
        T decode(ByteBuffer body) throws ProtocolException;
    }

    /** Runs {@code io}, turning the local failures the connection wraps back into checked exceptions. */
    private static <T> T local(LocalIo<T> io) throws IOException {
        try {
            return io.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Extensions are 0-6 characters of [A-Za-z0-9._-] (the storage answers EINVAL otherwise). */
    static void checkExtension(String ext) {
        checkToken("extension", ext, Fields.EXT_NAME_SIZE, false);
    }

    /** A slave needs a prefix of 1-16 such characters. */
    static void checkSlaveNaming(String prefix, String ext) {
        checkToken("slave prefix", prefix, Fields.PREFIX_SIZE, true);
        checkExtension(ext);
    }

    private static void checkToken(String what, String value, int max, boolean required) {
        if (value == null || (required && value.isEmpty()) || !FileName.validToken(value, max)) {
            throw new InvalidArgumentException(null, what + " \"" + value + "\" must be " + (required ? "1" : "0")
                    + "-" + max + " characters of [A-Za-z0-9._-]");
        }
    }
}
