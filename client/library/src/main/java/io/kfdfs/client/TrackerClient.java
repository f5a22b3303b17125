package io.kfdfs.client;

import io.kfdfs.conf.HostPort;
import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.Body;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.tracker.FetchAllReply;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.tracker.GroupName;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.DrainRequest;
import io.kfdfs.protocol.tracker.GroupStorageFilter;
import io.kfdfs.protocol.tracker.Parameters;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.SysFileChunk;
import io.kfdfs.protocol.tracker.SysFileRequest;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.StoreAllReply;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.TextBody;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The tracker commands a client sends (docs/protocol.md §3), each answered by any tracker. Every query is
 * safe to repeat, so a tracker that cannot be reached is skipped for a short back-off and the next one
 * is asked; so is a tracker that answers ENOENT, since a tracker that just restarted may not know the
 * storages yet while another one does. The response IP size (16 or 46) is detected from each reply's
 * length, as the official clients do.
 */
public final class TrackerClient {

    /** Upper bound of a list reply: 512 groups × 113 bytes, 32 storages × 612 bytes fit with room. */
    private static final long MAX_LIST_REPLY = 1 << 20;
    private static final long MAX_QUERY_REPLY = 16 * 1024;

    private interface Decoder<T> {
        T decode(ByteBuffer body) throws ProtocolException;
    }

    private final ConnectionPool pool;
    private final TrackerSelector selector;

    TrackerClient(ConnectionPool pool, TrackerSelector selector) {
        this.pool = pool;
        this.selector = selector;
    }

    /** 101 (any group, {@code group} null) or 104: where to upload. */
    public StoreReply queryStore(String group) {
        return group == null
                ? ask("upload", Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE, Body.EMPTY, MAX_QUERY_REPLY, StoreReply::decode)
                : ask(group, Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE, new GroupName(group), MAX_QUERY_REPLY,
                        StoreReply::decode);
    }

    /** 106 (any group, {@code group} null) or 107: every storage an upload may go to. */
    public StoreAllReply queryStoreAll(String group) {
        return group == null
                ? ask("upload", Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ALL, Body.EMPTY, MAX_QUERY_REPLY,
                        StoreAllReply::decode)
                : ask(group, Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ALL, new GroupName(group), MAX_QUERY_REPLY,
                        StoreAllReply::decode);
    }

    /** 102: a storage that can serve the file now. */
    public FetchReply queryFetch(FileId id) {
        return ask(id.toString(), Cmd.SERVICE_QUERY_FETCH_ONE, request(id), MAX_QUERY_REPLY, FetchReply::decode);
    }

    /** 103: the storage that takes changes to the file (its source storage when that one is up). */
    public FetchReply queryUpdate(FileId id) {
        return ask(id.toString(), Cmd.SERVICE_QUERY_UPDATE, request(id), MAX_QUERY_REPLY, FetchReply::decode);
    }

    /** 105: every storage that can serve the file, in the 6.16 layout (a port per entry). */
    public FetchAllReply queryFetchAll(FileId id) {
        return ask(id.toString(), Cmd.SERVICE_QUERY_FETCH_ALL, request(id), MAX_LIST_REPLY, FetchAllReply::decode);
    }

    /** 91: every group, sorted by name; empty when the tracker knows none. */
    public List<GroupStat> listGroups() {
        return ask("groups", Cmd.SERVER_LIST_ALL_GROUPS, Body.EMPTY, MAX_LIST_REPLY, GroupStats::decode).groups();
    }

    /** 90: one group. */
    public GroupStat listGroup(String group) {
        return ask(group, Cmd.SERVER_LIST_ONE_GROUP, new GroupName(group), MAX_LIST_REPLY, body -> {
            List<GroupStat> one = GroupStats.decode(body).groups();
            if (one.size() != 1) {
                throw ProtocolException.invalid(one.size() + " group records instead of one");
            }
            return one.get(0);
        });
    }

    /** 92: the storages of {@code group}, sorted by ID, or only {@code storageId} when it is not null. */
    public List<StorageStat> listStorages(String group, String storageId) {
        GroupStorageFilter request = new GroupStorageFilter(group, storageId == null ? "" : storageId);
        return ask(storageId == null ? group : group + "/" + storageId, Cmd.SERVER_LIST_STORAGE, request,
                MAX_LIST_REPLY, StorageStats::decode).storages();
    }

    /** 93: deletes an OFFLINE storage from the tracker's records (EBUSY while it is still serving). */
    public void deleteStorage(String group, String storageId) {
        ask(group + "/" + storageId, Cmd.SERVER_DELETE_STORAGE, new GroupStorageFilter(group, storageId), 0,
                body -> null);
    }

