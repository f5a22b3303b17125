package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.FileInfo;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.Metadata;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.storage.QueryFileInfoResponse;
import io.kfdfs.protocol.storage.RetireRequest;
import io.kfdfs.protocol.storage.RetireStatus;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StoreReply;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A FastDFS client: thread-safe, pooled, for as many threads as the application has. One instance per
 * cluster, closed when the application stops.
 *
 * <p>Every operation finds its storage through a tracker (docs/protocol.md §3) and then talks to that storage
 * (§4). File IDs are {@code group/Mxx/HH/HH/name} strings. Server answers become typed
 * {@link FdfsException}s ({@link NoSuchFileException} for ENOENT, ...); failures reading or writing local
 * files and streams are {@link IOException}s. Metadata names and values are UTF-8 on the wire, as with the
 * official Java client's default charset.
 *
 * <p>Reads (download, file info, metadata) that get ENOENT, or cannot reach the storage the tracker chose,
 * are repeated once on the file's source storage: a file uploaded a moment ago may not have reached the
 * other members of its group yet. An upload is repeated only when its storage refused the connection,
 * so the content cannot have been stored twice.
 */
public final class FdfsClient implements AutoCloseable {

    private static final Duration RETIRE_POLL = Duration.ofMillis(500);
    private static final Duration RETIRE_DELETE_GRACE = Duration.ofSeconds(30);

    private final ClientSettings settings;
    private final ConnectionPool pool;
    private final TrackerClient tracker;
    private final StorageClient storage;
    private volatile StorageIds trackerIds;

    private FdfsClient(ClientSettings settings) {
        this.settings = settings;
        this.pool = new ConnectionPool(settings);
        this.tracker = new TrackerClient(pool,
                new TrackerSelector(settings.trackers(), settings.trackerBackoff(), System::nanoTime));
        this.storage = new StorageClient(pool);
    }

    public static FdfsClient create(ClientSettings settings) {
        return new FdfsClient(settings);
    }

    /** A client configured by a FastDFS {@code client.conf} (and {@code KFDFS_*} environment overrides). */
    public static FdfsClient fromConf(Path clientConf) {
        return create(ClientSettings.load(clientConf));
    }

    public ClientSettings settings() {
        return settings;
    }

    /** The raw tracker commands, sharing this client's connections. */
    public TrackerClient tracker() {
        return tracker;
    }

    /** The raw storage commands, sharing this client's connections. */
    public StorageClient storage() {
        return storage;
    }

    // ---- uploads

    /** Uploads {@code content} to a group the tracker chooses; {@code ext} (no dot, ≤ 6 chars) may be empty. */
    public String upload(Content content, String ext) throws IOException {
        return upload(null, content, ext, Map.of());
    }

    public String upload(byte[] data, String ext) throws IOException {
        return upload(Content.of(data), ext);
    }

    /** Uploads a file, its extension taken from its name. */
    public String upload(Path file) throws IOException {
        return upload(Content.of(file), extensionOf(file.getFileName().toString()));
    }

    /**
     * Uploads {@code content} to {@code group} (null: the tracker chooses) and, if {@code metadata} is not
     * empty, sets it; when setting the metadata fails the file is deleted again, as the official clients do.
     */
    public String upload(String group, Content content, String ext, Map<String, String> metadata)
            throws IOException {
        return store(group, false, content, ext, metadata);
    }

    /** Uploads an appender file: one that {@link #append}, {@link #modify} and {@link #truncate} can change. */
    public String uploadAppender(String group, Content content, String ext, Map<String, String> metadata)
            throws IOException {
        return store(group, true, content, ext, metadata);
    }

    /**
     * Uploads a slave file of {@code masterFileId}: stored beside it under the master's name with
     * {@code prefix} and {@code ext} (e.g. {@code _150x150} and {@code jpg}).
     */
    public String uploadSlave(String masterFileId, String prefix, String ext, Content content,
                              Map<String, String> metadata) throws IOException {
        FileId master = parse(masterFileId);
        StorageClient.checkSlaveNaming(prefix, ext);
        HostPort target = address(tracker.queryUpdate(master).server());
        String fileId = storage.uploadSlave(target, master, prefix, ext, content);
        attachMetadata(target, fileId, metadata);
        return fileId;
    }

    private String store(String group, boolean appender, Content content, String ext, Map<String, String> metadata)
            throws IOException {
        StorageClient.checkExtension(ext);
        boolean retried = false;
        while (true) {
            StoreReply where = tracker.queryStore(group);
            HostPort target = address(where.server());
            try {
                String fileId = appender
                        ? storage.uploadAppender(target, where.storePathIndex(), ext, content)
                        : storage.upload(target, where.storePathIndex(), ext, content);
                attachMetadata(target, fileId, metadata);
                return fileId;
            } catch (ConnectionException e) {
                // Nothing was sent: the storage is down and the tracker may not know yet. Ask once more.
                if (e.requestSent() || retried) {
                    throw e;
                }
                retried = true;
            }
        }
    }

