package io.kfdfs.client.fake;

import io.kfdfs.conf.HostPort;
import io.kfdfs.protocol.Cmd;
import io.kfdfs.protocol.Fields;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.storage.GroupFile;
import io.kfdfs.protocol.tracker.FetchReply;
import io.kfdfs.protocol.tracker.GroupStat;
import io.kfdfs.protocol.tracker.GroupStats;
import io.kfdfs.protocol.tracker.Parameters;
import io.kfdfs.protocol.tracker.ServerAddress;
import io.kfdfs.protocol.tracker.StorageIdsReply;
import io.kfdfs.protocol.tracker.StorageIdsRequest;
import io.kfdfs.protocol.tracker.StorageStat;
import io.kfdfs.protocol.tracker.StorageStats;
import io.kfdfs.protocol.tracker.StoreReply;
import io.kfdfs.protocol.tracker.TextBody;

import java.util.List;
import java.util.Map;

/**
 * A tracker for tests: uploads go to {@link #storeTo}, reads (102) to {@link #fetchFrom}, changes (103)
 * to {@link #updateAt}; the list commands answer the records a test sets. The response IP size is 16
 * unless a test sets 46.
 */
public final class FakeTracker implements FakeServer.Handler {

    private final String group;
    private volatile HostPort storeTo;
    private volatile HostPort fetchFrom;
    private volatile HostPort updateAt;
    private volatile int storePathIndex;
    private volatile int ipSize = Fields.IPV4_SIZE;
    private volatile List<GroupStat> groups = List.of();
    private volatile List<StorageStat> storages = List.of();
    private volatile Map<String, String> parameters = Map.of();
    private volatile List<String> storageIdLines = List.of();
    private volatile String leader;

    public FakeTracker(String group, HostPort storage) {
        this.group = group;
        this.storeTo = storage;
        this.fetchFrom = storage;
        this.updateAt = storage;
    }

    public FakeTracker storeTo(HostPort storage) {
        storeTo = storage;
        return this;
    }

    public FakeTracker fetchFrom(HostPort storage) {
        fetchFrom = storage;
        return this;
    }

    public FakeTracker updateAt(HostPort storage) {
        updateAt = storage;
        return this;
    }

    public FakeTracker storePathIndex(int index) {
        storePathIndex = index;
        return this;
    }

    public FakeTracker ipSize(int size) {
        ipSize = size;
        return this;
    }

    public FakeTracker groups(List<GroupStat> list) {
        groups = list;
        return this;
    }

    public FakeTracker storages(List<StorageStat> list) {
        storages = list;
        return this;
    }

    /** The PARAMETER_REQ (75) answer. */
    public FakeTracker parameters(Map<String, String> values) {
        parameters = values;
        return this;
    }

    /** storage_ids.conf lines, served by FETCH_STORAGE_IDS (69) one line per page. */
    public FakeTracker storageIds(List<String> lines) {
        storageIdLines = lines;
        return this;
    }

    /** The GET_LEADER (95) answer, as the text a tracker sends; null: ENOENT (no leader known). */
    public FakeTracker leader(String text) {
        leader = text;
        return this;
    }

    @Override
    public FakeServer.Reply handle(FakeServer.Request r) throws Exception {
        return switch (r.header().cmd()) {
            case Cmd.SERVICE_QUERY_STORE_WITHOUT_GROUP_ONE, Cmd.SERVICE_QUERY_STORE_WITH_GROUP_ONE ->
                    FakeServer.Reply.of(new StoreReply(group, address(storeTo), storePathIndex, ipSize));
            case Cmd.SERVICE_QUERY_FETCH_ONE -> fetch(r, fetchFrom);
            case Cmd.SERVICE_QUERY_UPDATE -> fetch(r, updateAt);
            case Cmd.SERVER_LIST_ALL_GROUPS -> FakeServer.Reply.of(new GroupStats(groups, false));
            case Cmd.SERVER_LIST_ONE_GROUP -> FakeServer.Reply.of(new GroupStats(groups.subList(0, 1), false));
            case Cmd.SERVER_LIST_STORAGE -> FakeServer.Reply.of(new StorageStats(storages, ipSize, false));
            case Cmd.STORAGE_PARAMETER_REQ -> FakeServer.Reply.of(new Parameters(parameters));
            case Cmd.STORAGE_FETCH_STORAGE_IDS -> {
                int start = StorageIdsRequest.decode(r.bodyBuffer()).startIndex();
                List<String> page = storageIdLines.subList(start, Math.min(start + 1, storageIdLines.size()));
                yield FakeServer.Reply.of(new StorageIdsReply(storageIdLines.size(), page));
            }
            case Cmd.SERVER_GET_LEADER -> leader == null ? FakeServer.Reply.error(Status.ENOENT)
                    : FakeServer.Reply.of(new TextBody(leader));
            case Cmd.ACTIVE_TEST -> FakeServer.Reply.ok();
            default -> FakeServer.Reply.error(Status.EINVAL);
        };
    }

    private FakeServer.Reply fetch(FakeServer.Request r, HostPort target) throws Exception {
        GroupFile f = GroupFile.decode(r.bodyBuffer());
        if (!f.group().equals(group)) {
            return FakeServer.Reply.error(Status.ENOENT);
        }
        return FakeServer.Reply.of(new FetchReply(group, address(target), ipSize));
    }

    private static ServerAddress address(HostPort h) {
        return new ServerAddress(h.host(), h.port());
    }
}
