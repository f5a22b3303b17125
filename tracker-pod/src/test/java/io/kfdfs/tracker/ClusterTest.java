package io.kfdfs.tracker;

import io.kfdfs.conf.ConfFile;
import io.kfdfs.conf.TrackerConfig;
import io.kfdfs.protocol.FileName;
import io.kfdfs.protocol.ProtocolException;
import io.kfdfs.protocol.Status;
import io.kfdfs.protocol.StorageStatus;
import io.kfdfs.protocol.Version;
import io.kfdfs.protocol.tracker.DiskUsage;
import io.kfdfs.protocol.tracker.JoinRequest;
import io.kfdfs.protocol.tracker.StorageBrief;
import io.kfdfs.protocol.tracker.SyncReport;
import io.kfdfs.protocol.tracker.SyncSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracker's state machine, timeouts and selection on the {@link Cluster} model itself: one thread, a
 * clock the test moves, no sockets. The wire around it is tested over TCP elsewhere ({@code SelectionTest},
 * {@code StorageSessionTest}).
 */
class ClusterTest {

    private static final int CHECK_ACTIVE_INTERVAL = 100;

    private long now = 1_700_000_000L;
    /** IP mode, FastDFS's defaults but for the interval and the reserve; never saved (no base_path used). */
    private final Cluster cluster = new Cluster(TrackerConfig.from(ConfFile.parse(Path.of("tracker.conf"),
            "base_path = /nonexistent\ncheck_active_interval = " + CHECK_ACTIVE_INTERVAL
                    + "\nreserved_storage_space = 10%\n")), null, () -> now);

    private static JoinRequest join(boolean initFlag, int status) {
        return join(initFlag, status, Version.KFDFS);
    }

    private static JoinRequest join(boolean initFlag, int status, String version) {
        return new JoinRequest("group1", 23000, 1, 256, 0, 1_700_000_000L, 1_700_000_001L, version, initFlag, status,
                "", "127.0.0.1", List.of("127.0.0.1:22122"));
    }

    /** A kfdfs storage joining for the first time from {@code ip}, on a connection of its own. */
    private StorageNode newStorage(String ip) throws ProtocolException {
        return newStorage(ip, Version.KFDFS);
    }

    private StorageNode newStorage(String ip, String version) throws ProtocolException {
        return cluster.join(join(true, 0, version), ip, new Object(), null);
    }

    /** A first storage of its group: ONLINE at once (nothing to sync), ACTIVE at its first beat, with space. */
    private StorageNode activeStorage(String ip) throws ProtocolException {
        StorageNode s = newStorage(ip);
        cluster.assignSyncSource(s);
        cluster.diskUsage(s, new DiskUsage(List.of(new DiskUsage.Path(1000, 900))));
        return s;
    }

    @Test
    void aNewMemberFullSyncsFromAnActiveOneBeforeItTurnsActive() throws Exception {
        StorageNode first = newStorage("127.0.0.2");
        assertEquals(StorageStatus.INIT, first.status);
        assertEquals(Optional.empty(), cluster.assignSyncSource(first), "the first of its group has nothing to sync");
        assertEquals(StorageStatus.ONLINE, first.status);
        cluster.beat(first, Optional.empty());
        assertEquals(StorageStatus.ACTIVE, first.status);

        StorageNode second = newStorage("127.0.0.3");
        Optional<SyncSource> src = cluster.assignSyncSource(second);
        assertEquals(Optional.of(new SyncSource("127.0.0.2", now)), src, "the cutoff is the tracker's time now");
        assertEquals(StorageStatus.WAIT_SYNC, second.status);
        cluster.beat(second, Optional.empty());
        assertEquals(StorageStatus.WAIT_SYNC, second.status, "a beat does not end a full sync");

        // the source reports its progress (76)
        cluster.mergeStatus("group1", new StorageBrief(StorageStatus.SYNCING, 23000, "127.0.0.3", "127.0.0.3"));
        assertEquals(StorageStatus.SYNCING, second.status);
        cluster.mergeStatus("group1", new StorageBrief(StorageStatus.WAIT_SYNC, 23000, "127.0.0.3", "127.0.0.3"));
        assertEquals(StorageStatus.SYNCING, second.status, "a status report never moves a storage back");
        cluster.mergeStatus("group1", new StorageBrief(StorageStatus.OFFLINE, 23000, "127.0.0.3", "127.0.0.3"));
        assertEquals(StorageStatus.OFFLINE, second.status);
        cluster.beat(second, Optional.empty());
        assertEquals(StorageStatus.ACTIVE, second.status);
        assertEquals(Optional.of(new SyncSource("127.0.0.2", src.get().untilTimestamp())),
                cluster.syncSourceFor("group1", "127.0.0.3"), "kept after the full sync, as C does");
    }