    private void attachMetadata(HostPort target, String fileId, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        FileId id = parse(fileId);
        try {
            storage.setMetadata(target, id, encode(metadata), MetadataMode.OVERWRITE);
        } catch (RuntimeException e) {
            try {
                storage.delete(target, id);
            } catch (RuntimeException deleteFailed) {
                e.addSuppressed(deleteFailed);
            }
            throw e;
        }
    }

    // ---- downloads and reads

    /**
     * Downloads the whole file into {@code target}, replacing it. The target is written only once bytes
     * arrive, and removed again if the download fails midway.
     */
    public long download(String fileId, Path target) throws IOException {
        return download(fileId, 0, 0, target);
    }

    /** Downloads {@code length} bytes from {@code offset} ({@code length} 0: to the end) into {@code target}. */
    public long download(String fileId, long offset, long length, Path target) throws IOException {
        FileSink sink = new FileSink(target);
        try {
            long n = download(fileId, offset, length, sink);
            sink.finish();
            return n;
        } catch (IOException | RuntimeException e) {
            sink.abandon();
            throw e;
        }
    }

    public long download(String fileId, OutputStream out) throws IOException {
        return download(fileId, 0, 0, out);
    }

    /** Downloads {@code length} bytes from {@code offset} ({@code length} 0: to the end). */
    public long download(String fileId, long offset, long length, OutputStream out) throws IOException {
        return download(fileId, offset, length, out::write);
    }

    public long download(String fileId, long offset, long length, ChunkSink sink) throws IOException {
        FileId id = parse(fileId);
        long[] delivered = {0};
        ChunkSink counting = (b, off, len) -> {
            delivered[0] += len;
            sink.accept(b, off, len);
        };
        return readAfterWrite(id, s -> storage.download(s, id, offset, length, counting), () -> delivered[0] == 0);
    }

    /** The metadata of a file; ENOENT ({@link NoSuchFileException}) if the file has none or does not exist. */
    public Map<String, String> getMetadata(String fileId) {
        FileId id = parse(fileId);
        return decode(readAfterWrite(id, s -> storage.getMetadata(s, id), () -> true));
    }

    public void setMetadata(String fileId, Map<String, String> metadata, MetadataMode mode) {
        FileId id = parse(fileId);
        storage.setMetadata(updateTarget(id), id, encode(metadata), mode);
    }

    public FileInfoResult fileInfo(String fileId) {
        return fileInfo(fileId, 0);
    }

    /**
     * What is known of a file (docs/protocol.md §7.7): decoded from the ID alone for a normal file whose source
     * is known, else asked of a storage with QUERY_FILE_INFO and {@code flags}
     * ({@link QueryFileInfoResponse#FLAG_NOT_CALC_CRC32}, {@link QueryFileInfoResponse#FLAG_KEEP_SILENCE}).
     * A source storage ID is named by its IP when storage IDs are configured.
     */
    public FileInfoResult fileInfo(String fileId, int flags) {
        FileId id = parse(fileId);
        FileInfo decoded;
        try {
            decoded = FileInfo.decode(id);
        } catch (ProtocolException e) {
            throw new InvalidArgumentException(null, fileId + ": " + e.getMessage());
        }
        String sourceIp = decoded.serverId() == 0 ? decoded.sourceIp()
                : storageIds().flatMap(ids -> ids.byId(String.valueOf(decoded.serverId())))
                .map(e -> e.hosts().get(0)).orElse("");
        if (decoded.type() == FileInfo.Type.NORMAL && !sourceIp.isEmpty()) {
            return new FileInfoResult(new FileInfo(decoded.type(), decoded.serverId(), sourceIp, decoded.createTime(),
                    decoded.size(), decoded.crc32()), false);
        }
        QueryFileInfoResponse r = readAfterWrite(id, s -> storage.queryFileInfo(s, id, flags), () -> true);
        return new FileInfoResult(new FileInfo(decoded.type(), decoded.serverId(), r.sourceIp(), r.createTime(),
                r.fileSize(), r.crc32()), true);
    }

    // ---- changes

    public void delete(String fileId) {
        FileId id = parse(fileId);
        storage.delete(updateTarget(id), id);
    }

    public void append(String appenderFileId, Content content) throws IOException {
        FileId id = parse(appenderFileId);
        storage.append(updateTarget(id), id, content);
    }

    public void modify(String appenderFileId, long offset, Content content) throws IOException {
        FileId id = parse(appenderFileId);
        storage.modify(updateTarget(id), id, offset, content);
    }

    public void truncate(String appenderFileId, long newSize) {
        FileId id = parse(appenderFileId);
        storage.truncate(updateTarget(id), id, newSize);
    }

    /** Turns an appender file into a normal file with a new name (its content can no longer change). */
    public String regenerateAppenderFilename(String appenderFileId) {
        FileId id = parse(appenderFileId);
        return storage.regenerateAppenderFilename(updateTarget(id), id);
    }

    // ---- cluster

    public List<GroupStat> listGroups() {
        return tracker.listGroups();
    }

    public GroupStat listGroup(String group) {
        return tracker.listGroup(group);
    }

    public List<StorageStat> listStorages(String group) {
        return tracker.listStorages(group, null);
    }

