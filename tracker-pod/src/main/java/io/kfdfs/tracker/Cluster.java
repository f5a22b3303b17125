package io.kfdfs.tracker;

import io.kfdfs.conf.StorageIds;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.FileId;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.IpChangedReport;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.StatBlock;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The tracker's view of the cluster: groups, their storages and the state machine of docs/protocol.md §6.
 * Every method runs on the tracker's one event loop, so there are no locks; callers persist what
 * {@link #takeChanges()} reports before answering requests that depend on it.
 */
final class Cluster {

    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    /** What changed since the last {@link #takeChanges()}: which files must be rewritten. */
    record Changes(boolean groups, boolean servers, boolean syncTimestamps, List<String> changelogLines) {

        boolean any() {
            return groups || servers || syncTimestamps || !changelogLines.isEmpty();
        }
    }

    final TrackerConfig config;
    /** storage_ids.conf when use_storage_id is on, else null; replaced when the file changes. */
    StorageIds ids;
    final LongSupplier clock;
    /** Groups by name: name order is the order of every listing and file. */
    final TreeMap<String, Group> groups = new TreeMap<>();
    /** The whole storage_changelog.dat (small: one line per deletion or IP change). */
    final StringBuilder changelog = new StringBuilder();
    /** Index into the name-ordered groups for store_lookup 0 and 2. */
    int currentWriteGroup;

    private boolean groupsChanged;
    private boolean serversChanged;
    private boolean syncChanged;
    /** Counters and space changed: worth saving now and then, not before a reply (TRACKER_SYNC_TO_FILE_FREQ). */
    private boolean statsChanged;
    private final List<String> changelogLines = new ArrayList<>();

    Cluster(TrackerConfig config, StorageIds ids, LongSupplier clock) {
        this.config = config;
        this.ids = ids;
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * Takes a changed storage_ids.conf (use_storage_id is on). The storages' records stay as they are: a
     * storage whose line is gone keeps serving until its connection ends, since its records and files
     * live on and a retired storage was deleted before its line went; it cannot JOIN again without the
     * line. rw modes apply at once.
     */
    void replaceIds(StorageIds next) {
        if (config.responseIpAddrSize() == TrackerConfig.AUTO_IP_SIZE && next.hasIpv6() != ids.hasIpv6()) {
            LOG.log(Level.WARNING, "storage_ids.conf " + (next.hasIpv6() ? "now has" : "no longer has")
                    + " IPv6 addresses: response_ip_addr_size = auto keeps its size from the start until a restart");
        }
        ids = next;
        for (StorageNode s : allStorages()) {
            Optional<StorageIds.Entry> e = next.byId(s.id);
            if (e.isPresent()) {
                s.rwMode = e.get().rw().code();
            } else if (s.connection != null) {
                LOG.log(Level.WARNING, "storage " + s + " is no longer in storage_ids.conf: it serves until its"
                        + " connection ends, and cannot join again");
            }
        }
    }

    Changes takeChanges() {
        Changes c = new Changes(groupsChanged, serversChanged, syncChanged, List.copyOf(changelogLines));
        groupsChanged = false;
        serversChanged = false;
        syncChanged = false;
        changelogLines.clear();
        return c;
    }

    boolean takeStatsChanged() {
        boolean c = statsChanged;
        statsChanged = false;
        return c;
    }

    /**
     * Takes over the groups and changelog of {@code copy}, the data copied from a peer tracker before any
     * storage joined here; the caller saves every file.
     */
    void adopt(Cluster copy) {
        groups.clear();
        groups.putAll(copy.groups);
        changelog.setLength(0);
        changelog.append(copy.changelog);
        currentWriteGroup = 0;
        takeChanges();
    }

    Group group(String name) throws ProtocolException {
        Group g = groups.get(name);
        if (g == null) {
            throw new ProtocolException(Status.ENOENT, "unknown group " + name);
        }
        return g;
    }

    StorageNode storage(String group, String id) throws ProtocolException {
        return group(group).storage(id)
                .orElseThrow(() -> new ProtocolException(Status.ENOENT, "unknown storage " + group + "/" + id));
    }

    Optional<StorageNode> findByAddress(Group g, String ip, int port) {
        return g.storages.stream().filter(s -> s.ip.equals(ip) && s.port == port).findFirst();
    }

    // ---------------------------------------------------------------- JOIN (§5.1)

    /** What a JOIN must carry before the storage is even identified. */
    static void checkJoin(JoinRequest r, String peerIp) throws ProtocolException {
        FileId.checkGroup(r.group());
        if (r.storagePort() <= 0 || r.storePathCount() < 1 || r.storePathCount() > 256
                || r.subdirCountPerPath() < 1 || r.subdirCountPerPath() > 256) {
            throw ProtocolException.invalid("join of " + peerIp + ": bad port " + r.storagePort()
                    + ", store_path_count " + r.storePathCount() + " or subdir_count " + r.subdirCountPerPath());
        }
    }

    /**
     * @param r a JOIN that passed {@link #checkJoin}
     * @param entry the storage's storage_ids.conf entry with its hosts resolved, or null without storage IDs
     */
    StorageNode join(JoinRequest r, String peerIp, Object connection, StorageIds.Entry entry) throws ProtocolException {
        if (entry != null && !entry.group().equals(r.group())) {
            throw ProtocolException.invalid("storage " + entry.id() + " belongs to group " + entry.group() + ", not "
                    + r.group());
        }
        String id = entry != null ? entry.id() : Addresses.storageIdOfIp(peerIp);
        Group g = groups.get(r.group());
        StorageNode s = g == null ? null : g.storage(id).orElse(null);
        if (s == null && !r.initFlag() && (r.status() < 0 || r.status() == StorageStatus.DELETED
                || r.status() == StorageStatus.IP_CHANGED || r.status() == StorageStatus.NONE)) {
            throw new ProtocolException(Status.EFAULT, "join of unknown storage " + r.group() + "/" + id
                    + " with status " + r.status());
        }
        if (s != null && s.connection != null && s.connection != connection && !s.ip.equals(peerIp)
                && now() - s.lastSeen <= config.checkActiveInterval()) {
            throw new ProtocolException(Status.EEXIST, "storage " + s + " is joined and alive; " + peerIp
                    + " claims the same ID");
        }
        if (g == null) {
            g = new Group(r.group(), r.storagePort(), (int) r.storePathCount(), (int) r.subdirCountPerPath());
            groups.put(g.name, g);
            groupsChanged = true;
            LOG.log(Level.INFO, "new group " + g.name);
        } else {
            adjustGroup(g, r, id, peerIp);
        }
        if (s == null) {
            s = new StorageNode(id, g, peerIp, r.storagePort());
            int status = StorageStatus.INIT;
            if (!r.initFlag() && r.status() > 0) {
                status = r.status() == StorageStatus.ACTIVE ? StorageStatus.ONLINE : r.status();
            }
            s.status = status;
            s.changelogOffset = changelog.length();
            g.storages.add(s);
            g.version++;
            serversChanged = true;
            LOG.log(Level.INFO, "storage " + s + " joined for the first time");
        } else {
            int status = s.status;
            if (s.retired()) {
                status = StorageStatus.INIT;
            } else if (status == StorageStatus.OFFLINE || status == StorageStatus.RECOVERY) {
                status = StorageStatus.ONLINE;
            }
            if (status == StorageStatus.INIT) {
                s.changelogOffset = changelog.length();
            }
            setStatus(s, status, "joined from " + peerIp + ":" + r.storagePort());
        }
        if (!s.ip.equals(peerIp) || s.port != r.storagePort()) {
            LOG.log(Level.INFO, "storage " + g.name + "/" + id + " now at " + peerIp + ":" + r.storagePort());
            s.ip = peerIp;
            s.port = r.storagePort();
            g.version++;
        }
        s.rwMode = entry != null ? entry.rw().code() : 6;
        s.dualAddress = entry != null && entry.hosts().size() > 1 ? entry.hosts() : List.of();
        s.version = r.version();
        s.joinTime = r.joinTime();
        s.upTime = r.upTime();
        s.uploadPriority = r.uploadPriority();
        s.storePathCount = (int) r.storePathCount();
        s.subdirCountPerPath = (int) r.subdirCountPerPath();
        if (s.pathTotalMb.length != s.storePathCount) {
            s.pathTotalMb = new long[s.storePathCount];
            s.pathFreeMb = new long[s.storePathCount];
            s.currentWritePath = 0;
        }
        s.connection = connection;
        s.lastSeen = now();
        s.readOnly = false;
        serversChanged = true;
        return s;
    }

    /** A member's store layout must match the group's; its port too unless file names carry IDs. */
    private void adjustGroup(Group g, JoinRequest r, String id, String peerIp) throws ProtocolException {
        boolean alone = g.storages.stream().allMatch(s -> s.id.equals(id) || s.retired());
        if (r.storePathCount() != g.storePathCount || r.subdirCountPerPath() != g.subdirCountPerPath) {
            if (!alone) {
                throw ProtocolException.invalid("join of " + peerIp + ": store_path_count " + r.storePathCount()
                        + " / subdir_count " + r.subdirCountPerPath() + " differ from group " + g.name + "'s "
                        + g.storePathCount + " / " + g.subdirCountPerPath);
            }
            g.storePathCount = (int) r.storePathCount();
            g.subdirCountPerPath = (int) r.subdirCountPerPath();
            groupsChanged = true;
        }
        if (r.storagePort() != g.port) {
            if (alone) {
                g.port = r.storagePort();
            } else if (ids != null && "id".equals(config.idTypeInFilename())) {
                g.port = -1;
            } else {
                throw ProtocolException.invalid("join of " + peerIp + ": port " + r.storagePort()
                        + " differs from group " + g.name + "'s port " + g.port);
            }
            groupsChanged = true;
        }
    }

    // ---------------------------------------------------------------- reports (§5.1)

    void beat(StorageNode s, Optional<StatBlock> stat) {
        stat.ifPresent(b -> s.stat = b.with(StatBlock.Counter.LAST_SYNCED_TIMESTAMP, 0)
                .with(StatBlock.Counter.LAST_HEART_BEAT_TIME, 0));
        s.lastHeartBeatTime = now();
        statsChanged = true;
        activate(s, "beat");
    }

    void diskUsage(StorageNode s, DiskUsage u) throws ProtocolException {
        if (u.paths().size() != s.group.storePathCount) {
            throw ProtocolException.invalid("disk usage of " + s + ": " + u.paths().size()
                    + " paths, the group has " + s.group.storePathCount);
        }
        int n = u.paths().size();
        s.pathTotalMb = new long[n];
        s.pathFreeMb = new long[n];
        long total = 0;
        long free = 0;
        int best = 0;
        for (int i = 0; i < n; i++) {
            s.pathTotalMb[i] = u.paths().get(i).totalMb();
            s.pathFreeMb[i] = u.paths().get(i).freeMb();
            total += s.pathTotalMb[i];
            free += s.pathFreeMb[i];
            if (s.pathFreeMb[i] > s.pathFreeMb[best]) {
                best = i;
            }
        }
        s.totalMb = total;
        s.freeMb = free;
        if (config.storePath() == 2) {
            s.currentWritePath = best;
        }
        statsChanged = true;
        activate(s, "disk usage report");
        if (config.storeLookup() == 2) {
            pickGroupWithMostSpace();
        }
    }

    // ---------------------------------------------------------------- the selection's round-robin cursors (§11.2)

    void nextWriteGroup(int index) {
        currentWriteGroup = index;
    }

    void nextWriteServer(Group g, int index) {
        g.currentWriteServer = index;
    }

    void nextWritePath(StorageNode s, int index) {
        s.currentWritePath = index;
    }

    void nextReadServer(Group g, int index) {
        g.currentReadServer = index;
    }

    /** A joined storage's connection carried a request. */
    void seen(StorageNode s) {
        s.lastSeen = now();
    }

    /** store_lookup = 2: the group with writable storages and the most free space (§11.2). */
    private void pickGroupWithMostSpace() {
        long best = -1;
        int i = 0;
        for (Group g : groups.values()) {
            if (!g.writable().isEmpty() && g.space().freeMb() > best) {
                best = g.space().freeMb();
                currentWriteGroup = i;
            }
            i++;
        }
    }

    void syncReport(StorageNode dest, SyncReport r) {
        Group g = dest.group;
        for (SyncReport.Entry e : r.entries()) {
            Optional<StorageNode> src = g.storage(e.sourceId());
            if (e.timestamp() > 0 && src.isPresent() && src.get() != dest && src.get().isActive()) {
                g.syncTimestamps.computeIfAbsent(e.sourceId(), k -> new HashMap<>())
                        .put(dest.id, (long) e.timestamp() & 0xFFFFFFFFL);
                syncChanged = true;
            }
        }
        recomputeLastSynced(dest);
        noteCatchingUp(dest);
    }

    /** Logs when a full-synced ACTIVE member is kept out of the readable set, and when it is let in. */
    private void noteCatchingUp(StorageNode s) {
        boolean now = s.isActive() && s.group.catchingUp(s);
        if (now != s.catchingUpLogged) {
            s.catchingUpLogged = now;
            LOG.log(Level.INFO, "storage " + s.group.name + "/" + s.id + (now
                    ? " is ACTIVE but not readable until every member's sync reaches its full sync's cutoff "
                    + s.syncUntilTimestamp : " has caught up with every member: readable"));
        }
    }

    /** 241 (kfdfs): a storage being retired takes no uploads; it says so again after every JOIN. */
    void readOnly(StorageNode s, boolean readOnly) {
        if (s.readOnly != readOnly) {
            LOG.log(Level.INFO, "storage " + s + (readOnly ? " is read-only (retiring): no more uploads to it"
                    : " is writable again"));
            s.readOnly = readOnly;
        }
    }

    /** 243 (kfdfs): an operator keeps a member off uploads, or lets it take them again. */
    void drain(String group, String id, boolean drained) throws ProtocolException {
        StorageNode s = storage(group, id);
        if (s.retired()) {
            throw new ProtocolException(Status.ENOENT, "storage " + s + " is " + StorageStatus.name(s.status));
        }
        if (s.drained != drained) {
            LOG.log(Level.INFO, "storage " + s + (drained ? " drained: no more uploads to it" : " takes uploads again"));
            s.drained = drained;
        }
    }

    /**
     * §9.5: min over active sources when uploads go everywhere (store_server 0), else max. Like C, only a
     * sync report recomputes it; a restart keeps the saved value.
     */
    private void recomputeLastSynced(StorageNode dest) {
        long result = 0;
        boolean first = true;
        for (StorageNode src : dest.group.storages) {
            long ts = dest.group.syncTimestamp(src.id, dest.id);
            if (src == dest || !src.isActive() || ts <= 0) {
                continue;
            }
            result = first ? ts : config.storeServer() == 0 ? Math.min(result, ts) : Math.max(result, ts);
            first = false;
        }
        dest.lastSyncedTimestamp = result;
    }

    // ---------------------------------------------------------------- sync setup (§5.2, §6.2)

    /** 86: dest's designated source if that source is still usable; otherwise the designation is dropped. */
    Optional<SyncSource> syncSourceFor(String group, String destId) throws ProtocolException {
        StorageNode dest = storage(group, destId);
        if (dest.status == StorageStatus.INIT || dest.retired()) {
            throw new ProtocolException(Status.ENOENT, "storage " + dest + " has no sync source yet");
        }
        if (dest.syncSrcId.isEmpty()) {
            return Optional.empty();
        }
        Optional<StorageNode> src = dest.group.storage(dest.syncSrcId);
        if (src.isPresent() && (src.get().status == StorageStatus.OFFLINE || src.get().status == StorageStatus.ONLINE
                || src.get().status == StorageStatus.ACTIVE || src.get().status == StorageStatus.RECOVERY)) {
            return Optional.of(new SyncSource(dest.syncSrcId, dest.syncUntilTimestamp));
        }
        LOG.log(Level.INFO, "sync source " + dest.syncSrcId + " of " + dest + " is gone: designation dropped");
        dest.syncSrcId = "";
        dest.syncUntilTimestamp = 0;
        serversChanged = true;
        return Optional.empty();
    }

    /** 87: a new storage asks where to copy the group's existing files from. */
    Optional<SyncSource> assignSyncSource(StorageNode caller) throws ProtocolException {
        Group g = caller.group;
        boolean peers = g.storages.stream().anyMatch(s -> s != caller && (s.status == StorageStatus.OFFLINE
                || s.status == StorageStatus.ONLINE || s.status == StorageStatus.ACTIVE));
        if (!peers) {
            setStatus(caller, StorageStatus.ONLINE, "first storage of its group: nothing to sync");
            return Optional.empty();
        }
        StorageNode src = g.writable().stream().filter(s -> s != caller).findFirst()
                .orElseThrow(() -> new ProtocolException(Status.ENOENT, "no active storage in " + g.name
                        + " can be the sync source of " + caller));
        caller.syncSrcId = src.id;
        caller.syncUntilTimestamp = now();
        setStatus(caller, StorageStatus.WAIT_SYNC, "will sync from " + src.id);
        serversChanged = true;
        return Optional.of(new SyncSource(src.id, caller.syncUntilTimestamp));
    }

    /** 88: the storage tells which source it syncs from (empty: none, it is done). */
    void syncNotify(StorageNode s, SyncSource src) throws ProtocolException {
        if (src.srcId().isEmpty()) {
            if (s.status == StorageStatus.INIT || s.status == StorageStatus.WAIT_SYNC
                    || s.status == StorageStatus.SYNCING) {
                setStatus(s, StorageStatus.ONLINE, "no sync source");
            }
            return;
        }
        if (s.syncSrcId.isEmpty()) {
            StorageNode source = s.group.storage(src.srcId()).filter(x -> !x.retired())
                    .orElseThrow(() -> new ProtocolException(Status.ENOENT, "sync source " + src.srcId()
                            + " of " + s + " is unknown or deleted"));
            s.syncSrcId = source.id;
            s.syncUntilTimestamp = src.untilTimestamp();
            serversChanged = true;
        }
        if (s.status == StorageStatus.INIT) {
            setStatus(s, StorageStatus.WAIT_SYNC, "syncs from " + s.syncSrcId);
        }
    }

    // ---------------------------------------------------------------- status reports (§6.2)

    /** 76 (and 85 on a follower): the merge rule. */
    void mergeStatus(String group, StorageBrief b) throws ProtocolException {
        Group g = group(group);
        if (b.status() == StorageStatus.NONE) {
            return;
        }
        Optional<StorageNode> known = g.storage(b.id());
        if (known.isEmpty()) {
            if (b.status() == StorageStatus.DELETED || b.status() == StorageStatus.IP_CHANGED
                    || b.status() == StorageStatus.ACTIVE || b.status() == StorageStatus.ONLINE) {
                return;
            }
            StorageNode s = new StorageNode(b.id(), g, b.ip(), b.port());
            s.status = b.status();
            s.storePathCount = g.storePathCount;
            s.subdirCountPerPath = g.subdirCountPerPath;
            g.storages.add(s);
            g.version++;
            serversChanged = true;
            LOG.log(Level.INFO, "storage " + s + " learned from a status report");
            return;
        }
        StorageNode s = known.get();
        int cur = s.status;
        if (cur == b.status() || cur == StorageStatus.INIT || cur == StorageStatus.ONLINE
                || cur == StorageStatus.ACTIVE || cur == StorageStatus.RECOVERY) {
            return;
        }
        if (b.status() == StorageStatus.DELETED || b.status() == StorageStatus.IP_CHANGED || b.status() > cur) {
            setStatus(s, b.status(), "status report");
        }
    }

    /** 59: a storage asks to adopt the status the leader gave it; live statuses are kept as OFFLINE. */
    void changeStatus(StorageNode s, int status) {
        int target = status == StorageStatus.ONLINE || status == StorageStatus.ACTIVE ? StorageStatus.OFFLINE : status;
        if (s.status == status || (available(s.status) && available(status))) {
            return;
        }
        setStatus(s, target, "change-status request");
    }

    private static boolean available(int status) {
        return status == StorageStatus.OFFLINE || status == StorageStatus.ONLINE || status == StorageStatus.ACTIVE;
    }

    /** BEAT and REPORT_DISK_USAGE: a storage past its initial sync becomes ACTIVE. */
    private void activate(StorageNode s, String why) {
        if (s.status == StorageStatus.WAIT_SYNC || s.status == StorageStatus.SYNCING || s.status == StorageStatus.INIT
                || s.retired()) {
            return;
        }
        setStatus(s, StorageStatus.ACTIVE, why);
        noteCatchingUp(s);
    }

    /** Every status change goes through here: logged, announced to the group, persisted. */
    void setStatus(StorageNode s, int status, String why) {
        if (s.status == status) {
            return;
        }
        LOG.log(Level.INFO, "storage " + s.group.name + "/" + s.id + " (" + s.address() + "): "
                + StorageStatus.name(s.status) + " -> " + StorageStatus.name(status) + " (" + why + ")");
        s.status = status;
        s.statusSince = now();
        s.group.version++;
        serversChanged = true;
    }

    // ---------------------------------------------------------------- disconnects and timeouts (§6.2)

    void disconnected(StorageNode s, Object connection) {
        if (s.connection != connection) {
            return; // a newer connection took this storage over
        }
        s.connection = null;
        s.upTime = 0;
        if (available(s.status)) {
            setStatus(s, StorageStatus.OFFLINE, "connection closed");
        }
        serversChanged = true;
    }

    /** ACTIVE storages not heard from for check_active_interval seconds go OFFLINE. */
    void expireHeartbeats() {
        long limit = now() - config.checkActiveInterval();
        for (Group g : groups.values()) {
            for (StorageNode s : g.storages) {
                if (s.isActive() && s.lastHeartBeatTime < limit) {
                    setStatus(s, StorageStatus.OFFLINE, "no heartbeat for " + (now() - s.lastHeartBeatTime) + " s");
                }
                logStuckSync(s);
            }
        }
    }

    /**
     * A storage waiting for its full sync longer than check_active_interval is logged with what it waits
     * for; it moves on by itself once that is back (the source drives the sync whenever it sees it wait).
     */
    private void logStuckSync(StorageNode s) {
        if (s.status != StorageStatus.WAIT_SYNC && s.status != StorageStatus.SYNCING) {
            return;
        }
        if (s.statusSince == 0) {
            s.statusSince = now();
        }
        long waited = now() - s.statusSince;
        if (waited < config.checkActiveInterval()) {
            return;
        }
        Optional<StorageNode> src = s.group.storage(s.syncSrcId);
        String why = src.isEmpty() || src.get().retired() ? "it has no usable sync source (\"" + s.syncSrcId + "\")"
                : !src.get().isActive() ? "its sync source " + src.get() + " is not ACTIVE"
                : "its sync source " + src.get() + " has not finished the full sync yet";
        LOG.log(Level.WARNING, "storage " + s + " has been " + StorageStatus.name(s.status) + " for " + waited
                + " s: " + why);
    }

    // ---------------------------------------------------------------- administration (§3.5, §3.8, §5.2)

    void deleteStorage(String group, String id) throws ProtocolException {
        StorageNode s = storage(group, id);
        switch (s.status) {
            case StorageStatus.IP_CHANGED -> throw new ProtocolException(Status.ENOENT, "storage " + s + " changed its IP");
            case StorageStatus.ONLINE, StorageStatus.ACTIVE, StorageStatus.RECOVERY ->
                    throw new ProtocolException(Status.EBUSY, "storage " + s + " is still serving");
            case StorageStatus.DELETED -> throw new ProtocolException(Status.EALREADY, "storage " + s + " is already deleted");
            default -> {
            }
        }
        setStatus(s, StorageStatus.DELETED, "deleted by an administrator");
        s.stat = StatBlock.ZERO;
        s.totalMb = 0;
        s.freeMb = 0;
        s.syncSrcId = "";
        s.syncUntilTimestamp = 0;
        for (StorageNode other : s.group.storages) {
            if (other.syncSrcId.equals(id)) {
                other.syncSrcId = "";
                other.syncUntilTimestamp = 0;
                if (other.status == StorageStatus.WAIT_SYNC || other.status == StorageStatus.SYNCING) {
                    resyncFromAnother(other);
                }
            }
        }
        appendChangelog(group, id, StorageStatus.DELETED, "");
    }

    /** A waiting storage whose source was deleted starts its full sync again from another member. */
    private void resyncFromAnother(StorageNode s) {
        Optional<StorageNode> src = s.group.writable().stream().filter(x -> x != s).findFirst();
        if (src.isEmpty()) {
            LOG.log(Level.WARNING, "storage " + s + " lost its sync source and no other member can be its source yet");
            return;
        }
        s.syncSrcId = src.get().id;
        s.syncUntilTimestamp = now();
        setStatus(s, StorageStatus.WAIT_SYNC, "its sync source was deleted");
        LOG.log(Level.INFO, "storage " + s + ": full sync from " + src.get().id + " instead");
        s.group.version++; // the members learn that it waits again, and ask who its source is
        serversChanged = true;
    }

    void deleteGroup(String name) throws ProtocolException {
        Group g = group(name);
        if (!g.storages.isEmpty()) {
            throw new ProtocolException(Status.EBUSY, "group " + name + " still has " + g.storages.size() + " storages");
        }
        groups.remove(name);
        currentWriteGroup = 0;
        groupsChanged = true;
        LOG.log(Level.INFO, "group " + name + " deleted");
    }

    /** 78 (IP mode only): the storage came back with another IP; the old record retires. */
    void ipChanged(IpChangedReport r, String peerIp) throws ProtocolException {
        if (ids != null || !config.storageIpChangedAutoAdjust()) {
            throw new ProtocolException(Status.EOPNOTSUPP, "IP changes are only tracked without storage IDs");
        }
        if (!r.newIp().equals(peerIp)) {
            throw ProtocolException.invalid("IP change to " + r.newIp() + " reported from " + peerIp);
        }
        Group g = group(r.group());
        StorageNode old = g.storage(Addresses.storageIdOfIp(r.oldIp()))
                .orElseThrow(() -> new ProtocolException(Status.ENOENT, "no storage " + r.oldIp() + " in " + g.name));
        if (old.status == StorageStatus.IP_CHANGED) {
            throw new ProtocolException(Status.EALREADY, "storage " + old + " already changed its IP");
        }
        if (old.status == StorageStatus.ONLINE || old.status == StorageStatus.ACTIVE
                || old.status == StorageStatus.RECOVERY) {
            throw new ProtocolException(Status.EBUSY, "storage " + old + " is still serving");
        }
        String newId = Addresses.storageIdOfIp(r.newIp());
        if (g.storage(newId).isPresent()) {
            throw new ProtocolException(Status.EEXIST, "storage " + r.newIp() + " already exists in " + g.name);
        }
        StorageNode moved = old.movedTo(newId, r.newIp());
        g.storages.add(moved);
        setStatus(old, StorageStatus.IP_CHANGED, "now at " + r.newIp());
        appendChangelog(g.name, old.id, StorageStatus.IP_CHANGED, r.newIp());
    }

    private void appendChangelog(String group, String id, int status, String arg) {
        String line = now() + " " + group + " " + id + " " + status + " " + arg + "\n";
        changelog.append(line);
        changelogLines.add(line);
    }

    /** 77: the changelog a storage has not fetched yet, at most {@code max} bytes; its offset advances. */
    String changelogFor(StorageNode s, int max) {
        int from = (int) Math.min(s.changelogOffset, changelog.length());
        int to = Math.min(changelog.length(), from + max);
        if (to < changelog.length()) {
            int nl = changelog.lastIndexOf("\n", to - 1);
            to = nl >= from ? nl + 1 : to; // whole lines when possible
        }
        if (to != s.changelogOffset) {
            s.changelogOffset = to;
            serversChanged = true;
        }
        return changelog.substring(from, to);
    }

    // ---------------------------------------------------------------- the state files, loaded (StateFiles)

    /** A group as the groups file keeps it. */
    void restoreGroup(String name, int port, int storePathCount, int subdirCountPerPath, long currentTrunkFileId,
                      String trunkServer, String lastTrunkServer) {
        Group g = new Group(name, port, storePathCount, subdirCountPerPath);
        g.currentTrunkFileId = currentTrunkFileId;
        g.trunkServer = trunkServer;
        g.lastTrunkServer = lastTrunkServer;
        groups.put(name, g);
    }

    /**
     * A storage as the servers file keeps it, in its group (made if the groups file lacks it). One that was
     * not still setting up its initial sync is OFFLINE until it joins again (§6.2).
     */
    void restoreStorage(SavedStorage saved) {
        Group g = groups.computeIfAbsent(saved.group(),
                n -> new Group(n, saved.port(), saved.storePathCount(), saved.subdirCountPerPath()));
        StorageNode s = new StorageNode(saved.id(), g, saved.ip(), saved.port());
        int status = saved.status();
        s.status = status == StorageStatus.INIT || status == StorageStatus.WAIT_SYNC || status == StorageStatus.SYNCING
                ? status : StorageStatus.OFFLINE;
        s.rwMode = ids == null ? 6 : ids.byId(saved.id()).map(e -> e.rw().code()).orElse(6);
        s.version = saved.version();
        s.joinTime = saved.joinTime();
        s.syncSrcId = saved.syncSrcId();
        s.syncUntilTimestamp = saved.syncUntilTimestamp();
        s.totalMb = saved.totalMb();
        s.freeMb = saved.freeMb();
        s.changelogOffset = saved.changelogOffset();
        s.storePathCount = saved.storePathCount();
        s.subdirCountPerPath = saved.subdirCountPerPath();
        s.uploadPriority = saved.uploadPriority();
        s.lastHeartBeatTime = saved.stat().get(StatBlock.Counter.LAST_HEART_BEAT_TIME);
        s.lastSyncedTimestamp = saved.stat().get(StatBlock.Counter.LAST_SYNCED_TIMESTAMP);
        s.stat = saved.stat().with(StatBlock.Counter.LAST_SYNCED_TIMESTAMP, 0)
                .with(StatBlock.Counter.LAST_HEART_BEAT_TIME, 0);
        g.storages.add(s);
    }

    /** A storage as the servers file keeps it. */
    record SavedStorage(String group, String id, String ip, int port, int storePathCount, int subdirCountPerPath,
                        int status, String version, long joinTime, String syncSrcId, long syncUntilTimestamp,
                        long totalMb, long freeMb, long changelogOffset, long uploadPriority, StatBlock stat) {
    }

    /** How far {@code dest} has received {@code src}'s changes, as the sync timestamps file keeps it. */
    void restoreSyncTimestamp(Group g, String src, String dest, long timestamp) {
        g.syncTimestamps.computeIfAbsent(src, x -> new HashMap<>()).put(dest, timestamp);
    }

    void restoreChangelog(String text) {
        changelog.append(text);
    }

    Collection<Group> allGroups() {
        return groups.values();
    }

    /** The storages with an ID, across groups (for cluster-wide listings). */
    List<StorageNode> allStorages() {
        List<StorageNode> all = new ArrayList<>();
        groups.values().forEach(g -> all.addAll(g.byId()));
        return all;
    }
}