    /**
     * A member that came in by full sync is read from once every older member has sent it everything up to
     * its cutoff: a kfdfs sender says so with its caught-up notice even when idle. C sends none, so with a
     * C member on either end the per-file rules decide alone, as in C, instead of waiting for a write.
     */
    @Test
    void aFullSyncedMemberIsReadOnceItsKfdfsPeersVouchForIt() throws Exception {
        for (String oldVersion : new String[] {Version.KFDFS, Version.FASTDFS}) {
            Cluster c = new Cluster(cluster.config, null, () -> now);
            StorageNode old = c.join(join(true, 0, oldVersion), "127.0.0.2", new Object(), null);
            c.assignSyncSource(old);
            c.beat(old, Optional.empty());
            now += 10;
            StorageNode fresh = c.join(join(true, 0), "127.0.0.3", new Object(), null);
            long cutoff = c.assignSyncSource(fresh).orElseThrow().untilTimestamp();
            c.mergeStatus("group1", new StorageBrief(StorageStatus.OFFLINE, 23000, "127.0.0.3", "127.0.0.3"));
            c.beat(fresh, Optional.empty());
            assertEquals(StorageStatus.ACTIVE, fresh.status);
            if (Version.isKfdfs(oldVersion)) {
                assertEquals(List.of(old), fresh.group.readable(), "its kfdfs peer has not vouched yet");
                c.syncReport(fresh, new SyncReport(List.of(new SyncReport.Entry("127.0.0.2", (int) cutoff))));
            }
            assertEquals(List.of(old, fresh), fresh.group.readable(), oldVersion);
        }
    }

    @Test
    void aStorageNotHeardFromForTheCheckIntervalGoesOffline() throws Exception {
        StorageNode s = activeStorage("127.0.0.2");
        cluster.beat(s, Optional.empty());
        now += CHECK_ACTIVE_INTERVAL;
        cluster.expireHeartbeats();
        assertEquals(StorageStatus.ACTIVE, s.status, "exactly the interval is still in time");
        now += 1;
        cluster.expireHeartbeats();
        assertEquals(StorageStatus.OFFLINE, s.status);
        cluster.beat(s, Optional.empty());
        assertEquals(StorageStatus.ACTIVE, s.status, "a beat brings it back");
    }

    @Test
    void onlyTheConnectionAStorageLastJoinedOnTakesItOffline() throws Exception {
        Object first = new Object();
        StorageNode s = cluster.join(join(true, 0), "127.0.0.2", first, null);
        cluster.assignSyncSource(s);
        cluster.beat(s, Optional.empty());
        Object second = new Object();
        assertSame(s, cluster.join(join(false, StorageStatus.ACTIVE), "127.0.0.2", second, null));
        cluster.disconnected(s, first);
        assertEquals(StorageStatus.ACTIVE, s.status, "the old connection closing later changes nothing");
        cluster.disconnected(s, second);
        assertEquals(StorageStatus.OFFLINE, s.status);
        cluster.join(join(false, StorageStatus.ACTIVE), "127.0.0.2", new Object(), null);
        assertEquals(StorageStatus.ONLINE, s.status, "back, and ACTIVE at its next beat");
    }

    @Test
    void aStorageUnknownHereCannotJoinAsIfDeletedBefore() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> cluster.join(join(false, StorageStatus.DELETED), "127.0.0.9", new Object(), null));
        assertEquals(Status.EFAULT, e.status());
        assertTrue(cluster.groups.isEmpty(), "nothing recorded of it");
    }

    @Test
    void uploadsGoRoundTheWritableMembersAndSkipAFullOne() throws Exception {
        StorageNode a = activeStorage("127.0.0.2");
        StorageNode b = activeStorage("127.0.0.3");
        cluster.syncNotify(b, new SyncSource("", 0));
        cluster.beat(b, Optional.empty());
        Selector selector = new Selector(cluster);
        List<StorageNode> picked = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picked.add(selector.store(false).storages().get(0));
        }
        assertEquals(List.of(a, b, a, b), picked, "store_server = 0: round robin");

        cluster.diskUsage(a, new DiskUsage(List.of(new DiskUsage.Path(1000, 50))));
        cluster.diskUsage(b, new DiskUsage(List.of(new DiskUsage.Path(1000, 50))));
        ProtocolException full = assertThrows(ProtocolException.class, () -> selector.store(false));
        assertEquals(Status.ENOSPC, full.status(), "both at 5% free, below the 10% reserve");
    }

    @Test
    void changesWaitForTheFilesSourceWhileItIsAwayButNotOnceItIsDeleted() throws Exception {
        StorageNode a = activeStorage("127.0.0.2");
        StorageNode b = activeStorage("127.0.0.3");
        cluster.syncNotify(b, new SyncSource("", 0));
        cluster.beat(b, Optional.empty());
        Selector selector = new Selector(cluster);
        String ofA = FileName.remoteFilename(0, 0, 0, new FileName.Block(FileName.sourceOfIpv4("127.0.0.2"),
                now - 10, FileName.sizeField(5, false, 0x1234), 0x3610a686), "123.txt");
        assertSame(a, selector.update(a.group, ofA));

        cluster.disconnected(a, a.connection);
        ProtocolException away = assertThrows(ProtocolException.class, () -> selector.update(a.group, ofA));
        assertEquals(Status.EAGAIN, away.status(), "the source may still hold changes its peers lack");

        cluster.deleteStorage("group1", a.id);
        assertSame(b, selector.update(a.group, ofA), "a retired source hands its files on");
        assertTrue(a.retired());
    }
}