    /**
     * Takes a storage out of its group without losing a file (kfdfs storages only, docs/replication.md): it
     * turns read-only (the trackers stop sending uploads to it), and once every other member has received
     * all its changes it stops reporting and syncing, and is deleted (93) on every tracker. Waits up to
     * {@code wait} for the members to catch up; if they do not, it is made writable again and the
     * retirement is refused with the reasons ({@link FdfsException} EBUSY).
     *
     * @param storageId its storage ID (or IP, without storage IDs)
     */
    public void retire(String storageId, Duration wait) {
        StorageStat target = null;
        String group = null;
        for (GroupStat g : tracker.listGroups()) {
            for (StorageStat s : tracker.listStorages(g.group(), null)) {
                if (s.id().equals(storageId) && s.status() != StorageStatus.DELETED) {
                    target = s;
                    group = g.group();
                }
            }
        }
        if (target == null) {
            throw new NoSuchFileException(null, "storage " + storageId + " is not a member of any group");
        }
        HostPort address = new HostPort(target.ip(), target.storagePort());
        long deadline = System.nanoTime() + wait.toNanos();
        RetireStatus status = storage.prepareRetirement(address);
        while (!status.ready()) {
            if (System.nanoTime() > deadline) {
                storage.retirementStep(address, RetireRequest.CANCEL);
                throw new FdfsException(Status.EBUSY, address.toString(), "storage " + storageId
                        + " cannot retire: other members lack some of its changes (" + String.join("; ", status.reasons())
                        + "); it takes uploads again");
            }
            sleep(RETIRE_POLL);
            status = storage.prepareRetirement(address);
        }
        storage.retirementStep(address, RetireRequest.LEAVE);
        for (HostPort t : tracker.trackers()) {
            deleteWhenOffline(tracker.only(t), group, storageId, deadline + RETIRE_DELETE_GRACE.toNanos());
        }
    }

    /** 93 on one tracker, again while it still sees the storage serving (it notices the leave at once, or soon). */
    private static void deleteWhenOffline(TrackerClient one, String group, String storageId, long deadline) {
        while (true) {
            try {
                one.deleteStorage(group, storageId);
                return;
            } catch (FdfsException e) {
                if (e.status() == Status.EALREADY) {
                    return;
                }
                if (e.status() != Status.EBUSY || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            sleep(RETIRE_POLL);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FdfsException(Status.EINTR, null, "interrupted", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- helpers

    private interface StorageOp<T, X extends Exception> {
        T run(HostPort storage) throws X;
    }

    /** The storage IDs configured, or those of the tracker (fetched once) when the settings say so. */
    private Optional<StorageIds> storageIds() {
        if (settings.storageIds() != null || !settings.storageIdsFromTracker()) {
            return Optional.ofNullable(settings.storageIds());
        }
        StorageIds ids = trackerIds;
        if (ids == null) {
            // the C tracker writes its booleans as 0/1
            boolean used = "1".equals(tracker.parameters().get("use_storage_id"));
            ids = used ? tracker.storageIds() : StorageIds.parse("the tracker", "");
            trackerIds = ids;
        }
        return Optional.of(ids);
    }

    private HostPort updateTarget(FileId id) {
        return address(tracker.queryUpdate(id).server());
    }

    /**
     * Runs a read on the storage the tracker chose (102); on ENOENT, or when that storage cannot be reached
     * and {@code repeatable} still holds, once more on the file's source storage (103) if that is another
     * one.
     */
    private <T, X extends Exception> T readAfterWrite(FileId id, StorageOp<T, X> op, BooleanSupplier repeatable)
            throws X {
        HostPort chosen = address(tracker.queryFetch(id).server());
        try {
            return op.run(chosen);
        } catch (NoSuchFileException | ConnectionException e) {
            if (e instanceof ConnectionException && !repeatable.getAsBoolean()) {
                throw e;
            }
            HostPort origin = address(tracker.queryUpdate(id).server());
            if (origin.equals(chosen)) {
                throw e;
            }
            return op.run(origin);
        }
    }

    private static HostPort address(ServerAddress server) {
        return new HostPort(server.ip(), server.port());
    }

    static FileId parse(String fileId) {
        try {
            return FileId.parse(fileId);
        } catch (ProtocolException e) {
            throw new InvalidArgumentException(null, e.getMessage());
        }
    }

    /** The extension FastDFS would give a file of this name: after the last dot, if it is a valid one. */
    public static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1);
        return FileName.validToken(ext, Fields.EXT_NAME_SIZE) ? ext : "";
    }

    private static Metadata encode(Map<String, String> metadata) {
        Map<String, String> wire = new LinkedHashMap<>();
        metadata.forEach((k, v) -> wire.put(latin1(k.getBytes(StandardCharsets.UTF_8)),
                latin1(v.getBytes(StandardCharsets.UTF_8))));
        return Metadata.of(wire);
    }

    private static Map<String, String> decode(Metadata metadata) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Metadata.Entry e : metadata.entries()) {
            map.put(utf8(e.name()), utf8(e.value()));
        }
        return map;
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