    /**
     * 243 KFDFS_DRAIN (kfdfs trackers): the tracker chooses the member for no upload while {@code drained}
     * (docs/migration.md); a C tracker answers EINVAL.
     */
    public void drain(String group, String storageId, boolean drained) {
        ask(group + "/" + storageId, Cmd.KFDFS_DRAIN, new DrainRequest(group, drained, storageId), 0, body -> null);
    }

    /**
     * 63 GET_ONE_SYS_FILE, file 2 ({@code storage_sync_timestamp.dat}), read to its end: per group, one line
     * per storage, {@code group,source id,t_0..t_n-1}, t_k being the newest change storage k (the k-th line's)
     * has received from that source. A kfdfs tracker answers from memory; a C tracker sends the copy it last
     * saved, which may be older (never newer) than what it holds.
     */
    public String syncTimestamps() {
        StringBuilder text = new StringBuilder();
        long size;
        do {
            SysFileChunk chunk = ask("sync timestamps", Cmd.TRACKER_GET_ONE_SYS_FILE, new SysFileRequest(2, text.length()),
                    8 + SysFileChunk.MAX_DATA, SysFileChunk::decode);
            size = chunk.fileSize();
            if (chunk.data().length == 0 && text.length() < size) {
                throw new ConnectionException(Status.EIO, null, "sync timestamps: the tracker sent an empty chunk at "
                        + text.length() + " of " + size, true, null);
            }
            text.append(new String(chunk.data(), StandardCharsets.ISO_8859_1));
        } while (text.length() < size);
        return text.toString();
    }

    /** 95 SERVER_GET_LEADER (FastDFS 6.15.5+): the leader tracker's address; ENOENT when it knows none yet. */
    public HostPort leader() {
        TextBody text = ask("leader", Cmd.SERVER_GET_LEADER, Body.EMPTY, MAX_QUERY_REPLY,
                body -> TextBody.decode(body, 1, Fields.IPV6_SIZE + 8));
        try {
            return HostPort.parse(text.text(), TrackerConfig.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new ConnectionException(Status.EINVAL, null, "leader: the tracker answered \"" + text.text()
                    + "\": " + e.getMessage(), true, null);
        }
    }

    /** 75 STORAGE_PARAMETER_REQ: the settings storages (and clients) take from the tracker, such as use_storage_id. */
    public Parameters parameters() {
        return ask("parameters", Cmd.STORAGE_PARAMETER_REQ, Body.EMPTY, MAX_LIST_REPLY, Parameters::decode);
    }

    /** 69 STORAGE_FETCH_STORAGE_IDS, page by page: the tracker's storage_ids.conf. */
    public StorageIds storageIds() {
        StringBuilder text = new StringBuilder();
        int fetched = 0;
        int total;
        do {
            StorageIdsReply page = ask("storage ids", Cmd.STORAGE_FETCH_STORAGE_IDS,
                    new StorageIdsRequest(fetched, false), MAX_LIST_REPLY, StorageIdsReply::decode);
            page.lines().forEach(l -> text.append(l).append('\n'));
            fetched += page.lines().size();
            total = page.total();
            if (page.lines().isEmpty() && fetched < total) {
                throw new ConnectionException(Status.EIO, null, "storage ids: the tracker sent an empty page at "
                        + fetched + " of " + total, true, null);
            }
        } while (fetched < total);
        return StorageIds.parse("the tracker's storage IDs", text.toString());
    }

    /** The same commands sent to {@code tracker} alone, without failover: to report what one tracker knows. */
    public TrackerClient only(HostPort tracker) {
        return new TrackerClient(pool, new TrackerSelector(List.of(tracker), Duration.ZERO, System::nanoTime));
    }

    /** The trackers this client asks, as configured. */
    public List<HostPort> trackers() {
        return selector.trackers();
    }

    private static GroupFile request(FileId id) {
        return new GroupFile(id.group(), id.remote().text());
    }

    private <T> T ask(String subject, int cmd, Body request, long maxReply, Decoder<T> decoder) {
        ByteBuffer frame = request.request(cmd);
        NoSuchFileException notFound = null;
        ConnectionException unreachable = null;
        for (HostPort tracker : selector.order()) {
            try {
                T reply = pool.execute(tracker, "tracker", true,
                        c -> decoder.decode(c.call(frame.duplicate(), maxReply, subject)));
                selector.succeeded(tracker);
                return reply;
            } catch (ConnectionException e) {
                selector.failed(tracker);
                unreachable = e;
            } catch (NoSuchFileException e) {
                notFound = e;
            }
        }
        throw notFound != null ? notFound : unreachable;
    }
}
